// The image's bill of materials from its package scanner hits (pure).
//
// Scanner hits come from every layer, including files a later layer deleted
// or rewrote; the inventory counts only what the container would see: hits
// from the layer that last wrote the path in the merged view. Each package is
// then attributed to the layer that brought it in at its current version, so
// a user knows whether to fix the base image or their own step.
import type { ImageFacts } from '../image/facts.js';
import type { LayerScanHit } from '../image/file-scanner.js';
import type { Component, ComponentLocation, Inventory } from './component.js';
import { osvEcosystemOf } from './ecosystem.js';
import { normalizeLicenses } from './licenses.js';
import { osReleaseOf, recordOf, type OsRelease, type PackageRecord } from './package-record.js';
import { purlOf } from './purl.js';
import { osReleaseRank } from './scanners/os-release.js';

/** Hit kinds besides `package` and `os-release` that the inventory reads. */
export const PACKAGE_LICENSE_HIT = 'package-license';
export const PACKAGE_DB_UNREAD_HIT = 'package-db-unread';
export const ARCHIVE_UNREAD_HIT = 'archive-unread';

// Database files hold every package of the OS, rewritten whole by each layer
// that installs anything; per-package files (package.json, METADATA, jars, Go
// binaries) belong to their one package.
const DATABASE_TYPES = new Set<PackageRecord['type']>(['deb', 'apk', 'rpm']);

export function inventoryOf(facts: ImageFacts): Inventory {
  // check --vulns asks twice per image (the advisories to load, then the rule): compute it once.
  let inventory = inventories.get(facts);
  if (!inventory) {
    inventory = buildInventory(facts);
    inventories.set(facts, inventory);
  }
  return inventory;
}

const inventories = new WeakMap<ImageFacts, Inventory>();

function buildInventory(facts: ImageFacts): Inventory {
  const current = facts.scanHits.filter((h) => facts.files.get(h.path)?.layerIndex === h.layerIndex);
  const os = osOf(current);
  const history = layerHistory(facts.scanHits);
  const byPurl = new Map<string, Component>();
  const locked: Array<{ hit: LayerScanHit; record: PackageRecord; purl: string }> = [];

  for (const hit of current) {
    const record = recordOf(hit);
    if (!record) continue;
    const purl = purlOf(record, os);
    if (record.origin === 'lockfile') {
      locked.push({ hit, record, purl });
      continue;
    }
    const layerIndex = DATABASE_TYPES.has(record.type) ? introducedIn(hit, record, history) : hit.layerIndex;
    addComponent(byPurl, purl, record, os, locationOf(hit.path, record, layerIndex, facts));
  }
  // Lock-file entries add what they know to an installed copy (its licence when
  // the manifest declared none) and stand alone only when nothing installed them.
  for (const { hit, record, purl } of locked) {
    const found = byPurl.get(purl);
    if (found) {
      if (found.licenses.length === 0) found.licenses = normalizeLicenses(record.license ? [record.license] : []);
      continue;
    }
    addComponent(byPurl, purl, record, os, locationOf(hit.path, record, hit.layerIndex, facts));
  }
  attachDebianLicenses(byPurl, current);

  const components = [...byPurl.values()];
  for (const c of components) c.locations.sort((a, b) => a.layerIndex - b.layerIndex || a.path.localeCompare(b.path));
  components.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version) || a.purl.localeCompare(b.purl));
  const inventory: Inventory = { components, notes: notesOf(current) };
  if (os) inventory.os = os;
  return inventory;
}

function addComponent(into: Map<string, Component>, purl: string, record: PackageRecord, os: OsRelease | undefined, location: ComponentLocation): void {
  const found = into.get(purl);
  if (found) {
    // One package, several places (node_modules of two apps, a jar copied twice).
    if (!found.locations.some((l) => l.path === location.path && l.innerPath === location.innerPath)) found.locations.push(location);
    if (found.licenses.length === 0 && record.license) found.licenses = normalizeLicenses([record.license]);
    return;
  }
  const component: Component = {
    type: record.type,
    name: record.name,
    version: displayVersion(record),
    licenses: normalizeLicenses(record.license ? [record.license] : []),
    purl,
    locations: [location],
    origin: record.origin ?? 'installed',
  };
  if (record.namespace) component.namespace = record.namespace;
  if (record.arch) component.arch = record.arch;
  if (record.sourceName) component.source = { name: record.sourceName, version: record.sourceVersion ?? record.version };
  const ecosystem = osvEcosystemOf(component, os);
  if (ecosystem) component.ecosystem = ecosystem;
  into.set(purl, component);
}

