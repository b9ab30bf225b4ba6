// DSP10501 / DSP10502: installed packages with known vulnerabilities, from the
// advisories check --vulns loaded for this image (context.advisories). One
// finding per package and vulnerability, at the file that declares the package
// in the layer that brought it in at this version, so the user sees whether
// the base image or their own step has to change.
import type { ImageFacts } from '../../../image/facts.js';
import type { Component } from '../../../sbom/component.js';
import { inventoryOf } from '../../../sbom/inventory.js';
import { PACKAGE_SCANNERS } from '../../../sbom/scanners/index.js';
import { vulnerabilitiesOf, type PackageVulnerability } from '../../../vulns/match.js';
import { severityRank } from '../../engine.js';
import type { RawFinding, Rule, RuleContext, Severity } from '../../rule.js';
import { fileLocation } from '../hygiene/where.js';
import { WITH_FIX, WITHOUT_FIX } from './ids.js';


export const knownVulnerabilities: Rule = {
  ids: [WITH_FIX, WITHOUT_FIX],
  needs: { files: true, scanners: PACKAGE_SCANNERS },
  evaluate(facts, context) {
    const lookup = context.advisories;
    if (!lookup) return []; // vulnerabilities not asked for (check without --vulns)
    const findings: RawFinding[] = [];
    for (const component of inventoryOf(facts).components) {
      for (const vuln of vulnerabilitiesOf(component, lookup)) {
        const policy = vuln.fixed !== undefined ? WITH_FIX : WITHOUT_FIX;
        const options = context.options(policy);
        const severity = vuln.severity ?? (options.unratedSeverity as Severity);
        if (severityRank(severity) < severityRank(options.minSeverity as Severity)) continue;
        findings.push(findingOf(facts, component, vuln, policy, severity, context));
      }
    }
    return findings;
  },
};

function findingOf(facts: ImageFacts, component: Component, vuln: PackageVulnerability, policy: string, severity: Severity, context: RuleContext): RawFinding {
  const where = component.locations[0];
  const location = fileLocation(facts, where.path, where.layerIndex);
  const finding: RawFinding = {
    policy,
    severity,
    message: messageOf(component, vuln, severity),
    location,
    inherited: where.inherited,
    subject: { path: where.path, package: component.name, purl: component.purl, advisory: vuln.id, aliases: vuln.aliases },
    vulnerability: {
      advisory: vuln.id,
      aliases: vuln.aliases,
      package: component.name,
      purl: component.purl,
      installed: vuln.installed,
      ecosystem: vuln.ecosystem,
      severitySource: vuln.severitySource,
    },
  };
  if (vuln.fixed !== undefined) finding.vulnerability!.fixed = vuln.fixed;
  if (vuln.score !== undefined) finding.vulnerability!.score = vuln.score;
  const summary = vuln.advisory.summary?.trim();
  if (summary) finding.vulnerability!.summary = summary;
  // Without a fix there is nothing to upgrade to: a warning unless the user wants these to fail.
  if (policy === WITHOUT_FIX && context.options(WITHOUT_FIX).failWithoutFix !== true) finding.warnOnly = true;
  return finding;
}

function messageOf(component: Component, vuln: PackageVulnerability, severity: Severity): string {
  // Debian and Alpine advisories are about the source package: say which, when it is not the package itself.
  const source = component.source && (component.source.name !== component.name || vuln.installed !== component.version) ? ` (source ${component.source.name} ${vuln.installed})` : '';
  const rating = vuln.score !== undefined ? `${severity}, CVSS ${vuln.score.toFixed(1)}` : vuln.severity ? severity : `${severity}, not rated`;
  const fix = vuln.fixed !== undefined ? `fixed in ${vuln.fixed}` : 'no fixed version released';
  const summary = vuln.advisory.summary?.trim();
  const others = component.locations.length > 1 ? ` (also at ${component.locations.length - 1} more path${component.locations.length > 2 ? 's' : ''})` : '';
  return `${component.name} ${component.version}${source} has ${vuln.id} (${rating}): ${fix}${summary ? ` — ${oneLine(summary)}` : ''}${others}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
