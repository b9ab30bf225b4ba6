// Alpine (apk-tools) versions: digits{.digits}[letter]{_suffix[digits]}[~hash][-rN].
// Both versions are read token by token; the first differing token decides,
// and when one version runs out first the kind of the other's next token
// decides (a pre-release suffix makes it older, anything else newer).

import { compareDigits, compareStrings } from './digits.js';
import { InvalidVersion, type VersionScheme } from './scheme.js';

// Token kinds in the order apk-tools ranks them when two versions diverge in
// shape: a later kind at the same position means an older version.
enum Kind { Digit, Letter, Suffix, SuffixNumber, CommitHash, Revision, End }

interface Token {
  kind: Kind;
  text: string;
  /** Rank of a suffix; pre-releases rank below NONE. */
  suffix?: number;
  /** The first number of the version: never string-compared. */
  initial?: boolean;
}

const PRE_RELEASE = ['alpha', 'beta', 'pre', 'rc'];
const POST_RELEASE = ['cvs', 'svn', 'git', 'hg', 'p'];
const NONE = PRE_RELEASE.length;

function suffixRank(name: string): number | undefined {
  const pre = PRE_RELEASE.indexOf(name);
  if (pre >= 0) return pre;
  const post = POST_RELEASE.indexOf(name);
  return post >= 0 ? NONE + 1 + post : undefined;
}

/** Splits a version into tokens, or undefined when apk-tools would reject it. */
function tokenize(version: string): Token[] | undefined {
  const first = /^\d+/.exec(version);
  if (!first) return undefined;
  const tokens: Token[] = [{ kind: Kind.Digit, text: first[0], initial: true }];
  let rest = version.slice(first[0].length);
  let last = Kind.Digit;
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    let token: Token;
    if ((match = /^\.(\d+)/.exec(rest)) && last === Kind.Digit) {
      token = { kind: Kind.Digit, text: match[1] };
    } else if ((match = /^[a-z]/.exec(rest)) && last === Kind.Digit) {
      token = { kind: Kind.Letter, text: match[0] };
    } else if ((match = /^_([a-z]*)/.exec(rest)) && last <= Kind.SuffixNumber) {
      const suffix = suffixRank(match[1]);
      if (suffix === undefined) return undefined;
      token = { kind: Kind.Suffix, text: match[1], suffix };
    } else if ((match = /^\d+/.exec(rest)) && last === Kind.Suffix) {
      token = { kind: Kind.SuffixNumber, text: match[0] };
    } else if ((match = /^~([0-9a-f]+)/.exec(rest)) && last < Kind.CommitHash) {
      token = { kind: Kind.CommitHash, text: match[1] };
    } else if ((match = /^-r(\d+)/.exec(rest)) && last < Kind.Revision) {
      token = { kind: Kind.Revision, text: match[1] };
    } else {
      return undefined;
    }
    tokens.push(token);
    last = token.kind;
    rest = rest.slice(match[0].length);
  }
  return tokens;
}

function compareTokens(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      // After the first number, a leading zero means a decimal fraction
      // (Gentoo rule): 1.001 < 1.01, so compare as text.
      if (!a.initial && (a.text.startsWith('0') || b.text.startsWith('0'))) return compareStrings(a.text, b.text);
      return compareDigits(a.text, b.text);
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareDigits(a.text, b.text);
    case Kind.Suffix:
      return Math.sign((a.suffix ?? 0) - (b.suffix ?? 0));
    default:
      return compareStrings(a.text, b.text);
  }
}

function read(version: string): Token[] {
  const tokens = tokenize(version);
  if (!tokens) throw new InvalidVersion(`not an Alpine version: ${JSON.stringify(version)}`);
  return tokens;
}

export const APK: VersionScheme = {
  name: 'apk',
  valid: (version) => tokenize(version) !== undefined,
  compare(a, b) {
    const x = read(a);
    const y = read(b);
    const end: Token = { kind: Kind.End, text: '' };
    for (let i = 0; ; i++) {
      const ta = x[i] ?? end;
      const tb = y[i] ?? end;
      if (ta.kind !== tb.kind) {
        if (ta.kind === Kind.Suffix && (ta.suffix ?? NONE) < NONE) return -1;
        if (tb.kind === Kind.Suffix && (tb.suffix ?? NONE) < NONE) return 1;
        return ta.kind > tb.kind ? -1 : 1;
      }
      if (ta.kind === Kind.End) return 0;
      const order = compareTokens(ta, tb);
      if (order !== 0) return order;
    }
  },
};
