// check --archive (and sbom --archive): every image in a `docker save` or OCI
// archive file, without a daemon.
import { open } from 'node:fs/promises';
import { readArchive } from '../image/archive-reader.js';
import { imagesInArchive } from '../image/layout.js';
import { buildFacts, historyFromConfig } from '../image/facts-builder.js';
import { buildSteps } from '../image/history.js';
import { UNKNOWN_BOUNDARY } from '../image/boundary.js';
import { UsageError } from './usage-error.js';
import { findBoundary } from './find-boundary.js';
import { contentRequest, needsLayers, type CheckOptions, type ImageResult } from './check-image.js';
import { knownLayers } from './image-layers.js';
import { resultOf } from './image-result.js';

/** Checks every image in the `docker save` / OCI archive file at `path`. */
export async function checkArchiveFile(path: string, options: CheckOptions): Promise<ImageResult[]> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read --archive ${path}: ${err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message)}`);
  });
  const stream = handle.createReadStream({ highWaterMark: 1024 * 1024 });
  const request = contentRequest(options.rules, options.scanners);
  // Layers named by diffID (OCI blobs, Podman) come from the cache when it has them. An archive
  // file is not the daemon: nothing it claims is stored (a crafted file must not poison the cache).
  const known = options.cache && needsLayers(options.rules, options) ? knownLayers(options.cache, request, new Set()) : undefined;
  const archive = await readArchive(stream, request, options.onProgress, { known });
  const results: ImageResult[] = [];
  for (const image of imagesInArchive(archive)) {
    const history = historyFromConfig(image);
    const { history: steps } = buildSteps(history, image.config.rootfs?.diff_ids ?? []);
    const { boundary, dockerfileLines, dockerfile } = await findBoundary(
      undefined,
      { id: image.id, createdBy: history.map((h) => h.createdBy), diffIds: image.config.rootfs?.diff_ids ?? [] },
      steps,
      { dockerfile: options.dockerfile, localScan: false },
    );
    const facts = buildFacts({
      id: image.id,
      repoTags: image.repoTags,
      os: image.config.os ?? 'linux',
      config: image.config.config ?? {},
      history,
      diffIds: image.config.rootfs?.diff_ids ?? [],
      archived: image,
      boundary: boundary ?? UNKNOWN_BOUNDARY,
      dockerfileLines,
      ...(image.repoTags[0] ? { reference: image.repoTags[0] } : {}),
    });
    results.push(await resultOf(image.repoTags[0] ?? image.id, facts, options, dockerfile));
  }
  return results;
}

