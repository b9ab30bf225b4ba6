// Whether an installed version falls in an OSV `affected` entry, by the
// schema's evaluation algorithm (https://ossf.github.io/osv-schema/#evaluation):
// the exact `versions` list, or any range whose sorted events leave the
// version between an `introduced` and the next `fixed`/`last_affected`, and
// below a `limit` when there is one.

import type { OsvAffected, OsvRange } from './osv.js';
import type { VersionScheme } from './versions/scheme.js';
import { SEMVER } from './versions/semver.js';

export interface AffectedMatch {
  affected: boolean;
  /** The lowest `fixed` event above the installed version in the range that matched, when there is one. */
  fixed?: string;
  /** The range that matched in words, e.g. "introduced 0, fixed 3.0.11-1~deb12u2" or "listed version". */
  range?: string;
  /** True when the installed version could not be read by the scheme (not treated as affected). */
  unreadable?: boolean;
}

type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
interface Event {
  kind: EventKind;
  version: string;
}

const KINDS: readonly EventKind[] = ['introduced', 'fixed', 'last_affected', 'limit'];

/** `introduced: "0"` is before every version and `limit: "*"` after every one, in any scheme. */
const isZero = (e: Event): boolean => e.kind === 'introduced' && e.version === '0';
const isInfinity = (e: Event): boolean => e.kind === 'limit' && e.version === '*';

function eventsOf(range: OsvRange): Event[] {
  const events: Event[] = [];
  for (const raw of range.events) {
    for (const kind of KINDS) {
      const version = raw[kind];
      if (typeof version === 'string') events.push({ kind, version });
    }
  }
  return events;
}

/** Installed version against an event's version; the special values never reach the scheme. */
function versus(version: string, e: Event, scheme: VersionScheme): number {
  if (isZero(e)) return 1;
  if (isInfinity(e)) return -1;
  return scheme.compare(version, e.version);
}

function byVersion(scheme: VersionScheme): (a: Event, b: Event) => number {
  return (a, b) => {
    if (isZero(a) || isInfinity(b)) return isZero(b) || isInfinity(a) ? 0 : -1;
    if (isZero(b) || isInfinity(a)) return 1;
    return scheme.compare(a.version, b.version);
  };
}

const words = (events: Event[]): string => events.map((e) => `${e.kind} ${e.version}`).join(', ');

/** One range, or undefined when it cannot be judged (an event version the scheme cannot read). */
function matchRange(events: Event[], version: string, scheme: VersionScheme): AffectedMatch | undefined {
  if (!events.every((e) => isZero(e) || isInfinity(e) || scheme.valid(e.version))) return undefined;
  let sorted: Event[];
  try {
    sorted = [...events].sort(byVersion(scheme));
  } catch {
    return undefined;
  }
  const limits = sorted.filter((e) => e.kind === 'limit');
  if (limits.length > 0 && !limits.some((e) => versus(version, e, scheme) < 0)) return { affected: false };

  // Walk the timeline; remember where the current affected stretch opened.
  let opened: Event | undefined;
  for (const e of sorted) {
    const order = versus(version, e, scheme);
    if (e.kind === 'introduced' && order >= 0) opened = e;
    else if (e.kind === 'fixed' && order >= 0) opened = undefined;
    else if (e.kind === 'last_affected' && order > 0) opened = undefined;
  }
  if (!opened) return { affected: false };

  const after = sorted.slice(sorted.indexOf(opened) + 1);
  const fixed = after.find((e) => e.kind === 'fixed' && versus(version, e, scheme) < 0);
  const closing = after.find((e) => e.kind === 'fixed' || e.kind === 'last_affected');
  const limit = limits.find((e) => versus(version, e, scheme) < 0 && !isInfinity(e));
  const described = [opened, ...(closing ? [closing] : []), ...(limit ? [limit] : [])];
  return { affected: true, ...(fixed ? { fixed: fixed.version } : {}), range: words(described) };
}

/** Matches an installed version against one `affected` entry of an advisory. */
export function matchAffected(affected: OsvAffected, version: string, scheme: VersionScheme): AffectedMatch {
  if (affected.versions?.includes(version)) return { affected: true, range: 'listed version' };

  let unreadable = false;
  const listedScheme = scheme.valid(version) ? scheme : undefined;
  if (listedScheme && affected.versions?.some((v) => listedScheme.valid(v) && listedScheme.compare(version, v) === 0)) {
    return { affected: true, range: 'listed version' };
  }

  for (const range of affected.ranges ?? []) {
    // GIT ranges name commits, which an installed package does not carry.
    const rangeScheme = range.type === 'ECOSYSTEM' ? scheme : range.type === 'SEMVER' ? SEMVER : undefined;
    if (!rangeScheme) continue;
    if (!rangeScheme.valid(version)) {
      unreadable = true;
      continue;
    }
    const match = matchRange(eventsOf(range), version, rangeScheme);
    if (match?.affected) return match;
  }
  return unreadable ? { affected: false, unreadable: true } : { affected: false };
}
