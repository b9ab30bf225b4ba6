// The `os-release` scanner: which distribution (and release) an image is, so
// OS packages get their purl `distro` and advisory ecosystem.
//   - `/etc/os-release` and `/usr/lib/os-release` (os-release(5)): shell-style
//     `KEY=value` lines, values unquoted, "double-quoted" (backslash escapes
//     `$ " \ \``) or 'single-quoted' (literal). A missing ID means `linux`.
//     `/etc/os-release` is usually a symlink to the other one; symlinks are not
//     read, so whichever is a regular file reports.
//   - Fallbacks, read because stripped images (a distroless-like image built by
//     hand, old Alpine) can have a package database and no os-release:
//     `/etc/alpine-release` (`3.19.1`) → alpine 3.19.1, and `/etc/debian_version`
//     (`12.5` → debian 12; `trixie/sid` → debian, codename trixie, no version).
//     Ubuntu ships a debian_version too (`bookworm/sid`), so a fallback hit is
//     only right when no os-release file is present: the inventory picks the
//     hit whose path ranks first in `OS_RELEASE_PATHS` (see `osReleaseRank`).
// Each file yields one `os-release` hit (package-record.ts `osReleaseHit`), or
// none when it says nothing usable.
import type { FileScanner } from '../../image/file-scanner.js';
import { osReleaseHit, type OsRelease, type ScanHitBody } from '../package-record.js';

/** The files read, most authoritative first. */
export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release', '/etc/alpine-release', '/etc/debian_version'] as const;

/** Where a hit's path ranks in `OS_RELEASE_PATHS` (lower wins); Infinity for other paths. */
export function osReleaseRank(path: string): number {
  const i = (OS_RELEASE_PATHS as readonly string[]).indexOf(path);
  return i < 0 ? Infinity : i;
}

/** The files are a few hundred bytes; anything bigger is not one. */
const MAX_BYTES = 64 * 1024;

/** One os-release value: quotes removed, escapes resolved (os-release(5) follows shell quoting). */
export function unquoteShell(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      out += end < 0 ? raw.slice(i + 1) : raw.slice(i + 1, end);
      i = end < 0 ? raw.length : end + 1;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        // In double quotes a backslash escapes only $ ` " \ (and newline); elsewhere it is literal.
        if (raw[i] === '\\' && i + 1 < raw.length && '$`"\\'.includes(raw[i + 1]!)) i++;
        out += raw[i];
        i++;
      }
      i++;
    } else if (c === '\\' && i + 1 < raw.length) {
      out += raw[i + 1];
      i += 2;
    } else if ((c === ' ' || c === '\t') && raw.slice(i).trimStart().startsWith('#')) {
      break; // an unquoted trailing comment
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The KEY=value assignments of an os-release file; malformed lines and comments are skipped. */
export function parseOsReleaseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) fields.set(m[1]!, unquoteShell(m[2]!));
  }
  return fields;
}

/** The release an os-release file describes. */
export function parseOsRelease(text: string): OsRelease {
  const f = parseOsReleaseFields(text);
  const os: OsRelease = { id: (f.get('ID') || 'linux').toLowerCase(), versionId: f.get('VERSION_ID') ?? '' };
  const codename = f.get('VERSION_CODENAME');
  if (codename) os.versionCodename = codename;
  const pretty = f.get('PRETTY_NAME');
  if (pretty) os.prettyName = pretty;
  const like = f.get('ID_LIKE')?.split(/\s+/).filter((s) => s !== '');
  if (like && like.length > 0) os.idLike = like;
  return os;
}

/** `/etc/alpine-release`: just the version. */
function alpineRelease(text: string): OsRelease | undefined {
  const version = text.trim();
  return /^\d+(\.\d+)*/.test(version) ? { id: 'alpine', versionId: version } : undefined;
}

/** `/etc/debian_version`: `12.5` (a point release: the major is what os-release calls VERSION_ID) or `trixie/sid`. */
function debianVersion(text: string): OsRelease | undefined {
  const value = text.trim();
  const numeric = /^(\d+)(\.\d+)*$/.exec(value);
  if (numeric) return { id: 'debian', versionId: numeric[1]! };
  const testing = /^([a-z]+)\/sid$/.exec(value);
  if (testing) return { id: 'debian', versionId: '', versionCodename: testing[1]! };
  return undefined;
}

export function scanOsRelease(path: string, bytes: Buffer | undefined): ScanHitBody[] {
  if (!bytes) return [];
  const text = bytes.toString('utf8');
  const os =
    path === '/etc/alpine-release' ? alpineRelease(text) : path === '/etc/debian_version' ? debianVersion(text) : parseOsRelease(text);
  return os ? [osReleaseHit(path, os)] : [];
}

export const osReleaseScanner: FileScanner = {
  id: 'os-release',
  version: 1,
  maxBytes: MAX_BYTES,
  wants: (path) => path.length <= 20 && (OS_RELEASE_PATHS as readonly string[]).includes(path),
  scan: scanOsRelease,
};
