// Maven versions, ordered as Maven 3.9's ComparableVersion (the "Version
// Order Specification" of the POM reference). A version is a tree: numbers
// and qualifiers separated by `.`, with `-` and digit↔letter transitions
// opening a sub-list; trailing "null" items (0, "", ga/final/release) are
// dropped so that 1 = 1.0 = 1-0 = 1.ga.

import { compareDigits, compareStrings } from './digits.js';
import { InvalidVersion, type VersionScheme } from './scheme.js';

type Item =
  | { kind: 'number'; digits: string }
  | { kind: 'qualifier'; name: string }
  | { kind: 'list'; items: Item[] };

// Known qualifiers in release order; '' is the release itself.
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE = String(QUALIFIERS.indexOf(''));

/** Sort key of a qualifier: its rank among the known ones, unknown ones after all of them, alphabetically. */
function qualifierKey(name: string): string {
  const rank = QUALIFIERS.indexOf(name);
  return rank >= 0 ? String(rank) : `${QUALIFIERS.length}-${name}`;
}

function qualifier(text: string, followedByDigit: boolean): Item {
  // a1, b2, m3 are alpha-1, beta-2, milestone-3; a lone `a` is just `a`.
  const short: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };
  const name = followedByDigit && text.length === 1 ? (short[text] ?? text) : text;
  return { kind: 'qualifier', name: ALIASES[name] ?? name };
}

function item(isDigit: boolean, text: string): Item {
  return isDigit ? { kind: 'number', digits: text.replace(/^0+/, '') || '0' } : qualifier(text, false);
}

function isNull(it: Item): boolean {
  if (it.kind === 'number') return it.digits === '0';
  if (it.kind === 'qualifier') return qualifierKey(it.name) === RELEASE;
  return it.items.length === 0;
}

/** Drops trailing null items, looking through (but not past) sub-lists. */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const it = list[i];
    if (it !== undefined && isNull(it)) list.splice(i, 1);
    else if (it?.kind !== 'list') break;
  }
}

function parse(version: string): Item {
  const text = version.toLowerCase();
  const root: Item[] = [];
  const lists: Item[][] = [root];
  let list = root;
  const open = (): void => {
    const sub: Item[] = [];
    list.push({ kind: 'list', items: sub });
    lists.push(sub);
    list = sub;
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '.' || c === '-') {
      list.push(i === start ? { kind: 'number', digits: '0' } : item(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === '-') open();
    } else if (c !== undefined && c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        // A qualifier followed by digits (`rc1`) is a sub-list of its own, so
        // 1.0.0.rc1 < 1.0.0-rc2 (".X" is read as "-X").
        if (list.length > 0) open();
        list.push(qualifier(text.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(item(true, text.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    if (!isDigit && list.length > 0) open();
    list.push(item(isDigit, text.slice(start)));
  }
  // Innermost lists first, so an emptied sub-list counts as null in its parent.
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i] ?? []);
  return { kind: 'list', items: root };
}

/** Compares an item with another, or with nothing (the shorter version's missing tail). */
function compareItem(a: Item, b: Item | undefined): number {
  switch (a.kind) {
    case 'number':
      if (b === undefined) return a.digits === '0' ? 0 : 1;
      return b.kind === 'number' ? compareDigits(a.digits, b.digits) : 1;
    case 'qualifier':
      if (b === undefined) return Math.sign(compareStrings(qualifierKey(a.name), RELEASE));
      if (b.kind === 'qualifier') return compareStrings(qualifierKey(a.name), qualifierKey(b.name));
      return -1;
    case 'list': {
      if (b === undefined) {
        for (const it of a.items) {
          const order = compareItem(it, undefined);
          if (order !== 0) return order;
        }
        return 0;
      }
      if (b.kind === 'number') return -1;
      if (b.kind === 'qualifier') return 1;
      const length = Math.max(a.items.length, b.items.length);
      for (let i = 0; i < length; i++) {
        const left = a.items[i];
        const right = b.items[i];
        const order = left === undefined ? (right === undefined ? 0 : -compareItem(right, undefined)) : compareItem(left, right);
        if (order !== 0) return order;
      }
      return 0;
    }
  }
}

function read(version: string): Item {
  if (version.trim() === '' || /\s/.test(version)) throw new InvalidVersion(`not a Maven version: ${JSON.stringify(version)}`);
  return parse(version);
}

export const MAVEN: VersionScheme = {
  name: 'maven',
  // Maven orders any string; only empty or spaced ones are not versions.
  valid: (version) => version.trim() !== '' && !/\s/.test(version),
  compare: (a, b) => compareItem(read(a), read(b)),
};
