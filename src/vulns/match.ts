// Which advisories affect one component: the advisory's affected entries for
// the component's ecosystem and name, evaluated with the ecosystem's own
// version order. Pure: the advisories were loaded before (osv.ts AdvisoryLookup).
import type { Component } from '../sbom/component.js';
import { advisoryNameOf } from '../sbom/ecosystem.js';
import type { Severity } from '../policies/rule.js';
import { severityRank } from '../policies/engine.js';
import { matchAffected } from './affected.js';
import type { AdvisoryLookup, OsvAdvisory, OsvAffected } from './osv.js';
import { severityOf } from './severity.js';
import { schemeFor } from './versions/index.js';
import { lookupEcosystems, packageKey } from './db/names.js';

export interface PackageVulnerability {
  advisory: OsvAdvisory;
  /** The advisory's ID, or the CVE it is filed for when it names one (what users search for). */
  id: string;
  aliases: string[];
  ecosystem: string;
  /** The version compared: a Debian or Alpine package's source version, else its own. */
  installed: string;
  fixed?: string;
  severity?: Severity;
  score?: number;
  severitySource: string;
}

/** Every advisory that affects the component, one per vulnerability (a CVE filed as DSA, DLA and CVE counts once). */
export function vulnerabilitiesOf(component: Component, lookup: AdvisoryLookup): PackageVulnerability[] {
  const ecosystem = component.ecosystem;
  if (!ecosystem) return [];
  const name = advisoryNameOf(component);
  const installed = comparedVersion(component);
  const byKey = new Map<string, PackageVulnerability>();
  for (const advisory of lookup.advisoriesFor(ecosystem, name)) {
    if (advisory.withdrawn) continue;
    for (const affected of advisory.affected ?? []) {
      if (!concerns(affected, ecosystem, name)) continue;
      const scheme = schemeFor(affected.package!.ecosystem);
      if (!scheme) continue;
      const match = matchAffected(affected, installed, scheme);
      if (!match.affected) continue;
      const rated = severityOf(advisory, affected);
      const found: PackageVulnerability = {
        advisory,
        id: advisory.id,
        aliases: advisory.aliases ?? [],
        ecosystem: affected.package!.ecosystem,
        installed,
        severitySource: rated?.source ?? 'unrated',
      };
      if (match.fixed) found.fixed = match.fixed;
      if (rated) found.severity = rated.severity;
      if (rated?.score !== undefined) found.score = rated.score;
      merge(byKey, found);
      break;
    }
  }
  return [...byKey.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The affected entry is for this package: same ecosystem (or the advisory names no release) and name. */
function concerns(affected: OsvAffected, ecosystem: string, name: string): boolean {
  const pkg = affected.package;
  if (!pkg || !lookupEcosystems(ecosystem).includes(pkg.ecosystem)) return false;
  return packageKey(pkg.ecosystem, pkg.name) === packageKey(ecosystem, name);
}

/** Debian and Alpine file advisories under the source package, with its version (a binNMU's `+b1` is not in them). */
function comparedVersion(component: Component): string {
  if ((component.type === 'deb' || component.type === 'apk') && component.source) return component.source.version;
  return component.version;
}

// Several advisories for one CVE (Debian's DSA, DLA and DEBIAN-CVE entries): keep one, the one that names a fix and the highest rating.
function merge(byKey: Map<string, PackageVulnerability>, found: PackageVulnerability): void {
  const key = cveOf(found.advisory) ?? found.advisory.id;
  const seen = byKey.get(key);
  const aliases = [...new Set([...(seen ? [seen.advisory.id, ...seen.aliases] : []), found.advisory.id, ...found.aliases])].filter((a) => a !== key);
  const better = !seen || (found.fixed !== undefined && seen.fixed === undefined) || ((found.fixed === undefined) === (seen.fixed === undefined) && rank(found.severity) > rank(seen.severity));
  const kept = better ? found : seen;
  byKey.set(key, { ...kept, id: key, aliases });
}

/** The CVE an advisory is filed for: its ID, an alias, an upstream ID, or inside its ID (`DEBIAN-CVE-2024-0727`). */
function cveOf(advisory: OsvAdvisory): string | undefined {
  for (const id of [advisory.id, ...(advisory.aliases ?? []), ...(advisory.upstream ?? [])]) {
    const m = /CVE-\d{4}-\d{4,}/.exec(id);
    if (m) return m[0];
  }
  return undefined;
}

function rank(s: Severity | undefined): number {
  return s ? severityRank(s) : 0;
}
