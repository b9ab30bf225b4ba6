// Reads a container's exported filesystem (check --quick): one tar of the
// merged view, so no whiteouts and no layers. The daemon writes a few files
// into every container (its "init layer": /etc/hosts, /.dockerenv, …), empty
// and over the image's own: those are dropped, as they are not the image's.
import type { Readable } from 'node:stream';
import type { ContentRequest, LayerContents } from './layer-reader.js';
import { readPlainTar } from './layer-reader.js';

/** The files the daemon's init layer writes (moby daemon/initlayer): its directories are kept, as images have them too. */
const INIT_LAYER_FILES = new Set(['/.dockerenv', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/etc/mtab', '/dev/console']);

export async function readContainerFilesystem(source: Readable, request: ContentRequest): Promise<LayerContents> {
  const read = await readPlainTar(source, request);
  const entries = read.entries.filter((e) => !INIT_LAYER_FILES.has(e.path));
  const hits = read.hits.filter((h) => !INIT_LAYER_FILES.has(h.path));
  for (const path of INIT_LAYER_FILES) read.contents.delete(path);
  return { ...read, entries, hits };
}
