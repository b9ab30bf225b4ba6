// Debian package versions, ordered as Debian Policy §5.6.12 and dpkg's
// verrevcmp: [epoch:]upstream[-revision], compared part by part.

import { compareDigits } from './digits.js';
import { InvalidVersion, type VersionScheme } from './scheme.js';

interface DebianVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

// Hyphens are allowed in the upstream part only when a revision follows, and
// colons only after an epoch; the split below leaves them where they belong.
const UPSTREAM = /^[A-Za-z0-9.+~:-]+$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;

function parse(text: string): DebianVersion | undefined {
  const version = text.trim();
  let rest = version;
  let epoch = '0';
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    epoch = rest.slice(0, colon);
    if (!/^\d+$/.test(epoch)) return undefined;
    rest = rest.slice(colon + 1);
  }
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    revision = rest.slice(hyphen + 1);
    if (!REVISION.test(revision)) return undefined;
    rest = rest.slice(0, hyphen);
  }
  if (!UPSTREAM.test(rest)) return undefined;
  // dpkg only warns about an upstream version not starting with a digit, so
  // such versions still order; a leading separator is an error though.
  if (!/^[A-Za-z0-9]/.test(rest)) return undefined;
  return { epoch, upstream: rest, revision };
}

/** Weight of one character in a non-digit run: `~` before the end, the end before letters, letters before other symbols. */
function weight(char: string | undefined): number {
  if (char === undefined) return 0;
  if (char === '~') return -1;
  if (/[A-Za-z]/.test(char)) return char.charCodeAt(0);
  return char.charCodeAt(0) + 256;
}

/** Compares upstream or revision strings: alternating non-digit runs (by weight) and digit runs (by value). */
function compareParts(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit prefix, character by character; a digit or the end weighs 0.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const wa = i < a.length && !isDigit(a[i]) ? weight(a[i]) : 0;
      const wb = j < b.length && !isDigit(b[j]) ? weight(b[j]) : 0;
      if (wa !== wb) return wa < wb ? -1 : 1;
      if (i < a.length && !isDigit(a[i])) i++;
      if (j < b.length && !isDigit(b[j])) j++;
    }
    const da = digitRun(a, i);
    const db = digitRun(b, j);
    const order = compareDigits(da, db);
    if (order !== 0) return order;
    i += da.length;
    j += db.length;
  }
  return 0;
}

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';

function digitRun(text: string, from: number): string {
  let end = from;
  while (isDigit(text[end])) end++;
  return text.slice(from, end);
}

function read(version: string): DebianVersion {
  const parsed = parse(version);
  if (!parsed) throw new InvalidVersion(`not a Debian version: ${JSON.stringify(version)}`);
  return parsed;
}

export const DPKG: VersionScheme = {
  name: 'dpkg',
  valid: (version) => parse(version) !== undefined,
  compare(a, b) {
    const x = read(a);
    const y = read(b);
    return compareDigits(x.epoch, y.epoch) || compareParts(x.upstream, y.upstream) || compareParts(x.revision, y.revision);
  },
};
