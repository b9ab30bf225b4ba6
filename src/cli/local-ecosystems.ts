// Which OSV ecosystems this machine's images need (`Debian:12`, `npm`, …), so
// that `db update` downloads the advisories that matter here and no others.
// Each local image's inventory is computed as `sbom` computes it, with the
// layer cache on: after a first run only new layers are read.
import { NoSuchImageError } from '../daemon/errors.js';
import { listImages, type DaemonContext } from '../daemon/inspect.js';
import { forEachLimited } from './for-each-limited.js';
import { inventoryOfImage, sbomCheckOptions } from './sbom.js';
import type { CheckOptions } from './check-image.js';

export interface LocalEcosystemsOptions {
  /** Exports in flight at once (default 2). */
  jobs?: number;
  /** Check options (default: sbomCheckOptions with the cache on). */
  check?: CheckOptions;
  onProgress?: (done: number, total: number, current?: string) => void;
  /** An image that could not be read (it is skipped; an image removed meanwhile is skipped silently). */
  onError?: (image: string, error: Error) => void;
}

/** The sorted, distinct OSV ecosystems of every local image's components. Throws when the image list cannot be had. */
export async function ecosystemsOfLocalImages(ctx: DaemonContext, options: LocalEcosystemsOptions = {}): Promise<string[]> {
  const check = options.check ?? sbomCheckOptions({ cache: true });
  const images = await listImages(ctx);
  const ecosystems = new Set<string>();
  let done = 0;
  options.onProgress?.(0, images.length);
  await forEachLimited(images, options.jobs ?? 2, async (image) => {
    const name = image.repoTags[0] ?? image.id;
    options.onProgress?.(done, images.length, name);
    try {
      const { inventory } = await inventoryOfImage(ctx, image.id, check);
      for (const c of inventory.components) if (c.ecosystem) ecosystems.add(c.ecosystem);
    } catch (err) {
      if (!(err instanceof NoSuchImageError)) options.onError?.(name, err instanceof Error ? err : new Error(String(err)));
    }
    done++;
    options.onProgress?.(done, images.length);
  });
  return [...ecosystems].sort();
}
