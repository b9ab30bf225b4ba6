// /etc/group: name:password:gid:members. Malformed lines are skipped.
import { intField, numberedLines } from './lines.js';

export interface GroupEntry {
  line: number;
  name: string;
  password: string;
  gid: number;
  members: string[];
}

export function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const { line, text: raw } of numberedLines(text)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const f = raw.split(':');
    if (f.length < 3) continue;
    const name = f[0] ?? '';
    if (name === '' || name.startsWith('+') || name.startsWith('-')) continue;
    const gid = intField(f[2]);
    if (gid === undefined || gid < 0) continue;
    const members = (f[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    entries.push({ line, name, password: f[1] ?? '', gid, members });
  }
  return entries;
}
