// What package scanners report: one ScanHit per package (kind `package`) or
// per OS release file (kind `os-release`), with the facts in `data` as flat
// strings so the layer cache keeps them as they are. The inventory
// (inventory.ts) turns the hits of the merged view into components.
import type { ScanHit } from '../image/file-scanner.js';

/** The purl type of each package source we read. */
export type PackageType = 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven';

export const PACKAGE_HIT = 'package';
export const OS_RELEASE_HIT = 'os-release';

/** One installed (or locked) package, as its database or metadata file declares it. */
export interface PackageRecord {
  type: PackageType;
  /** Binary package name (deb, apk, rpm), npm name with scope (`@types/node`), Python distribution name, Go module path, Maven artifactId. */
  name: string;
  version: string;
  /** Maven groupId. */
  namespace?: string;
  arch?: string;
  /** rpm epoch (only when set). */
  epoch?: string;
  /** rpm release (version-release is what rpm compares). */
  release?: string;
  /** The licence as declared (an SPDX expression or free text), when declared. */
  license?: string;
  /** Source package: dpkg `Source:`, apk origin, rpm source rpm name. Advisories are filed under it. */
  sourceName?: string;
  sourceVersion?: string;
  /** How it was found when not from the installed database: `lockfile` (package-lock.json). */
  origin?: 'installed' | 'lockfile' | 'binary' | 'archive';
  /** For files inside files (a jar inside a jar): the inner path, `BOOT-INF/lib/x.jar`. */
  innerPath?: string;
}

/** `/etc/os-release` (or `/usr/lib/os-release`). */
export interface OsRelease {
  /** `debian`, `alpine`, `ubuntu`, `fedora`, `rhel`, `rocky`, `almalinux`, … */
  id: string;
  /** `12`, `3.19.1`, `9.3`; '' when the file has none (Debian testing). */
  versionId: string;
  versionCodename?: string;
  prettyName?: string;
  /** `ID_LIKE`, split. */
  idLike?: string[];
}

export type ScanHitBody = Omit<ScanHit, 'scanner'>;

export function packageHit(path: string, record: PackageRecord): ScanHitBody {
  return { kind: PACKAGE_HIT, path, data: compact(record as unknown as Record<string, string | undefined>) };
}

export function osReleaseHit(path: string, os: OsRelease): ScanHitBody {
  const data: Record<string, string | undefined> = {
    id: os.id,
    versionId: os.versionId,
    versionCodename: os.versionCodename,
    prettyName: os.prettyName,
    idLike: os.idLike?.join(' '),
  };
  return { kind: OS_RELEASE_HIT, path, data: compact(data) };
}

/** The record a package hit carries, or undefined for other hits (or a malformed one). */
export function recordOf(hit: ScanHit): PackageRecord | undefined {
  const d = hit.data;
  if (hit.kind !== PACKAGE_HIT || !d || !d.type || !d.name || d.version === undefined) return undefined;
  return d as unknown as PackageRecord;
}

export function osReleaseOf(hit: ScanHit): OsRelease | undefined {
  const d = hit.data;
  if (hit.kind !== OS_RELEASE_HIT || !d || !d.id) return undefined;
  const os: OsRelease = { id: d.id, versionId: d.versionId ?? '' };
  if (d.versionCodename) os.versionCodename = d.versionCodename;
  if (d.prettyName) os.prettyName = d.prettyName;
  if (d.idLike) os.idLike = d.idLike.split(' ');
  return os;
}

function compact(record: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