/** rpm packages as rpm names and compares them: `[epoch:]version-release`; others as declared. */
function displayVersion(record: PackageRecord): string {
  if (record.type !== 'rpm') return record.version;
  const release = record.release ? `${record.version}-${record.release}` : record.version;
  return record.epoch ? `${record.epoch}:${release}` : release;
}

function locationOf(path: string, record: PackageRecord, layerIndex: number, facts: ImageFacts): ComponentLocation {
  const layer = facts.layers[layerIndex];
  const location: ComponentLocation = { path, layerIndex, inherited: layer?.inherited ?? false };
  if (record.innerPath) location.innerPath = record.innerPath;
  if (layer?.historyIndex !== undefined) location.historyIndex = layer.historyIndex;
  return location;
}

/** Per database path, per layer that has hits for it: package identity → version. */
type LayerHistory = Map<string, Map<number, Map<string, string>>>;

function identityOf(record: PackageRecord): string {
  return `${record.type}\u0000${record.namespace ?? ''}\u0000${record.name}\u0000${record.arch ?? ''}`;
}

function versionKeyOf(record: PackageRecord): string {
  return `${record.epoch ?? ''}:${record.version}-${record.release ?? ''}`;
}

function layerHistory(hits: LayerScanHit[]): LayerHistory {
  const byPath: LayerHistory = new Map();
  for (const hit of hits) {
    const record = recordOf(hit);
    if (!record || !DATABASE_TYPES.has(record.type)) continue;
    let layers = byPath.get(hit.path);
    if (!layers) byPath.set(hit.path, (layers = new Map()));
    let packages = layers.get(hit.layerIndex);
    if (!packages) layers.set(hit.layerIndex, (packages = new Map()));
    packages.set(identityOf(record), versionKeyOf(record));
  }
  return byPath;
}

/**
 * The lowest layer L such that every layer from L up to the database's final
 * writer that has hits for the database lists this package at this version:
 * where it was installed or last upgraded, not merely where the file was last
 * rewritten (every `apt-get install` rewrites the whole status file).
 */
function introducedIn(hit: LayerScanHit, record: PackageRecord, history: LayerHistory): number {
  const layers = history.get(hit.path);
  if (!layers) return hit.layerIndex;
  const identity = identityOf(record);
  const version = versionKeyOf(record);
  const below = [...layers.keys()].filter((l) => l < hit.layerIndex).sort((a, b) => b - a);
  let introduced = hit.layerIndex;
  for (const layer of below) {
    if (layers.get(layer)?.get(identity) !== version) break;
    introduced = layer;
  }
  return introduced;
}

/** /etc/os-release, else /usr/lib/os-release, else the scanner's fallbacks (alpine-release, debian_version). */
function osOf(current: LayerScanHit[]): OsRelease | undefined {
  let best: { rank: number; path: string; os: OsRelease } | undefined;
  for (const hit of current) {
    const os = osReleaseOf(hit);
    if (!os) continue;
    const rank = osReleaseRank(hit.path);
    if (!best || rank < best.rank || (rank === best.rank && hit.path < best.path)) best = { rank, path: hit.path, os };
  }
  return best?.os;
}

/** Debian records licences in /usr/share/doc/<package>/copyright, not in the status file. */
function attachDebianLicenses(components: Map<string, Component>, current: LayerScanHit[]): void {
  const byPackage = new Map<string, string[]>();
  for (const hit of current) {
    const name = hit.data?.package;
    const license = hit.data?.license;
    if (hit.kind !== PACKAGE_LICENSE_HIT || !name || !license) continue;
    const list = byPackage.get(name) ?? [];
    list.push(...license.split('\n'));
    byPackage.set(name, list);
  }
  if (byPackage.size === 0) return;
  for (const component of components.values()) {
    const declared = component.type === 'deb' ? byPackage.get(component.name) : undefined;
    if (declared) component.licenses = normalizeLicenses([...component.licenses, ...declared]);
  }
}

/** What could not be read, one sentence per file. */
function notesOf(current: LayerScanHit[]): string[] {
  const notes: string[] = [];
  for (const hit of current) {
    const reason = hit.data?.reason;
    if (hit.kind === PACKAGE_DB_UNREAD_HIT) {
      const format = hit.data?.format ? ` (${hit.data.format})` : '';
      notes.push(`${hit.path}: package database${format} not read${reason ? `: ${reason}` : ''}; its packages are missing from this inventory`);
    } else if (hit.kind === ARCHIVE_UNREAD_HIT) {
      const inner = hit.data?.innerPath ? ` (${hit.data.innerPath})` : '';
      notes.push(`${hit.path}${inner}: archive not read${reason ? `: ${reason}` : ''}`);
    }
  }
  return [...new Set(notes)].sort();
}
