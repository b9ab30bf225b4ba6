// What the base-image scan learns of each local image (its layers' diffIDs,
// its steps), remembered across runs. An image ID is the digest of the config
// that holds both, so an entry never goes stale; without it, every check asked
// the daemon to inspect every smaller local image again (65 inspects here,
// ~0.1 s, and more on a laptop with hundreds of images). One small file,
// read once per run, rewritten atomically when it learned something; entries
// of images no longer on the daemon are dropped then, which bounds it.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export interface RememberedOutline {
  diffIds: string[];
  /** Absent until the image was a candidate worth reading the history of. */
  createdBy?: string[];
}

const FORMAT = 1;

export class OutlineStore {
  private readonly path: string;
  private loaded?: Promise<Map<string, RememberedOutline>>;
  private dirty = false;

  constructor(cacheDir: string) {
    this.path = join(cacheDir, 'outlines', `v${FORMAT}`, 'outlines.json.gz');
  }

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
    const temp = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temp, await gzip(JSON.stringify({ format: FORMAT, outlines: kept })), { flag: 'wx', mode: 0o644 });
      await rename(temp, this.path);
    } catch {
      await unlink(temp).catch(() => {});
    }
  }

  private load(): Promise<Map<string, RememberedOutline>> {
    this.loaded ??= readFile(this.path)
      .then(async (bytes) => {
        const doc = JSON.parse((await gunzip(bytes)).toString('utf8')) as { format?: number; outlines?: Record<string, unknown> };
        if (doc.format !== FORMAT || typeof doc.outlines !== 'object' || doc.outlines === null) return new Map<string, RememberedOutline>();
        return new Map(Object.entries(doc.outlines).filter((e): e is [string, RememberedOutline] => isOutline(e[1])));
      })
      .catch(() => new Map<string, RememberedOutline>()); // absent or damaged: start afresh
    return this.loaded;
  }
}

function isOutline(v: unknown): v is RememberedOutline {
  const o = v as Partial<RememberedOutline> | null;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  return !!o && typeof o === 'object' && strings(o.diffIds) && (o.createdBy === undefined || strings(o.createdBy));
}
