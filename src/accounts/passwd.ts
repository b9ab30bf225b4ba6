// /etc/passwd: name:password:uid:gid:gecos:home:shell. Malformed lines
// (too few fields, non-numeric ids) are skipped, never thrown on; NIS
// `+`/`-` compat lines are skipped too (they are not local accounts).
import { intField, numberedLines } from './lines.js';

export interface PasswdEntry {
  line: number;
  name: string;
  /** The second field: `x` (see /etc/shadow), empty (no password), a hash, or a lock marker. */
  password: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const { line, text: raw } of numberedLines(text)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const f = raw.split(':');
    if (f.length < 7) continue;
    const name = f[0] ?? '';
    if (name === '' || name.startsWith('+') || name.startsWith('-')) continue;
    const uid = intField(f[2]);
    const gid = intField(f[3]);
    if (uid === undefined || gid === undefined || uid < 0 || gid < 0) continue;
    entries.push({
      line,
      name,
      password: f[1] ?? '',
      uid,
      gid,
      gecos: f[4] ?? '',
      home: f[5] ?? '',
      // A shell containing `:` is not valid; keep the 7th field only.
      shell: f[6] ?? '',
    });
  }
  return entries;
}
