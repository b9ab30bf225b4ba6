// The bill of materials of one image: components (packages) with where each
// was found and which layer and build step brought it in. Built from package
// hits by inventory.ts; written out by the sbom formats and matched against
// advisories by the vulnerability rules.
import type { OsRelease, PackageType } from './package-record.js';

/** One place a component is declared: its database or metadata file, in a layer. */
export interface ComponentLocation {
  /** Absolute image path: `/var/lib/dpkg/status`, `/app/node_modules/x/package.json`, `/usr/bin/app` (Go), `/app/app.jar`. */
  path: string;
  /** Inside `path` (a jar in a jar), when any. */
  innerPath?: string;
  /** The layer that brought the component in at this version (bottom = 0). */
  layerIndex: number;
  /** The history step that made that layer, when known. */
  historyIndex?: number;
  /** True when that layer belongs to the base image. */
  inherited: boolean;
}

export interface Component {
  type: PackageType;
  name: string;
  version: string;
  /** Maven groupId. */
  namespace?: string;
  arch?: string;
  /** Declared licences (SPDX expressions where they parse, else as written). */
  licenses: string[];
  /** Source package (dpkg Source, apk origin, rpm source rpm): advisories are filed under it. */
  source?: { name: string; version: string };
  /** Package URL (purl-spec), with `distro` for OS packages. */
  purl: string;
  /** OSV ecosystem the advisories for it are filed under: `Debian:12`, `Alpine:v3.19`, `npm`, `PyPI`, `Go`, `Maven`; undefined when unknown. */
  ecosystem?: string;
  /** Where it is found; the first is the lowest layer. A package installed in several node_modules dirs has several. */
  locations: ComponentLocation[];
  /** How it was found: installed database, lock file, binary build info, archive metadata. */
  origin: 'installed' | 'lockfile' | 'binary' | 'archive';
}

export interface Inventory {
  os?: OsRelease;
  components: Component[];
  /** What could not be read and why, one sentence each (an rpm database in the old Berkeley DB format, a jar too large). */
  notes: string[];
}
