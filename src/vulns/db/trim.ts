// From a whole OSV advisory to the records the database stores: one per
// (ecosystem, package) it affects, holding only what the matcher reads.
import type { OsvAdvisory, OsvAffected } from '../osv.js';
import { packageKey } from './names.js';

export interface PackageRecord {
  ecosystem: string;
  /** The stored name (PEP 503 for PyPI). */
  key: string;
  advisory: OsvAdvisory;
}

const MAX_REFERENCES = 3;

/** True for a parsed document that has the shape of an advisory at all. */
export function isAdvisory(doc: unknown): doc is OsvAdvisory {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const { id, affected } = doc as { id?: unknown; affected?: unknown };
  return typeof id === 'string' && id !== '' && (affected === undefined || Array.isArray(affected));
}

/**
 * The advisory's records, one per package it affects, each with only the
 * `affected[]` entries of that package. Withdrawn advisories have none.
 */
export function packageRecords(advisory: OsvAdvisory): PackageRecord[] {
  if (advisory.withdrawn) return [];
  const groups = new Map<string, { ecosystem: string; key: string; affected: OsvAffected[] }>();
  for (const affected of advisory.affected ?? []) {
    const pkg = affected?.package;
    if (!pkg || typeof pkg.ecosystem !== 'string' || typeof pkg.name !== 'string' || pkg.ecosystem === '' || pkg.name === '') continue;
    const key = packageKey(pkg.ecosystem, pkg.name);
    const group = `${pkg.ecosystem}\0${key}`;
    let entry = groups.get(group);
    if (!entry) groups.set(group, (entry = { ecosystem: pkg.ecosystem, key, affected: [] }));
    entry.affected.push(trimAffected(affected));
  }
  const common = trimCommon(advisory);
  return [...groups.values()].map(({ ecosystem, key, affected }) => ({ ecosystem, key, advisory: { ...common, affected } }));
}

function trimCommon(a: OsvAdvisory): OsvAdvisory {
  const out: OsvAdvisory = { id: a.id };
  if (a.aliases?.length) out.aliases = a.aliases;
  if (a.summary) out.summary = a.summary;
  if (a.severity?.length) out.severity = a.severity;
  if (a.references?.length) out.references = a.references.slice(0, MAX_REFERENCES);
  if (a.database_specific) out.database_specific = a.database_specific;
  if (a.published) out.published = a.published;
  if (a.modified) out.modified = a.modified;
  return out;
}

function trimAffected(a: OsvAffected): OsvAffected {
  const out: OsvAffected = {};
  if (a.package) out.package = a.package;
  if (a.ranges?.length) out.ranges = a.ranges;
  if (a.versions?.length) out.versions = a.versions;
  if (a.severity?.length) out.severity = a.severity;
  if (a.ecosystem_specific) out.ecosystem_specific = a.ecosystem_specific;
  if (a.database_specific) out.database_specific = a.database_specific;
  return out;
}
