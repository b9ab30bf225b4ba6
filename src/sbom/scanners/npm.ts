// The `npm` scanner: installed npm packages and npm lock files.
//   - `…/node_modules/<name>/package.json` and `…/node_modules/@scope/<name>/package.json`:
//     a package's own manifest (origin `installed`). Manifests deeper inside a
//     package (test fixtures, `lib/x/package.json`) are not packages and are skipped.
//   - `package-lock.json` / `npm-shrinkwrap.json` outside node_modules: what the
//     application locked (origin `lockfile`). Entries marked `dev: true` are
//     skipped: `npm ci --omit=dev` (what a production image runs) does not
//     install them, and when they are installed their package.json reports them.
//     `link: true` entries and workspace sources (keys outside node_modules) are
//     the project's own code, not dependencies.
//   - npm's hidden lockfile `node_modules/.package-lock.json` is ignored: the
//     package.json files it summarises are read directly.
import type { FileScanner } from '../../image/file-scanner.js';
import { packageHit, type PackageRecord, type ScanHitBody } from '../package-record.js';
import { npmLicense } from './npm-license.js';

/** Largest manifest or lock file read (a monorepo's lock file is a few MiB; more is not a lock file). */
export const NPM_MAX_BYTES = 32 * 1024 * 1024;

const PACKAGE_JSON = '/package.json';
const NODE_MODULES = '/node_modules/';

/** True for `…/node_modules/<name>/package.json` and `…/node_modules/@scope/<name>/package.json`. */
export function isInstalledManifest(path: string): boolean {
  if (!path.endsWith(PACKAGE_JSON)) return false;
  const end = path.length - PACKAGE_JSON.length; // the '/' before package.json
  const nameSlash = path.lastIndexOf('/', end - 1);
  if (nameSlash < 0 || nameSlash + 1 === end || path.charCodeAt(nameSlash + 1) === 0x2e /* . */) return false;
  // Parent is node_modules: an unscoped package (`@scope` itself is a directory of packages).
  if (path.startsWith(NODE_MODULES, nameSlash - NODE_MODULES.length + 1)) return path.charCodeAt(nameSlash + 1) !== 0x40 /* @ */;
  // Parent is @scope and grandparent node_modules: a scoped package.
  const scopeSlash = path.lastIndexOf('/', nameSlash - 1);
  return (
    scopeSlash >= 0 &&
    path.charCodeAt(scopeSlash + 1) === 0x40 /* @ */ &&
    path.startsWith(NODE_MODULES, scopeSlash - NODE_MODULES.length + 1)
  );
}

/** True for an application's lock file (not one shipped inside an installed package). */
export function isLockFile(path: string): boolean {
  return (
    (path.endsWith('/package-lock.json') || path.endsWith('/npm-shrinkwrap.json')) && path.indexOf(NODE_MODULES) < 0
  );
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function parse(bytes: Buffer): Json | undefined {
  try {
    const doc: unknown = JSON.parse(bytes.toString('utf8'));
    return isObject(doc) ? doc : undefined;
  } catch {
    return undefined; // a broken manifest declares nothing
  }
}

function record(name: string, version: string, license: string | undefined, origin: PackageRecord['origin']): PackageRecord {
  const r: PackageRecord = { type: 'npm', name, version, origin };
  if (license) r.license = license;
  return r;
}

/** The package a manifest in node_modules declares. */
export function readManifest(path: string, bytes: Buffer): ScanHitBody[] {
  const doc = parse(bytes);
  const name = str(doc?.name);
  const version = str(doc?.version);
  if (!doc || !name || !version) return [];
  return [packageHit(path, record(name, version, npmLicense(doc), 'installed'))];
}

/** The packages a lock file pins (v2/v3 `packages`, else v1 `dependencies`). */
export function readLockFile(path: string, bytes: Buffer): ScanHitBody[] {
  const doc = parse(bytes);
  if (!doc) return [];
  const out: ScanHitBody[] = [];
  if (isObject(doc.packages)) {
    for (const [key, entry] of Object.entries(doc.packages)) {
      if (!isObject(entry) || entry.dev === true || entry.link === true) continue;
      const at = key.lastIndexOf('node_modules/');
      if (at < 0) continue; // the root "" or a workspace's sources: the project itself
      const name = str(entry.name) ?? key.slice(at + 'node_modules/'.length);
      const version = str(entry.version);
      if (!version) continue;
      out.push(packageHit(path, record(name, version, str(entry.license), 'lockfile')));
    }
    return out;
  }
  if (isObject(doc.dependencies)) walkV1(path, doc.dependencies, out);
  return out;
}

/** lockfileVersion 1: a tree of `name: { version, dev, dependencies }`. */
function walkV1(path: string, deps: Json, out: ScanHitBody[]): void {
  for (const [name, entry] of Object.entries(deps)) {
    if (!isObject(entry) || entry.dev === true) continue;
    const version = str(entry.version);
    // `file:` versions are local directories (v1's links): the project's own code.
    if (version && !version.startsWith('file:')) out.push(packageHit(path, record(name, version, undefined, 'lockfile')));
    if (isObject(entry.dependencies)) walkV1(path, entry.dependencies, out);
  }
}

export const npmScanner: FileScanner = {
  id: 'npm',
  version: 1,
  maxBytes: NPM_MAX_BYTES,
  // Per tar entry: one endsWith for almost every path; the structure check only for package.json files.
  // The last character first: both names end in `n` (`.json`), few other paths do.
  wants: (path, size) =>
    size > 0 && path.charCodeAt(path.length - 1) === 0x6e && (isInstalledManifest(path) || isLockFile(path)),
  scan(path, bytes) {
    if (!bytes) return []; // over the cap: not a real manifest or lock file
    return path.endsWith(PACKAGE_JSON) && !isLockFile(path) ? readManifest(path, bytes) : readLockFile(path, bytes);
  },
};
