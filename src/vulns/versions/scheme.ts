// How each ecosystem orders versions. OSV `ECOSYSTEM` ranges are in the
// ecosystem's own order; `SEMVER` ranges in semver's.

export type VersionSchemeName = 'dpkg' | 'apk' | 'rpm' | 'semver' | 'pep440' | 'maven' | 'go';

export interface VersionScheme {
  name: VersionSchemeName;
  /** Negative, zero or positive, like a sort comparator. Throws InvalidVersion when either is not a version of this scheme. */
  compare(a: string, b: string): number;
  /** True when the string is a version this scheme can order. */
  valid(version: string): boolean;
}

export class InvalidVersion extends Error {}
