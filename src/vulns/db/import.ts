// Importing OSV advisories (directories or zips) into a database directory
// (layout.ts). Two passes keep memory to a few numbers per record however
// large the export: the first spools each trimmed record to a temp file in
// arrival order and remembers only where it is; the second copies the
// records into their final order (ecosystem, package, id) and writes each
// ecosystem's index after its records.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { OsvAdvisory } from '../osv.js';
import { DATA_FILE, DB_FORMAT, META_FILE, type DbMeta, type EcosystemMeta } from './layout.js';
import { forEachOsvFile } from './sources.js';
import { isAdvisory, packageRecords } from './trim.js';

export interface ImportSource {
  path: string;
  /** How messages name it (default: the path). */
  label?: string;
}

export interface ImportOptions {
  /** What meta.json records as the source (default: the single source's path). */
  source?: string;
  folders?: string[];
  stamp?: string;
  downloaded?: string;
}

export interface ImportResult {
  meta: DbMeta;
  /** The first few files skipped as invalid, with why. */
  invalidFiles: string[];
}

const FLUSH_BYTES = 1024 * 1024;
const MAX_INVALID_NOTES = 5;
/** Let the event loop breathe (progress spinners) every so many records. */
const YIELD_EVERY = 5000;

interface Spooled {
  ecosystem: string;
  key: string;
  id: string;
  offset: number;
  length: number;
  dead: boolean;
}

/** Buffered appends to a file, remembering offsets. */
class Appender {
  private readonly fd: number;
  private chunks: Buffer[] = [];
  private pending = 0;
  private closed = false;
  offset = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  append(text: string): [number, number] {
    const buf = Buffer.from(text, 'utf8');
    const at = this.offset;
    this.chunks.push(buf);
    this.pending += buf.length;
    this.offset += buf.length;
    if (this.pending >= FLUSH_BYTES) this.flush();
    return [at, buf.length];
  }

  appendBuffer(buf: Buffer): number {
    const at = this.offset;
    this.chunks.push(buf);
    this.pending += buf.length;
    this.offset += buf.length;
    if (this.pending >= FLUSH_BYTES) this.flush();
    return at;
  }

  flush(): void {
    if (this.pending === 0) return;
    const all = Buffer.concat(this.chunks, this.pending);
    let written = 0;
    while (written < all.length) written += writeSync(this.fd, all, written, all.length - written);
    this.chunks = [];
    this.pending = 0;
  }

