// Go module versions (golang.org/x/mod/semver): semver with a `v` prefix,
// where `v1` and `v1.2` are shorthands for `v1.0.0` and `v1.2.0`.
// Pseudo-versions (v0.0.0-20060102150405-abcdef123456,
// v1.2.4-0.2006…) are semver pre-releases and need no special case: they
// order after their base release and before the next one. OSV stores Go
// versions without the `v`, so both spellings are accepted.

import { lazyModule } from '../../lazy-module.js';

const semver = lazyModule<typeof import('semver')>('semver');
import { InvalidVersion, type VersionScheme } from './scheme.js';

/** Canonical semver (without `v`) for a Go version, or undefined. */
function canonical(version: string): string | undefined {
  const bare = version.startsWith('v') ? version.slice(1) : version;
  if (/^[v=]|\s/.test(bare)) return undefined;
  // Shorthands carry neither pre-release nor build (`v1.2-pre` is invalid).
  const short = /^(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/.exec(bare);
  const full = short ? `${short[1]}.${short[2] ?? '0'}.0` : bare;
  return semver().valid(full, { loose: false }) === null ? undefined : full;
}

function read(version: string): string {
  const full = canonical(version);
  if (full === undefined) throw new InvalidVersion(`not a Go module version: ${JSON.stringify(version)}`);
  return full;
}

export const GO: VersionScheme = {
  name: 'go',
  valid: (version) => canonical(version) !== undefined,
  compare: (a, b) => semver().compare(read(a), read(b)),
};
