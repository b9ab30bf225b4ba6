// Selects the enabled rules, runs them over the image facts, and turns raw
// findings into reported ones: words from the catalog, severity, action.
import type { DockerfileLine, ImageFacts } from '../image/facts.js';
import type { PolicyEntry } from './catalog.js';
import type { Action, Location, RawFinding, Rule, RuleNeeds, Severity } from './rule.js';

export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export interface Finding {
  policy: string;
  title: string;
  severity: Severity;
  action: Action;
  inherited: boolean;
  message: string;
  location: Location & { dockerfile?: DockerfileLine };
  remediation: string;
  /** What exceptions match on (a file path or a port). */
  subject?: { path?: string; port?: string };
  /**
   * The configuration exception that matched: on a suppressed finding the one
   * that silenced it; on a reported finding one that expired (`expired: true`).
   */
  exception?: ExceptionRef;
}

export interface ExceptionRef {
  reason: string;
  /** YYYY-MM-DD; the exception stops applying at 00:00 UTC that day. */
  expires?: string;
  expired: boolean;
  /** Where the exception is written: `FILE:LINE`. */
  source: string;
}

export interface EngineOptions {
  /** Findings at or above this severity fail, unless inherited or warn-only. */
  failOn: Severity;
  /** When set, only these policy IDs run. */
  only?: Set<string>;
  /** Policy IDs that do not run. */
  skip?: Set<string>;
}

/** The rules with at least one enabled policy. */
export function selectRules(rules: Rule[], options: Pick<EngineOptions, 'only' | 'skip'>): Rule[] {
  return rules.filter((r) => r.ids.some((id) => isEnabled(id, options)));
}

export function isEnabled(id: string, options: Pick<EngineOptions, 'only' | 'skip'>): boolean {
  if (options.only && options.only.size > 0 && !options.only.has(id)) return false;
  return !options.skip?.has(id);
}

/** What the selected rules need from the image, merged. */
export function combinedNeeds(rules: Rule[]): Required<RuleNeeds> {
  const contents = new Set<string>();
  let files = false;
  for (const r of rules) {
    if (r.needs.files) files = true;
    for (const c of r.needs.contents ?? []) contents.add(c);
  }
  return { files, contents: [...contents] };
}

export function evaluate(
  facts: ImageFacts,
  rules: Rule[],
  catalog: Map<string, PolicyEntry>,
  options: EngineOptions,
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const raw of rule.evaluate(facts)) {
      if (!isEnabled(raw.policy, options)) continue;
      findings.push(toFinding(raw, facts, catalog, options));
    }
  }
  return findings.sort(compareFindings);
}

function toFinding(raw: RawFinding, facts: ImageFacts, catalog: Map<string, PolicyEntry>, options: EngineOptions): Finding {
  const entry = catalog.get(raw.policy);
  if (!entry) throw new Error(`rule reported ${raw.policy}, which has no policies/${raw.policy}.yaml`);
  const severity = entry.severity;
  const failing = !raw.inherited && !raw.warnOnly && severityRank(severity) >= severityRank(options.failOn);
  const finding: Finding = {
    policy: raw.policy,
    title: entry.title,
    severity,
    action: failing ? 'fail' : 'warn',
    inherited: raw.inherited,
    message: raw.message,
    location: withDockerfileLine(raw.location, facts),
    remediation: entry.remediation,
  };
  if (raw.subject) finding.subject = raw.subject;
  return finding;
}

function withDockerfileLine(location: Location, facts: ImageFacts): Finding['location'] {
  const index = location.kind === 'history' ? location.index : location.historyIndex;
  const line = index === undefined ? undefined : facts.dockerfileLines?.get(index);
  return line ? { ...location, dockerfile: line } : location;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.action === b.action ? 0 : a.action === 'fail' ? -1 : 1) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(a.inherited) - Number(b.inherited) ||
    a.policy.localeCompare(b.policy) ||
    a.message.localeCompare(b.message)
  );
}
