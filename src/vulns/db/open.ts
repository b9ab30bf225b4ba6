// Opening a database and answering lookups from it. The data file is opened
// once, when the database is: a swap (or the removal of this directory after
// one) does not disturb a database already open.
import { close, open, read } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot as defaultCacheRoot } from '../../cache/layer-cache.js';
import { COMMAND } from '../../plugin/metadata.js';
import type { OsvAdvisory } from '../osv.js';
import { missingDbError, VulnDbError } from './errors.js';
import { DATA_FILE, readMeta, type DbMeta } from './layout.js';
import { baseEcosystem, lookupEcosystems, packageKey } from './names.js';
import { currentDir } from './swap.js';
import { importedSource } from './source-cache.js';

const openFd = promisify(open);
const readFd = promisify(read);
const closeFd = promisify(close);

/** Ranges closer than this are read together (fewer reads, a little more data). */
const COALESCE_GAP = 64 * 1024;
const MAX_READ = 8 * 1024 * 1024;

export interface AdvisoryIndex {
  /** The advisories of a package that was among the lookup's keys ([] for others). */
  advisoriesFor(ecosystem: string, name: string): OsvAdvisory[];
}

export interface DbStatus {
  /** The database directory. */
  path: string;
  /** Where the advisories came from: the download URL or the imported path. */
  source: string;
  /** When the advisories were downloaded (or imported). */
  updated?: string;
  ecosystems: Array<{ ecosystem: string; advisories: number; packages: number }>;
  /** The newest `modified` time among the advisories. */
  modified?: string;
  /** Distinct advisories. */
  advisories?: number;
  /** Size of the data file. */
  bytes?: number;
  /** Files skipped at import because they were no advisory. */
  invalid?: number;
}

export interface VulnDatabase {
  status(): DbStatus;
  /** Loads the advisories of these packages from disk into a synchronous index. */
  lookup(keys: Array<{ ecosystem: string; name: string }>): Promise<AdvisoryIndex>;
  /**
   * True when the database covers the ecosystem: it holds advisories of it
   * or of its base (`Debian` for `Debian:12`), or its base's OSV folder was
   * downloaded (a release with no advisories at all is still covered).
   */
  hasEcosystem(ecosystem: string): boolean;
  /** Closes the data file (also closed when the process ends). */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** --vuln-db DIR|ZIP: OSV advisories to use instead of the downloaded database. */
  source?: string;
  /** Default: the cache root the environment names (DSP_CACHE_DIR, …). */
  cacheRoot?: string;
  onProgress?: (message: string) => void;
}

/** Where downloaded databases live under a cache root. */
export function osvRoot(cacheRoot: string): string {
  return join(cacheRoot, 'osv');
}

/**
 * `source` is --vuln-db DIR|ZIP (imported once into a cache dir keyed by its
 * path, re-imported when its size or mtime changes); without it, the
 * downloaded database under the cache root (`<cache>/osv/current`).
 */
export async function openVulnDb(options: OpenOptions = {}): Promise<VulnDatabase> {
  const root = options.cacheRoot ?? defaultCacheRoot();
  if (options.source !== undefined) {
    const { dbRoot } = await importedSource(resolve(options.source), root, options.onProgress);
    const db = await openCurrent(dbRoot);
    if (!db) throw new VulnDbError(`--vuln-db ${options.source}: the imported copy disappeared; run the command again`);
    return db;
  }
  const db = await openCurrent(osvRoot(root));
  if (!db) throw missingDbError();
  return db;
}

/** The database `current` points to under root, or undefined when there is none. */
export async function openCurrent(root: string): Promise<VulnDatabase | undefined> {
  // A swap and cleanup between resolving `current` and opening its files
  // removes them: resolve again (a few times, in case of a busy updater).
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = await currentDir(root);
    if (!dir) return undefined;
    let fd: number;
    try {
      fd = await openFd(join(dir, DATA_FILE), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new VulnDbError(`cannot read the vulnerability database at ${dir}: ${(err as Error).message}`);
    }
    try {
      return new DiskDatabase(dir, await readMeta(dir), fd);
    } catch (err) {
      await closeFd(fd);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new VulnDbError(`the vulnerability database at ${dir} is unreadable (${(err as Error).message}): run \`${COMMAND} db update\` to replace it`);
    }
  }
  return undefined;
}

