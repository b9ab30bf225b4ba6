// Selects the enabled rules, runs them over the image facts, and turns raw
// findings into reported ones: words from the catalog, severity, action.
import type { DockerfileLine, ImageFacts } from '../image/facts.js';
import type { PolicyEntry } from './catalog.js';
import { matchException } from '../config/exceptions.js';
import type { InheritedMode, PolicyException, PolicySetting } from '../config/model.js';
import type { Action, FindingSubject, Location, RawFinding, Rule, RuleContext, RuleNeeds, Severity, VulnerabilityDetail } from './rule.js';
import type { AdvisoryLookup } from '../vulns/osv.js';
import type { FileScanner } from '../image/file-scanner.js';
import { resolveOptions } from './options.js';
import { redactorFor } from '../secrets/image-secrets.js';

export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/**
 * A reported finding. `L` is where it is: an image location (the default, what
 * `check` reports) or, for `audit`, a container or daemon location
 * (RuntimeFinding in runtime-engine.ts).
 */
export interface Finding<L = Location> {
  policy: string;
  title: string;
  severity: Severity;
  action: Action;
  inherited: boolean;
  message: string;
  location: L & { dockerfile?: DockerfileLine };
  remediation: string;
  /** What exceptions match on (a file path, a port, a package and advisory). */
  subject?: FindingSubject;
  /** Known-vulnerability findings: the package, versions and advisory. */
  vulnerability?: VulnerabilityDetail;
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
  /** How findings caused by the base image count (default warn). */
  inherited?: InheritedMode;
  /** When set, only these policy IDs run (a command-line choice: it wins over `action: off`). */
  only?: Set<string>;
  /** Policy IDs that do not run. */
  skip?: Set<string>;
  /** Per-policy action and severity from the configuration. */
  policies?: Record<string, PolicySetting>;
  exceptions?: PolicyException[];
  /** The date exceptions expire against (tests pin it). */
  now?: Date;
  /** Advisories loaded for this image's packages (check --vulns). */
  advisories?: AdvisoryLookup;
}

type Selection = Pick<EngineOptions, 'only' | 'skip' | 'policies'>;

/** The rules with at least one enabled policy (image rules, or runtime rules). */
export function selectRules<R extends Pick<Rule, 'ids'>>(rules: R[], options: Selection): R[] {
  return rules.filter((r) => r.ids.some((id) => isEnabled(id, options)));
}

export function isEnabled(id: string, options: Selection): boolean {
  if (options.only && options.only.size > 0) return options.only.has(id);
  return !options.skip?.has(id) && options.policies?.[id]?.action !== 'off';
}

/** What the selected rules need from the image, merged. */
export function combinedNeeds(rules: Rule[]): Required<RuleNeeds> {
  const contents = new Set<string>();
  const scanners = new Map<string, FileScanner>();
  let files = false;
  for (const r of rules) {
    if (r.needs.files) files = true;
    for (const c of r.needs.contents ?? []) contents.add(c);
    for (const s of r.needs.scanners ?? []) scanners.set(s.id, s);
  }
  return { files, contents: [...contents], scanners: [...scanners.values()] };
}

/** The options each policy runs with: catalog defaults, then the configuration. */
export function ruleContext(catalog: Map<string, PolicyEntry>, options: Pick<EngineOptions, 'policies' | 'advisories'>): RuleContext {
  const resolved = new Map<string, Record<string, unknown>>();
  return {
    ...(options.advisories ? { advisories: options.advisories } : {}),
    options(policy) {
      let values = resolved.get(policy);
      if (!values) {
        values = resolveOptions(catalog.get(policy), options.policies?.[policy]);
        resolved.set(policy, values);
      }
      return values as ReturnType<RuleContext['options']>;
    },
  };
}

export function evaluate(
  facts: ImageFacts,
  rules: Rule[],
  catalog: Map<string, PolicyEntry>,
  options: EngineOptions,
): Finding[] {
  const findings: Finding[] = [];
  const context = ruleContext(catalog, options);
  // Whatever a rule prints (a step's Dockerfile line, an ENV value), the image's secrets are masked in it.
  const redact = redactorFor(facts);
  for (const rule of rules) {
    for (const raw of rule.evaluate(facts, context)) {
      if (!isEnabled(raw.policy, options)) continue;
      if (raw.inherited && options.inherited === 'off') continue;
      findings.push(toFinding(masked(raw, redact), facts, catalog, options));
    }
  }
  return findings.sort(compareFindings);
}

