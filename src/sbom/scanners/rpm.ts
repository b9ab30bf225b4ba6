// The `rpm` scanner: Fedora/RHEL/SUSE family packages from rpm's database.
//   - `rpmdb.sqlite` (`/var/lib/rpm/` and `/usr/lib/sysimage/rpm/`): rpm ≥ 4.16's
//     default (Fedora ≥ 33, RHEL/UBI 9 and their rebuilds). Read with sql.js
//     (SQLite compiled to WebAssembly): table `Packages (hnum, blob)`, one rpm
//     header per row (rpm-header.ts). Only the main file is read: a `-wal`
//     file next to it holding transactions not yet checkpointed is not (rpm
//     checkpoints when it closes the database, so images rarely have one).
//   - Berkeley DB `Packages` (RHEL ≤ 8, CentOS 7, Amazon Linux 2) and NDB
//     `Packages.db` (SUSE) are not read. For them (and for an rpmdb.sqlite
//     that cannot be opened) the scanner says so, so the SBOM can report the
//     packages as unknown instead of absent:
//       `{ kind: 'package-db-unread', path, data: { format: 'bdb' | 'ndb' | 'sqlite', reason } }`
// Each package is one `package` hit (type `rpm`) with release, epoch (when
// set), arch, licence (as declared; Fedora's are SPDX, older ones free text)
// and the source rpm's name and `version-release`. `gpg-pubkey` entries
// (imported signing keys rpm stores as pseudo-packages) are skipped, and so is
// a header that is corrupt; a database that cannot be opened is one unread hit.
//
// sql.js only initialises asynchronously and scanners are synchronous, so the
// scanner's `prepare` initialises it, once, before the first layer is read:
// ~15 ms on an idle Node 20 (require 4, reading the 690 KB wasm 2,
// instantiating 9; 40-100 ms on a loaded machine), paid only by a run that
// reads layers with this scanner. The first database opened pays ~20 ms more
// (V8 compiles wasm functions lazily).
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Database, SqlJsStatic } from 'sql.js';
import type { FileScanner, ScanStream } from '../../image/file-scanner.js';
import { packageHit, type PackageRecord, type ScanHitBody } from '../package-record.js';
import { parseRpmHeader, parseSourceRpm, type RpmHeaderFields } from './rpm-header.js';

export const PACKAGE_DB_UNREAD_HIT = 'package-db-unread';

/** An rpmdb.sqlite is held whole in memory, twice (its chunks, then SQLite's copy): a generous cap. */
export const RPMDB_MAX_BYTES = 512 * 1024 * 1024;

export type RpmDbFormat = 'sqlite' | 'bdb' | 'ndb';

const DIRS = ['/var/lib/rpm/', '/usr/lib/sysimage/rpm/'];
const FILES: Record<string, RpmDbFormat> = { 'rpmdb.sqlite': 'sqlite', Packages: 'bdb', 'Packages.db': 'ndb' };

/** The database format of an rpm database path, or undefined for other paths. */
export function rpmDbFormat(path: string): RpmDbFormat | undefined {
  for (const dir of DIRS) {
    if (path.startsWith(dir)) return Object.hasOwn(FILES, path.slice(dir.length)) ? FILES[path.slice(dir.length)] : undefined;
  }
  return undefined;
}

let SQL: SqlJsStatic | undefined;
let loading: Promise<void> | undefined;

/** Loads and instantiates SQLite (WebAssembly), once; readRpmDbSqlite needs it done. */
export function loadSqlJs(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const initSqlJs = require('sql.js') as typeof import('sql.js').default;
    const wasm = await readFile(require.resolve('sql.js/dist/sql-wasm.wasm'));
    // An ArrayBuffer of exactly the file (a Buffer may be a slice of a shared pool).
    SQL = await initSqlJs({ wasmBinary: new Uint8Array(wasm).buffer });
  })();
  return loading;
}

