// The `deb-copyright` scanner: the licence of a Debian package. dpkg's
// database has none; each package ships `/usr/share/doc/<pkg>/copyright`,
// and when that file is machine-readable (DEP-5: a header paragraph with
// `Format:`) its `License:` fields name the licences.
//
// Hit: `{ kind: 'package-license', path, data: { package, license, declared } }`
//   - `package`: `<pkg>` from the path (the binary package name, no arch);
//   - `license`: the licence of the package as a whole, as an SPDX-ish expression:
//     the header paragraph's `License:` when it has one (DEP-5: "the licence of
//     the package as a whole"), else the `Files: *` paragraph's;
//   - `declared`: that field's first line as Debian wrote it (`GPL-2+ or Artistic`).
// Non-DEP-5 files (free text) and DEP-5 files without either field give no hit.
//
// Translation to SPDX: `and`/`or`/`with` become AND/OR/WITH; DEP-5's comma
// grouping (`A or B, and C` = `(A or B) and C`) becomes parentheses; Debian
// short names that mean exactly one SPDX licence are replaced (GPL-2+ →
// GPL-2.0-or-later, GPL-2 → GPL-2.0-only, LGPL-2.1+ → LGPL-2.1-or-later, AGPL,
// GFDL alike; Expat → MIT; BSD-3-clause → BSD-3-Clause; SPDX ids in other
// case are re-cased). Everything else stays as Debian wrote it: `public-domain`
// (no SPDX id; it is not a licence), `Artistic` (Perl's? 1.0? 2.0?), `GPL`
// (unversioned), `permissive`, exceptions (`with OpenSSL exception`). So
// `license` parses as SPDX only when every name in it was known; the
// inventory keeps it as written otherwise (or makes LicenseRefs of the rest).
import type { FileScanner, ScanHit } from '../../image/file-scanner.js';
import { deb822Paragraphs } from './dpkg.js';

export const PACKAGE_LICENSE_HIT = 'package-license';

/** Most copyright files are a few KiB; a few (firmware, big toolkits) reach hundreds. */
const MAX_BYTES = 4 * 1024 * 1024;
const DOC = '/usr/share/doc/';
const COPYRIGHT = '/copyright';

/** The package a `/usr/share/doc/<pkg>/copyright` path belongs to, or undefined for other paths. */
export function copyrightPackage(path: string): string | undefined {
  if (!path.startsWith(DOC) || !path.endsWith(COPYRIGHT)) return undefined;
  const pkg = path.slice(DOC.length, path.length - COPYRIGHT.length);
  return pkg !== '' && !pkg.includes('/') ? pkg : undefined;
}

// Debian short names equal to an SPDX id except for case, keyed lower-case.
const SAME_ID = new Map(
  [
    'MIT', 'ISC', 'Zlib', 'Apache-1.0', 'Apache-1.1', 'Apache-2.0', 'Artistic-2.0', 'BSL-1.0', 'CC0-1.0', 'MPL-1.1',
    'MPL-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'BSD-4-Clause', 'OpenSSL', 'Unlicense', 'WTFPL', 'X11', 'FTL', 'CC-BY-3.0',
    'CC-BY-4.0', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0', 'EPL-1.0', 'EPL-2.0', 'PSF-2.0', 'Python-2.0', 'Unicode-DFS-2016', 'curl',
  ].map((id) => [id.toLowerCase(), id]),
);
const ALIASES = new Map([
  ['expat', 'MIT'],
  ['zlib/libpng', 'Zlib'],
  ['mpl-2', 'MPL-2.0'],
  ['apache-2', 'Apache-2.0'],
  ['cc0', 'CC0-1.0'],
]);

/** One Debian licence short name as SPDX when that is unambiguous, else unchanged. */
export function spdxOfDebianName(name: string): string {
  const lower = name.toLowerCase();
  const family = /^(a?gpl|lgpl|gfdl)-(\d+)(?:\.(\d+))?(\+)?$/.exec(lower);
  if (family) {
    const [, f = '', major = '', minor, plus] = family;
    const version = `${major}.${minor ?? '0'}`;
    // LGPL-2 means the Library GPL 2.0; LGPL-2.1 the Lesser one.
    return `${f.toUpperCase()}-${version}-${plus ? 'or-later' : 'only'}`;
  }
  return ALIASES.get(lower) ?? SAME_ID.get(lower) ?? name;
}

/** A DEP-5 licence expression (`GPL-2+ or Artistic, and BSD-3-clause`) in SPDX syntax. */
export function spdxOfDebianExpression(expression: string): string {
  // Commas split first; each part after the first starts with its operator.
  const parts = expression.split(/\s*,\s*/).filter((p) => p !== '');
  const translated = parts.map((part, i) => {
    const words = part.split(/\s+/);
    let op = '';
    if (i > 0 && /^(and|or)$/i.test(words[0] ?? '')) op = words.shift()!.toUpperCase() + ' ';
    const body = translateWords(words);
    return op + (parts.length > 1 && /\s(AND|OR)\s/.test(body) ? `(${body})` : body);
  });
  return translated.join(' ');
}

function translateWords(words: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const lower = w.toLowerCase();
    if (lower === 'and' || lower === 'or') out.push(lower.toUpperCase());
    else if (lower === 'with') {
      // `with OpenSSL exception`: the exception's words are kept as written.
      const until = words.findIndex((x, j) => j > i && x.toLowerCase() === 'exception');
      const end = until < 0 ? words.length - 1 : until;
      out.push('WITH', words.slice(i + 1, end + 1).join(' '));
      i = end;
    } else out.push(spdxOfDebianName(w));
  }
  return out.join(' ');
}

/** True for a DEP-5 header paragraph (older drafts called the field Format-Specification). */
function isDep5Header(header: ReadonlyMap<string, string> | undefined): boolean {
  return header !== undefined && (header.has('format') || header.has('format-specification'));
}

const DEP5_FIELDS = new Set(['format', 'format-specification', 'files', 'license']);

/** The first line of a `License:` field: the short name or expression (the rest is the text). */
function shortName(field: string | undefined): string | undefined {
  const first = field?.split('\n', 1)[0]?.trim();
  return first ? first : undefined;
}

/** The package licence a copyright file declares (DEP-5 only), as written. */
export function declaredLicense(text: string): string | undefined {
  const paragraphs = deb822Paragraphs(text, DEP5_FIELDS);
  const header = paragraphs.next();
  if (header.done || !isDep5Header(header.value)) return undefined;
  const whole = shortName(header.value.get('license'));
  if (whole) return whole;
  for (const p of paragraphs) if (p.get('files')?.split(/\s+/).includes('*')) return shortName(p.get('license'));
  return undefined;
}

export function scanCopyright(path: string, bytes: Buffer | undefined): Array<Omit<ScanHit, 'scanner'>> {
  const pkg = copyrightPackage(path);
  if (!bytes || !pkg) return [];
  const declared = declaredLicense(bytes.toString('utf8'));
  if (!declared) return [];
  return [{ kind: PACKAGE_LICENSE_HIT, path, data: { package: pkg, license: spdxOfDebianExpression(declared), declared } }];
}

export const debCopyrightScanner: FileScanner = {
  id: 'deb-copyright',
  version: 1,
  maxBytes: MAX_BYTES,
  wants: (path) => copyrightPackage(path) !== undefined,
  sniff: (head) => head.indexOf(0) < 0,
  scan: scanCopyright,
};
