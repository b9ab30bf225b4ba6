// Which version order an OSV ecosystem uses. Ecosystem strings may carry a
// release after a colon (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.19`);
// only the name before it chooses the order.

import { APK } from './apk.js';
import { DPKG } from './dpkg.js';
import { GO } from './go.js';
import { MAVEN } from './maven.js';
import { PEP440 } from './pep440.js';
import { RPM } from './rpm.js';
import { SEMVER } from './semver.js';
import type { VersionScheme } from './scheme.js';

export { APK, DPKG, GO, MAVEN, PEP440, RPM, SEMVER };
export { InvalidVersion, type VersionScheme, type VersionSchemeName } from './scheme.js';

const BY_ECOSYSTEM: ReadonlyMap<string, VersionScheme> = new Map([
  ['debian', DPKG],
  ['ubuntu', DPKG],
  ['alpine', APK],
  ['wolfi', APK],
  ['chainguard', APK],
  ['red hat', RPM],
  ['rocky linux', RPM],
  ['almalinux', RPM],
  ['opensuse', RPM],
  ['suse', RPM],
  ['mageia', RPM],
  ['photon os', RPM],
  ['azure linux', RPM],
  ['npm', SEMVER],
  // Cargo versions are semver 2.0.
  ['crates.io', SEMVER],
  ['pypi', PEP440],
  ['go', GO],
  ['maven', MAVEN],
]);

/** The version order of an OSV ecosystem, or undefined when we have none (NuGet, RubyGems, …). */
export function schemeFor(ecosystem: string): VersionScheme | undefined {
  const name = ecosystem.split(':')[0]?.trim().toLowerCase() ?? '';
  return BY_ECOSYSTEM.get(name);
}