/** The record of one header, or undefined for a gpg-pubkey entry or a header without name and version. */
export function rpmRecord(h: RpmHeaderFields): PackageRecord | undefined {
  if (!h.name || !h.version || h.name === 'gpg-pubkey') return undefined;
  const record: PackageRecord = { type: 'rpm', name: h.name, version: h.version, origin: 'installed' };
  if (h.release) record.release = h.release;
  if (h.epoch !== undefined) record.epoch = String(h.epoch);
  if (h.arch) record.arch = h.arch;
  if (h.license) record.license = h.license;
  const source = h.sourceRpm ? parseSourceRpm(h.sourceRpm) : undefined;
  if (source) {
    record.sourceName = source.name;
    record.sourceVersion = `${source.version}-${source.release}`;
  }
  return record;
}

function unread(path: string, format: RpmDbFormat, reason: string): ScanHitBody {
  return { kind: PACKAGE_DB_UNREAD_HIT, path, data: { format, reason } };
}

/** The packages of an rpmdb.sqlite file (its whole bytes); throws when SQLite cannot read it. */
export function readRpmDbSqlite(bytes: Uint8Array): PackageRecord[] {
  let db: Database | undefined;
  try {
    if (!SQL) throw new Error('SQLite is not loaded: await loadSqlJs() (the scanner\'s prepare) first');
    db = new SQL.Database(bytes);
    const records: PackageRecord[] = [];
    const rows = db.prepare('SELECT blob FROM Packages ORDER BY hnum');
    try {
      while (rows.step()) {
        const [blob] = rows.get();
        const header = blob instanceof Uint8Array ? parseRpmHeader(blob) : undefined;
        const record = header && rpmRecord(header);
        if (record) records.push(record);
      }
    } finally {
      rows.free();
    }
    return records;
  } finally {
    db?.close();
  }
}

/** The hits of an rpmdb.sqlite's bytes: its packages, or why it could not be read. */
export function scanRpmDbSqlite(path: string, bytes: Uint8Array): ScanHitBody[] {
  try {
    return readRpmDbSqlite(bytes).map((r) => packageHit(path, r));
  } catch (e) {
    return [unread(path, 'sqlite', e instanceof Error ? e.message : String(e))];
  }
}

/** A stream that reads nothing and reports the database as unread. */
function unreadStream(hit: ScanHitBody): ScanStream {
  return { write: () => false, end: () => [hit] };
}

/** Collects an rpmdb.sqlite's chunks and reads the database when the file ends. */
function sqliteStream(path: string): ScanStream {
  const chunks: Buffer[] = [];
  return {
    write(chunk) {
      chunks.push(chunk);
      return true;
    },
    end: () => scanRpmDbSqlite(path, Buffer.concat(chunks)),
  };
}

/** Why a database is not read (its format, or its size), or undefined when it is. */
function notReadBecause(format: RpmDbFormat, size: number): string | undefined {
  if (format === 'bdb') return 'Berkeley DB rpm databases are not read';
  if (format === 'ndb') return 'NDB rpm databases are not read';
  return size > RPMDB_MAX_BYTES ? `larger than ${RPMDB_MAX_BYTES} bytes` : undefined;
}

// Streaming (`open`) rather than `scan`: Berkeley DB files are tens of MiB
// that would be read only to say they were not, and `open` can decline them
// before any byte.
export const rpmScanner: FileScanner = {
  id: 'rpm',
  version: 1,
  maxBytes: RPMDB_MAX_BYTES,
  prepare: loadSqlJs,
  wants: (path) => rpmDbFormat(path) !== undefined,
  open(path, size) {
    const format = rpmDbFormat(path);
    if (!format) return undefined;
    const reason = notReadBecause(format, size);
    return reason ? unreadStream(unread(path, format, reason)) : sqliteStream(path);
  },
  // The same for a caller that hands over whole bytes (the layer reader uses `open`).
  scan(path, bytes) {
    const format = rpmDbFormat(path);
    if (!format) return [];
    const reason = notReadBecause(format, bytes ? bytes.length : Infinity);
    return reason || !bytes ? [unread(path, format, reason ?? 'not read')] : scanRpmDbSqlite(path, bytes);
  },
};