class DiskDatabase implements VulnDatabase {
  private readonly byEcosystem: Map<string, DbMeta['ecosystems'][number]>;
  private readonly indexes = new Map<string, Promise<Map<string, [number, number]>>>();
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly meta: DbMeta,
    private readonly fd: number,
  ) {
    this.byEcosystem = new Map(meta.ecosystems.map((e) => [e.ecosystem, e]));
  }

  status(): DbStatus {
    const m = this.meta;
    const updated = m.downloaded ?? m.imported;
    return {
      path: this.dir,
      source: m.source,
      ...(updated ? { updated } : {}),
      ecosystems: m.ecosystems.map(({ ecosystem, advisories, packages }) => ({ ecosystem, advisories, packages })),
      ...(m.modified ? { modified: m.modified } : {}),
      advisories: m.advisories,
      bytes: m.bytes,
      invalid: m.invalid,
    };
  }

  hasEcosystem(ecosystem: string): boolean {
    if (lookupEcosystems(ecosystem).some((e) => this.byEcosystem.has(e))) return true;
    return (this.meta.folders ?? []).includes(baseEcosystem(ecosystem));
  }

  async lookup(keys: Array<{ ecosystem: string; name: string }>): Promise<AdvisoryIndex> {
    if (this.closed) throw new Error('the vulnerability database is closed');
    const ranges: Array<{ slot: string; offset: number; length: number }> = [];
    const wanted = new Set<string>();
    for (const { ecosystem, name } of keys) {
      for (const eco of lookupEcosystems(ecosystem)) {
        if (!this.byEcosystem.has(eco)) continue;
        const slot = slotOf(eco, packageKey(eco, name));
        if (wanted.has(slot)) continue;
        wanted.add(slot);
        const range = (await this.index(eco)).get(packageKey(eco, name));
        if (range) ranges.push({ slot, offset: range[0], length: range[1] });
      }
    }
    const found = new Map<string, OsvAdvisory[]>();
    for (const group of coalesce(ranges)) {
      const buf = Buffer.alloc(group.end - group.start);
      await this.readAt(buf, group.start);
      for (const r of group.ranges) {
        const text = buf.toString('utf8', r.offset - group.start, r.offset - group.start + r.length);
        found.set(
          r.slot,
          text
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as OsvAdvisory),
        );
      }
    }
    return { advisoriesFor: (ecosystem, name) => merged(lookupEcosystems(ecosystem).map((eco) => found.get(slotOf(eco, packageKey(eco, name))) ?? [])) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeFd(this.fd);
  }

  /** An ecosystem's index line, read and parsed once per open database. */
  private index(ecosystem: string): Promise<Map<string, [number, number]>> {
    let index = this.indexes.get(ecosystem);
    if (!index) {
      const [offset, length] = this.byEcosystem.get(ecosystem)!.index;
      index = (async () => {
        const buf = Buffer.alloc(length);
        await this.readAt(buf, offset);
        return new Map(Object.entries(JSON.parse(buf.toString('utf8')) as Record<string, [number, number]>));
      })();
      this.indexes.set(ecosystem, index);
    }
    return index;
  }

  private async readAt(buf: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await readFd(this.fd, buf, done, buf.length - done, position + done);
      if (bytesRead === 0) throw new VulnDbError(`the vulnerability database at ${this.dir} is truncated: run \`${COMMAND} db update\``);
      done += bytesRead;
    }
  }
}

function slotOf(ecosystem: string, key: string): string {
  return `${ecosystem}\0${key}`;
}

interface ReadGroup {
  start: number;
  end: number;
  ranges: Array<{ slot: string; offset: number; length: number }>;
}

/** Ranges in file order, neighbours merged into one read. */
function coalesce(ranges: Array<{ slot: string; offset: number; length: number }>): ReadGroup[] {
  const groups: ReadGroup[] = [];
  for (const r of [...ranges].sort((a, b) => a.offset - b.offset)) {
    const last = groups[groups.length - 1];
    const end = r.offset + r.length;
    if (last && r.offset - last.end <= COALESCE_GAP && end - last.start <= MAX_READ) {
      last.end = Math.max(last.end, end);
      last.ranges.push(r);
    } else groups.push({ start: r.offset, end, ranges: [r] });
  }
  return groups;
}

/** One advisory per id: filed under both `Debian:12` and `Debian`, its affected entries are joined. */
function merged(lists: OsvAdvisory[][]): OsvAdvisory[] {
  if (lists.length === 1) return lists[0]!;
  const byId = new Map<string, OsvAdvisory>();
  for (const advisory of lists.flat()) {
    const before = byId.get(advisory.id);
    byId.set(advisory.id, before ? { ...before, affected: [...(before.affected ?? []), ...(advisory.affected ?? [])] } : advisory);
  }
  return [...byId.values()];
}
