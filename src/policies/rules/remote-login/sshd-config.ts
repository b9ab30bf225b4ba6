// Reading sshd_config as sshd does, for the directives the DSP10303–05
// policies judge. sshd keeps the FIRST value it reads for these keywords;
// `Include` splices its files (glob, sorted) in where it stands, which is why
// Debian puts `Include /etc/ssh/sshd_config.d/*.conf` at the top: a drop-in
// wins over the main file. Lines after `Match …` apply only to the matching
// connections (until the next Match or the end of the file; `Match all` is
// global again), so they are not the global setting. The main file comes from
// `contents`; the drop-ins from the `sshd-config` scanner, which reports each
// global directive of /etc/ssh/sshd_config.d/*.conf per layer.
import type { FileScanner, ScanHit } from '../../../image/file-scanner.js';

export const SSHD_CONFIG = '/etc/ssh/sshd_config';
export const SSHD_DROPIN_DIR = '/etc/ssh/sshd_config.d/';

/** The directives the policies judge, as sshd spells them. */
export const JUDGED = ['PermitRootLogin', 'PermitEmptyPasswords', 'PasswordAuthentication'] as const;
export type Judged = (typeof JUDGED)[number];

const KEYWORDS = new Map<string, Judged | 'Include'>([
  ...JUDGED.map((k) => [k.toLowerCase(), k] as [string, Judged]),
  ['include', 'Include'],
]);

export interface SshdDirective {
  keyword: Judged | 'Include';
  /** The first argument (`yes`), or for Include every argument, space-separated. */
  value: string;
  /** 1-based. */
  line: number;
  /** False inside a Match block (a conditional setting). */
  global: boolean;
}

/** The first word of an sshd argument list, with its quotes removed. */
function firstArgument(rest: string): string {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('"', 1);
    return end < 0 ? rest.slice(1) : rest.slice(1, end);
  }
  const space = rest.search(/\s/);
  return space < 0 ? rest : rest.slice(0, space);
}

/** The judged directives and Includes of one file, in order; `global` says whether the file starts outside a Match. */
export function parseSshdConfig(text: string, global = true): SshdDirective[] {
  const out: SshdDirective[] = [];
  let inGlobal = global;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    // `Keyword value`, `Keyword=value` or `Keyword = value`.
    const m = /^([A-Za-z]+)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const word = (m[1] ?? '').toLowerCase();
    const rest = (m[2] ?? '').trim();
    if (word === 'match') {
      inGlobal = global && rest.toLowerCase() === 'all';
      continue;
    }
    const keyword = KEYWORDS.get(word);
    if (!keyword) continue;
    const value = keyword === 'Include' ? rest.split(/\s+/).filter(Boolean).join(' ') : firstArgument(rest);
    out.push({ keyword, value, line: i + 1, global: inGlobal });
  }
  return out;
}

/** True for `/etc/ssh/sshd_config.d/NAME.conf` (not in a subdirectory), what Debian's Include reads. */
export function isSshdDropin(path: string): boolean {
  return path.startsWith(SSHD_DROPIN_DIR) && path.endsWith('.conf') && path.indexOf('/', SSHD_DROPIN_DIR.length) < 0;
}

/** Reports the global judged directives of each sshd drop-in: kind = keyword, excerpt = value. */
export const sshdConfigScanner: FileScanner = {
  id: 'sshd-config',
  version: 1,
  maxBytes: 256 * 1024,
  wants: (path) => isSshdDropin(path),
  sniff: (head) => !head.includes(0),
  scan(path, bytes) {
    if (!bytes) return [];
    const hits: Array<Omit<ScanHit, 'scanner'>> = [];
    for (const d of parseSshdConfig(bytes.toString('utf8'))) {
      // Nested Includes are not followed: the scanner sees one file at a time.
      if (d.keyword === 'Include' || !d.global) continue;
      hits.push({ kind: d.keyword, path, line: d.line, excerpt: d.value });
    }
    return hits;
  },
};

/** True when an Include pattern (`*` and `?` globs; relative to /etc/ssh) names `path`. */
export function includeMatches(pattern: string, path: string): boolean {
  const absolute = pattern.startsWith('/') ? pattern : `/etc/ssh/${pattern}`;
  let re = '^';
  for (const c of absolute) {
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$').test(path);
}
