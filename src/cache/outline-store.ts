// What the base-image scan learns of each local image (its layers' diffIDs,
// its steps), remembered across runs. An image ID is the digest of the config
// that holds both, so an entry never goes stale; without it, every check asked
// the daemon to inspect every smaller local image again (65 inspects here,
// ~0.1 s, and more on a laptop with hundreds of images). One small cache
// entry, read once per run, rewritten when it learned something; entries
// of images no longer on the daemon are dropped then, which bounds it.
import type { LayerCache } from './layer-cache.js';

export interface RememberedOutline {
  diffIds: string[];
  /** Absent until the image was a candidate worth reading the history of. */
  createdBy?: string[];
}

export class OutlineStore {
  private loaded?: Promise<Map<string, RememberedOutline>>;
  private dirty = false;

  constructor(private readonly cache: LayerCache) {}

  async get(imageId: string): Promise<RememberedOutline | undefined> {
    return (await this.load()).get(imageId);
  }

  async set(imageId: string, outline: RememberedOutline): Promise<void> {
    (await this.load()).set(imageId, outline);
    this.dirty = true;
  }

  /** Writes what was learned, keeping only the images in `live`. Never throws. */
  async save(live: Iterable<string>): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const all = await this.load();
    const kept = Object.fromEntries([...new Set(live)].filter((id) => all.has(id)).map((id) => [id, all.get(id)]));
    await this.cache.putOutlines(kept);
  }

  private load(): Promise<Map<string, RememberedOutline>> {
    // Absent or damaged (the cache then removes it): start afresh.
    this.loaded ??= this.cache.getOutlines().then(
      (outlines) => new Map(Object.entries(outlines ?? {}).filter((e): e is [string, RememberedOutline] => isOutline(e[1]))),
    );
    return this.loaded;
  }
}

function isOutline(v: unknown): v is RememberedOutline {
  const o = v as Partial<RememberedOutline> | null;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  return !!o && typeof o === 'object' && strings(o.diffIds) && (o.createdBy === undefined || strings(o.createdBy));
}
