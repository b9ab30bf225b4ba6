// Reads a container's exported filesystem (check --quick): one tar of the
// merged view, so no whiteouts and no layers. The daemon writes a few files
// into every container (its "init layer": /etc/hosts, /.dockerenv, …), empty
// and over the image's own: those are dropped, as they are not the image's.
import type { Readable } from 'node:stream';
import type { ContentRequest, LayerContents } from './layer-reader.js';
import { readPlainTar } from './layer-reader.js';
import { exposedGc } from '../memory.js';

/** The files the daemon's init layer writes (moby daemon/initlayer): its directories are kept, as images have them too. */
const INIT_LAYER_FILES = new Set(['/.dockerenv', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/etc/mtab', '/dev/console']);

/** Bytes read between two minor collections (see `collectingEvery`). */
const COLLECT_EVERY = 8 * 1024 * 1024;

export async function readContainerFilesystem(source: Readable, request: ContentRequest): Promise<LayerContents> {
  const read = await readPlainTar(source, request, collectingEvery(COLLECT_EVERY));
  const entries = read.entries.filter((e) => !INIT_LAYER_FILES.has(e.path));
  const hits = read.hits.filter((h) => !INIT_LAYER_FILES.has(h.path));
  for (const path of INIT_LAYER_FILES) read.contents.delete(path);
  return { ...read, entries, hits };
}

/**
 * The daemon streams this export as fast as it reads the disk, and each
 * socket chunk is memory outside V8's heap that V8 frees only after tens of
 * MB of it piled up (the image export comes in one burst, with more work per
 * byte, and does not pile up so): a minor collection every `bytes` read keeps
 * the peak down (about 20 MiB on a 1 GB image). `gc` is there when node runs
 * with --expose-gc, as the installed launcher runs it.
 */
function collectingEvery(bytes: number): ((n: number) => void) | undefined {
  const gc = exposedGc();
  if (!gc) return undefined;
  let since = 0;
  return (n) => {
    since += n;
    if (since < bytes) return;
    since = 0;
    gc({ type: 'minor' });
  };
}
