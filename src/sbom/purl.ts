// Package URLs (https://github.com/package-url/purl-spec) for the packages we
// read, built and encoded by packageurl-js. OS packages carry the distribution
// as namespace and a `distro` qualifier, so `curl` from Debian 12 and from
// Ubuntu 22.04 never share a purl. Qualifiers come out sorted by key, which is
// the spec's canonical form.
import { lazyModule } from '../lazy-module.js';

const purlLib = lazyModule<typeof import('packageurl-js')>('packageurl-js');
import type { OsRelease, PackageRecord } from './package-record.js';

/** What a purl is made from: the record's identity (no licence, origin or source needed). */
export type PurlInput = Pick<PackageRecord, 'type' | 'name' | 'version' | 'namespace' | 'arch' | 'epoch' | 'release'>;

// When the image has no os-release (a distroless image keeps only the dpkg
// status files), the package format still names the usual vendor.
const DEFAULT_VENDOR: Partial<Record<PackageRecord['type'], string>> = { deb: 'debian', apk: 'alpine' };

export function purlOf(record: PurlInput, os?: OsRelease): string {
  const qualifiers: Record<string, string> = {};
  let namespace: string | undefined;
  let name = record.name;
  let version = record.version;
  switch (record.type) {
    case 'deb':
    case 'apk':
    case 'rpm': {
      namespace = os?.id ?? DEFAULT_VENDOR[record.type];
      if (record.arch) qualifiers.arch = record.arch;
      const distro = distroOf(os);
      if (distro) qualifiers.distro = distro;
      if (record.type === 'rpm') {
        // rpm compares version-release; the epoch is a qualifier (purl-spec rpm type).
        if (record.release && !version.endsWith(`-${record.release}`)) version = `${version}-${record.release}`;
        if (record.epoch && record.epoch !== '0') qualifiers.epoch = record.epoch;
      }
      break;
    }
    case 'npm': {
      // `@types/node`: the scope is the namespace (packageurl-js encodes its `@`).
      const slash = name.startsWith('@') ? name.indexOf('/') : -1;
      if (slash > 0) {
        namespace = name.slice(0, slash);
        name = name.slice(slash + 1);
      }
      break;
    }
    case 'pypi':
      // purl-spec: lowercased, `_` replaced with `-`.
      name = name.toLowerCase().replace(/_/g, '-');
      break;
    case 'golang': {
      // The module path: everything before the last segment is the namespace.
      const slash = name.lastIndexOf('/');
      if (slash > 0) {
        namespace = name.slice(0, slash);
        name = name.slice(slash + 1);
      }
      break;
    }
    case 'maven':
      namespace = record.namespace;
      break;
  }
  const q = Object.keys(qualifiers).length > 0 ? qualifiers : null;
  try {
    return new (purlLib().PackageURL)(record.type, namespace ?? null, name, version || null, q, null).toString();
  } catch {
    // A record the type's rules reject (a Maven artifact without groupId): still one
    // identity per package, percent-encoded by hand, rather than no component at all.
    const ns = namespace ? `${namespace.split('/').map(encodeURIComponent).join('/')}/` : '';
    return `pkg:${record.type}/${ns}${encodeURIComponent(name)}${version ? `@${encodeURIComponent(version)}` : ''}`;
  }
}

/** `debian-12`, `ubuntu-22.04`, `alpine-3.19.1`; the codename when there is no VERSION_ID (`debian-trixie`). */
export function distroOf(os: OsRelease | undefined): string | undefined {
  if (!os) return undefined;
  const release = os.versionId || os.versionCodename;
  return release ? `${os.id}-${release}` : undefined;
}
