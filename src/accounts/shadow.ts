// /etc/shadow: name:password:lastchg:min:max:warn:inactive:expire:reserved.
import { intField, numberedLines } from './lines.js';

export interface ShadowEntry {
  line: number;
  name: string;
  /** A hash, empty (no password), or a lock marker (`!`, `*`, `!!`, `!$6$…`). */
  password: string;
  /** Days since the epoch of the last change; 0 forces a change at next login. */
  lastChange?: number;
  /** Field 4: days before the password may be changed again. */
  minDays?: number;
  /** Field 5: days after which it must be changed; empty means never. */
  maxDays?: number;
  warnDays?: number;
  inactiveDays?: number;
  /** Field 8: days since the epoch when the account expires. */
  expire?: number;
}

export function parseShadow(text: string): ShadowEntry[] {
  const entries: ShadowEntry[] = [];
  for (const { line, text: raw } of numberedLines(text)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const f = raw.split(':');
    // Some tools write fewer trailing fields; name and password are the minimum.
    if (f.length < 2) continue;
    const name = f[0] ?? '';
    if (name === '' || name.startsWith('+') || name.startsWith('-')) continue;
    const entry: ShadowEntry = { line, name, password: f[1] ?? '' };
    const set = (key: 'lastChange' | 'minDays' | 'maxDays' | 'warnDays' | 'inactiveDays' | 'expire', value: string | undefined): void => {
      const n = intField(value);
      if (n !== undefined) entry[key] = n;
    };
    set('lastChange', f[2]);
    set('minDays', f[3]);
    set('maxDays', f[4]);
    set('warnDays', f[5]);
    set('inactiveDays', f[6]);
    set('expire', f[7]);
    entries.push(entry);
  }
  return entries;
}