export interface Judged {
  findings: Finding[];
  /** Findings an exception covers, each with that exception. */
  suppressed: Finding[];
}

/** evaluate, then move the findings that a live exception covers to `suppressed`. */
export function judge(
  facts: ImageFacts,
  rules: Rule[],
  catalog: Map<string, PolicyEntry>,
  options: EngineOptions,
  ref?: string,
): Judged {
  const judged: Judged = { findings: [], suppressed: [] };
  const image = { id: facts.id, repoTags: facts.repoTags, ...(ref ? { ref } : {}) };
  const now = options.now ?? new Date();
  for (const finding of evaluate(facts, rules, catalog, options)) {
    const match = matchException(finding, image, options.exceptions ?? [], now);
    const exception = match.active ?? match.expired;
    if (exception) {
      finding.exception = { reason: exception.reason, expired: !match.active, source: exception.source };
      if (exception.expires) finding.exception.expires = exception.expires;
    }
    (match.active ? judged.suppressed : judged.findings).push(finding);
  }
  return judged;
}

/** fail or warn: the policy's configured action, else its severity against the threshold. */
export function actionOf(
  raw: Pick<RawFinding, 'inherited' | 'warnOnly'>,
  severity: Severity,
  setting: PolicySetting | undefined,
  options: EngineOptions,
): Action {
  if (raw.warnOnly) return 'warn'; // the rule itself is unsure (e.g. base boundary unknown)
  if (raw.inherited && (options.inherited ?? 'warn') === 'warn') return 'warn';
  if (setting?.action === 'fail' || setting?.action === 'warn') return setting.action;
  return actionAtThreshold(severity, options.failOn);
}

/** The default verdict of DESIGN.md: fail at or above the threshold, warn below it. */
export function actionAtThreshold(severity: Severity, failOn: Severity): Action {
  return severityRank(severity) >= severityRank(failOn) ? 'fail' : 'warn';
}

function masked(raw: RawFinding, redact: (text: string) => string): RawFinding {
  const location = 'instruction' in raw.location && raw.location.instruction !== undefined
    ? { ...raw.location, instruction: redact(raw.location.instruction) }
    : raw.location;
  return { ...raw, message: redact(raw.message), location };
}

function toFinding(raw: RawFinding, facts: ImageFacts, catalog: Map<string, PolicyEntry>, options: EngineOptions): Finding {
  const entry = catalog.get(raw.policy);
  if (!entry) throw new Error(`rule reported ${raw.policy}, which has no policies/${raw.policy}.yaml`);
  const setting = options.policies?.[raw.policy];
  // The configuration wins; then the finding's own (a vulnerability's); then the policy's.
  const severity = setting?.severity ?? raw.severity ?? entry.severity;
  const finding: Finding = {
    policy: raw.policy,
    title: entry.title,
    severity,
    action: actionOf(raw, severity, setting, options),
    inherited: raw.inherited,
    message: raw.message,
    location: withDockerfileLine(raw.location, facts),
    remediation: entry.remediation,
  };
  if (raw.subject) finding.subject = raw.subject;
  if (raw.vulnerability) finding.vulnerability = raw.vulnerability;
  return finding;
}

function withDockerfileLine(location: Location, facts: ImageFacts): Finding['location'] {
  const index = location.kind === 'history' ? location.index : location.historyIndex;
  const line = index === undefined ? undefined : facts.dockerfileLines?.get(index);
  return line ? { ...location, dockerfile: line } : location;
}

/** Failing first, then by severity, own before inherited, policy, message; for image and runtime findings alike. */
export function compareFindings(
  a: Pick<Finding, 'action' | 'severity' | 'inherited' | 'policy' | 'message'>,
  b: Pick<Finding, 'action' | 'severity' | 'inherited' | 'policy' | 'message'>,
): number {
  return (
    (a.action === b.action ? 0 : a.action === 'fail' ? -1 : 1) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(a.inherited) - Number(b.inherited) ||
    a.policy.localeCompare(b.policy) ||
    a.message.localeCompare(b.message)
  );
}
