// Which OSV ecosystem (https://ossf.github.io/osv-schema/#affectedpackage-field)
// a component's advisories are filed under, and under which package name.
// Distribution packages are matched only against their own distribution's
// advisories: a Debian package's fix version means nothing for Ubuntu.
import type { Component } from './component.js';
import type { OsRelease } from './package-record.js';

type EcosystemInput = Pick<Component, 'type'>;

const LANGUAGE_ECOSYSTEMS = { npm: 'npm', pypi: 'PyPI', golang: 'Go', maven: 'Maven' } as const;

/** The OSV ecosystem, or undefined when OSV has none for this package on this OS. */
export function osvEcosystemOf(component: EcosystemInput, os: OsRelease | undefined): string | undefined {
  switch (component.type) {
    case 'npm':
    case 'pypi':
    case 'golang':
    case 'maven':
      return LANGUAGE_ECOSYSTEMS[component.type];
    case 'deb':
      return os ? debEcosystem(os) : undefined;
    case 'apk':
      return os?.id === 'alpine' ? alpineEcosystem(os) : undefined;
    case 'rpm':
      return os ? rpmEcosystem(os) : undefined;
  }
}

function debEcosystem(os: OsRelease): string | undefined {
  if (os.id === 'debian') {
    // Testing and sid have no VERSION_ID, and OSV files no advisories under them.
    const major = /^(\d+)/.exec(os.versionId)?.[1];
    return major ? `Debian:${major}` : undefined;
  }
  if (os.id === 'ubuntu') {
    // Canonical's records name LTS releases `Ubuntu:22.04:LTS` and interim ones
    // `Ubuntu:23.10` (Pro/ESM tiers are separate ecosystems we do not claim).
    const release = /^(\d+)\.(\d+)/.exec(os.versionId);
    if (!release) return undefined;
    return `Ubuntu:${release[1]}.${release[2]}${isUbuntuLts(os, Number(release[1]), release[2]!) ? ':LTS' : ''}`;
  }
  return undefined;
}

/** LTS releases are the even years' April releases; PRETTY_NAME says so too (`Ubuntu 22.04.4 LTS`). */
function isUbuntuLts(os: OsRelease, year: number, month: string): boolean {
  return /\bLTS\b/.test(os.prettyName ?? '') || (month === '04' && year % 2 === 0);
}

function alpineEcosystem(os: OsRelease): string | undefined {
  // `3.19.1` → `Alpine:v3.19`; edge (`3.20_alpha20240329`) has a major.minor too, which is the best there is.
  const release = /^(\d+)\.(\d+)/.exec(os.versionId);
  return release ? `Alpine:v${release[1]}.${release[2]}` : undefined;
}

function rpmEcosystem(os: OsRelease): string | undefined {
  const major = /^(\d+)/.exec(os.versionId)?.[1];
  switch (os.id) {
    case 'rocky':
      return major ? `Rocky Linux:${major}` : undefined;
    case 'almalinux':
      return major ? `AlmaLinux:${major}` : undefined;
    case 'rhel':
      // An approximation: OSV files Red Hat advisories per product stream
      // (`Red Hat:enterprise_linux:9::baseos`), which the image does not record.
      // `Red Hat` is the common prefix; the matcher takes it as one.
      return 'Red Hat';
    default:
      // Fedora (and others): OSV has no ecosystem for them, so no advisories to match.
      return undefined;
  }
}

/** The package name advisories are filed under in the component's ecosystem. */
export function advisoryNameOf(component: Pick<Component, 'type' | 'name' | 'namespace' | 'source'>): string {
  switch (component.type) {
    case 'deb': // Debian and Ubuntu file under the source package (`openssl`, not `libssl3`).
    case 'apk': // Alpine's secdb files under the origin (aports) name.
      return component.source?.name ?? component.name;
    case 'maven':
      return component.namespace ? `${component.namespace}:${component.name}` : component.name;
    default:
      // Go: the module path (the standard library is `stdlib`); npm, PyPI, rpm: the package name.
      return component.name;
  }
}
