// RPM versions: [epoch:]version[-release], each part ordered by rpmvercmp
// (rpm ≥ 4.15): alternating digit and letter segments, other characters only
// separate, `~` sorts before everything (even the end) and `^` after the end
// but before any further segment.

import { compareDigits, compareStrings } from './digits.js';
import { InvalidVersion, type VersionScheme } from './scheme.js';

interface Evr {
  epoch: string;
  version: string;
  release?: string;
}

function parse(text: string): Evr | undefined {
  if (text.length === 0 || /\s/.test(text)) return undefined;
  // As rpm reads an EVR: leading digits then ':' make the epoch, the last '-' starts the release.
  const epochMatch = /^(\d*):/.exec(text);
  const epoch = epochMatch ? epochMatch[1] || '0' : '0';
  const rest = epochMatch ? text.slice(epochMatch[0].length) : text;
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const release = hyphen >= 0 ? rest.slice(hyphen + 1) : undefined;
  if (version === '' || release === '') return undefined;
  return { epoch, version, release };
}

const isAlnum = (char: string | undefined): boolean => char !== undefined && /[A-Za-z0-9]/.test(char);
const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';

/** rpmvercmp: orders two version (or release) strings. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;

    // A tilde makes its side older than anything else at this point, the end included.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // A caret makes its side newer than the end, older than any other segment.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(a[i]);
    const take = numeric ? isDigit : (char: string | undefined) => char !== undefined && /[A-Za-z]/.test(char);
    const startA = i;
    const startB = j;
    while (take(a[i])) i++;
    while (take(b[j])) j++;
    const segA = a.slice(startA, i);
    const segB = b.slice(startB, j);
    // Segments of different types: the numeric one is newer.
    if (segB.length === 0) return numeric ? 1 : -1;
    const order = numeric ? compareDigits(segA, segB) : compareStrings(segA, segB);
    if (order !== 0) return order;
  }
  if (i >= a.length && j >= b.length) return 0;
  // Whichever still has segments left is newer.
  return i >= a.length ? -1 : 1;
}

function read(version: string): Evr {
  const parsed = parse(version);
  if (!parsed) throw new InvalidVersion(`not an RPM version: ${JSON.stringify(version)}`);
  return parsed;
}

export const RPM: VersionScheme = {
  name: 'rpm',
  valid: (version) => parse(version) !== undefined,
  compare(a, b) {
    const x = read(a);
    const y = read(b);
    const order = compareDigits(x.epoch, y.epoch) || rpmvercmp(x.version, y.version);
    // As rpm does, a missing release matches any release (`1.0` vs `1.0-3`).
    if (order !== 0 || x.release === undefined || y.release === undefined) return order;
    return rpmvercmp(x.release, y.release);
  },
};
