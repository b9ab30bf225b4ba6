// The `dpkg` scanner: Debian/Ubuntu packages from dpkg's database.
//   - `/var/lib/dpkg/status`: one deb822 stanza per package dpkg knows of.
//   - `/var/lib/dpkg/status.d/<name>`: distroless (and rules_distroless) images
//     have no dpkg, and write one stanza file per package there instead, next
//     to `<name>.md5sums` files (skipped).
// A package counts when its `Status:` (`want flag status`) has status
// `installed` whatever the want (`deinstall ok installed` is still on disk),
// or `triggers-pending`/`triggers-awaited` (configured, only its triggers are
// owed). `config-files`, `not-installed`, `half-installed`, `unpacked` and
// `half-configured` do not count. status.d stanzas often have no Status at
// all: they were installed by whoever wrote them, so they count.
// Each counted package is one `package` hit (type `deb`); `version` is dpkg's
// full version with its epoch (`1:2.3-4`), as purls for deb carry it. The
// source package comes from `Source: name (version)`, `Source: name` (same
// version as the binary) or, with no Source, the package itself.
import type { FileScanner } from '../../image/file-scanner.js';
import { packageHit, type PackageRecord, type ScanHitBody } from '../package-record.js';

/** A status file of a big image (a desktop, a build box) is a few MiB; 64 MiB is generous. */
export const DPKG_MAX_BYTES = 64 * 1024 * 1024;

export const DPKG_STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d/';

/**
 * The paragraphs of a deb822 text (dpkg status, DEP-5 copyright): `Field: value`
 * lines, continuation lines starting with a space or tab, paragraphs separated
 * by blank lines. Field names are lower-cased (deb822 compares them without
 * case). Continuations are joined with '\n' and keep their text after the
 * leading blank; `only`, when given, keeps just those fields (a status file's
 * Descriptions and Conffiles are most of its bytes).
 */
export function parseDeb822(text: string, only?: ReadonlySet<string>): Array<Map<string, string>> {
  return [...deb822Paragraphs(text, only)];
}

/** `parseDeb822` one paragraph at a time, for readers that stop early (a copyright file's licence is near its top). */
export function* deb822Paragraphs(text: string, only?: ReadonlySet<string>): Generator<Map<string, string>> {
  let current = new Map<string, string>();
  let started = false; // the paragraph has had a field line (kept or not)
  let field: string | undefined; // the field continuation lines extend (undefined when not kept)
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') {
      if (started) yield current;
      current = new Map();
      started = false;
      field = undefined;
      continue;
    }
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      if (field !== undefined) current.set(field, current.get(field) + '\n' + line.slice(1));
      continue;
    }
    if (first === 0x23 /* # */) continue; // a comment line (deb822 allows them outside dpkg's own files)
    const colon = line.indexOf(':');
    field = undefined; // a line that is not a field is ignored, and so are its continuations
    if (colon <= 0) continue;
    started = true;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (only && !only.has(name)) continue;
    field = name;
    current.set(name, line.slice(colon + 1).trim());
  }
  if (started) yield current;
}

const FIELDS = new Set(['package', 'status', 'version', 'architecture', 'source']);
const COUNTED_STATES = new Set(['installed', 'triggers-pending', 'triggers-awaited']);

/** True when a `Status:` value (`install ok installed`) means the package's files are in place. */
export function isInstalledStatus(status: string | undefined): boolean {
  if (status === undefined) return true;
  const words = status.trim().split(/\s+/);
  return words.length === 3 && COUNTED_STATES.has(words[2]!);
}

/** `glibc (2.36-9+deb12u4)` → glibc at that version; `glibc` → glibc at `binaryVersion`. */
export function parseSource(source: string, binaryVersion: string): { name: string; version: string } | undefined {
  const m = /^(\S+)(?:\s*\(\s*([^)\s]+)\s*\))?\s*$/.exec(source.trim());
  return m ? { name: m[1]!, version: m[2] ?? binaryVersion } : undefined;
}

/** The package a stanza describes, or undefined when it is not installed or lacks a name or version. */
export function dpkgRecord(stanza: ReadonlyMap<string, string>): PackageRecord | undefined {
  const name = stanza.get('package');
  const version = stanza.get('version');
  if (!name || !version || !isInstalledStatus(stanza.get('status'))) return undefined;
  const source = parseSource(stanza.get('source') ?? '', version) ?? { name, version };
  const record: PackageRecord = { type: 'deb', name, version, sourceName: source.name, sourceVersion: source.version, origin: 'installed' };
  const arch = stanza.get('architecture');
  if (arch) record.arch = arch;
  return record;
}

/** True for the status file and the per-package stanza files of status.d (not their md5sums). */
export function isDpkgDatabase(path: string): boolean {
  if (path === DPKG_STATUS) return true;
  if (!path.startsWith(STATUS_D) || path.length === STATUS_D.length) return false;
  return path.indexOf('/', STATUS_D.length) < 0 && !path.endsWith('.md5sums');
}

export function scanDpkg(path: string, bytes: Buffer | undefined): ScanHitBody[] {
  if (!bytes) return [];
  const hits: ScanHitBody[] = [];
  for (const stanza of deb822Paragraphs(bytes.toString('utf8'), FIELDS)) {
    const record = dpkgRecord(stanza);
    if (record) hits.push(packageHit(path, record));
  }
  return hits;
}

export const dpkgScanner: FileScanner = {
  id: 'dpkg',
  version: 1,
  maxBytes: DPKG_MAX_BYTES,
  wants: isDpkgDatabase,
  scan: scanDpkg,
};