  /** Idempotent: a descriptor number closed twice could be someone else's by then. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Imports every OSV advisory found in `source` (a directory searched
 * recursively for `*.json`, or a zip of them) into the directory `into`
 * (created if needed; meta.json is written last, so a directory without it
 * is incomplete). Withdrawn advisories are left out; a file that is not an
 * advisory is counted, noted and skipped; an advisory met twice keeps its
 * newest version. Throws (one line, naming the source) when a source cannot
 * be read at all, e.g. a damaged zip.
 */
export async function importOsv(
  source: string | ImportSource[],
  into: string,
  onProgress?: (message: string) => void,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const sources: ImportSource[] = typeof source === 'string' ? [{ path: source }] : source;
  await mkdir(into, { recursive: true });
  const spoolPath = join(into, `.spool-${process.pid}.ndjson`);
  const spool = new Appender(spoolPath);
  const records: Spooled[] = [];
  /** id → newest modified seen and the records of that version. */
  const seen = new Map<string, { modified: string; records: number[] }>();
  const invalidFiles: string[] = [];
  let invalid = 0;
  let withdrawn = 0;
  let files = 0;
  let modifiedMax = '';

  const take = (advisory: OsvAdvisory): void => {
    const modified = advisory.modified ?? '';
    const before = seen.get(advisory.id);
    if (before && before.modified >= modified) return;
    for (const i of before?.records ?? []) records[i]!.dead = true;
    const mine: number[] = [];
    seen.set(advisory.id, { modified, records: mine });
    if (modified > modifiedMax) modifiedMax = modified;
    if (advisory.withdrawn) {
      withdrawn++;
      return;
    }
    for (const record of packageRecords(advisory)) {
      const [offset, length] = spool.append(`${JSON.stringify(record.advisory)}\n`);
      mine.push(records.length);
      records.push({ ecosystem: record.ecosystem, key: record.key, id: advisory.id, offset, length, dead: false });
    }
  };

  try {
    for (const { path, label = path } of sources) {
      onProgress?.(`Reading advisories from ${label}`);
      try {
        await forEachOsvFile(path, async (name, content) => {
          files++;
          let doc: unknown;
          try {
            if (content instanceof Error) throw content;
            doc = JSON.parse(content.toString('utf8'));
            if (!isAdvisory(doc)) throw new Error('not an OSV advisory (no id)');
          } catch (err) {
            invalid++;
            if (invalidFiles.length < MAX_INVALID_NOTES) invalidFiles.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
            return;
          }
          take(doc);
          if (files % YIELD_EVERY === 0) {
            onProgress?.(`Reading advisories from ${label}: ${files} files`);
            await yieldToLoop();
          }
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file or directory' : err instanceof Error ? err.message : String(err);
        throw new Error(`${label}: ${why}`);
      }
    }
    spool.close();
    if (invalid > 0) onProgress?.(`Skipped ${invalid} invalid file${invalid === 1 ? '' : 's'} (${invalidFiles[0]}${invalid > 1 ? ', …' : ''})`);
    onProgress?.(`Indexing ${seen.size} advisories`);
    const { ecosystems, bytes, advisories } = await writeData(spoolPath, records, join(into, DATA_FILE));
    const meta: DbMeta = {
      format: DB_FORMAT,
      source: options.source ?? (sources.length === 1 ? sources[0]!.path : sources.map((s) => basename(s.path)).join(', ')),
      ...(options.folders ? { folders: options.folders } : {}),
      ...(options.stamp ? { stamp: options.stamp } : {}),
      ...(options.downloaded ? { downloaded: options.downloaded } : {}),
      imported: new Date().toISOString(),
      ...(modifiedMax ? { modified: modifiedMax } : {}),
      advisories,
      withdrawn,
      invalid,
      bytes,
      ecosystems,
    };
    await writeFile(join(into, META_FILE), `${JSON.stringify(meta, null, 1)}\n`);
    return { meta, invalidFiles };
  } finally {
    spool.close();
    await rm(spoolPath, { force: true });
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Second pass: the spooled records in (ecosystem, key, id) order, each ecosystem followed by its index line. */
async function writeData(
  spoolPath: string,
  records: Spooled[],
  dataPath: string,
): Promise<{ ecosystems: EcosystemMeta[]; bytes: number; advisories: number }> {
  const live = records.filter((r) => !r.dead);
  live.sort((a, b) => compare(a.ecosystem, b.ecosystem) || compare(a.key, b.key) || compare(a.id, b.id));
  const input = openSync(spoolPath, 'r');
  const out = new Appender(dataPath);
  const ecosystems: EcosystemMeta[] = [];
  const allIds = new Set<string>();
  try {
    let i = 0;
    while (i < live.length) {
      const ecosystem = live[i]!.ecosystem;
      const index: Record<string, [number, number]> = Object.create(null) as Record<string, [number, number]>;
      const ids = new Set<string>();
      let packages = 0;
      while (i < live.length && live[i]!.ecosystem === ecosystem) {
        const key = live[i]!.key;
        const start = out.offset;
        while (i < live.length && live[i]!.ecosystem === ecosystem && live[i]!.key === key) {
          const r = live[i]!;
          const buf = Buffer.alloc(r.length);
          readSync(input, buf, 0, r.length, r.offset);
          out.appendBuffer(buf);
          ids.add(r.id);
          allIds.add(r.id);
          i++;
          if (i % YIELD_EVERY === 0) await yieldToLoop();
        }
        index[key] = [start, out.offset - start];
        packages++;
      }
      const [offset, length] = out.append(`${JSON.stringify(index)}\n`);
      ecosystems.push({ ecosystem, advisories: ids.size, packages, index: [offset, length] });
    }
  } finally {
    closeSync(input);
    out.close();
  }
  const bytes = ecosystems.length ? ecosystems[ecosystems.length - 1]!.index[0] + ecosystems[ecosystems.length - 1]!.index[1] : 0;
  return { ecosystems, bytes, advisories: allIds.size };
}
