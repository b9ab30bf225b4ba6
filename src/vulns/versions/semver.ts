// npm's Semantic Versioning 2.0.0 order, via the `semver` package. Strict
// parsing (loose: false), except that a leading `v` is tolerated because
// advisories and package metadata often carry one.

import { lazyModule } from '../../lazy-module.js';

const semver = lazyModule<typeof import('semver')>('semver');
import { InvalidVersion, type VersionScheme } from './scheme.js';

/** The version without a leading `v`, when what is left is strict semver. */
export function cleanSemver(version: string): string | undefined {
  const bare = version.startsWith('v') ? version.slice(1) : version;
  // The library itself trims blanks and drops one more `v` or `=`; we do not.
  if (/^[v=]|\s/.test(bare)) return undefined;
  return semver().valid(bare, { loose: false }) === null ? undefined : bare;
}

function read(version: string): string {
  const bare = cleanSemver(version);
  if (bare === undefined) throw new InvalidVersion(`not a semantic version: ${JSON.stringify(version)}`);
  return bare;
}

export const SEMVER: VersionScheme = {
  name: 'semver',
  valid: (version) => cleanSemver(version) !== undefined,
  // Build metadata does not take part in the order (semver §10).
  compare: (a, b) => semver().compare(read(a), read(b)),
};
