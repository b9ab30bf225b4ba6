// Runs the runtime rules (containers, daemon) over the runtime facts and turns
// their raw findings into reported ones, exactly as engine.ts does for images:
// words from the catalog, severity and action from the configuration and the
// threshold (engine.ts's isEnabled and actionOf). Runtime findings are never
// inherited. Exceptions are not applied here: they match images, and how they
// name containers is the audit command's to decide.
import type { ContainerFacts, DaemonFacts, HostContext } from '../runtime/facts.js';
import { scopeOf, type PolicyEntry } from './catalog.js';
import { actionOf, compareFindings, isEnabled, type EngineOptions, type Finding } from './engine.js';
import type { RawRuntimeFinding, RuntimeLocation, RuntimeRule } from './runtime-rule.js';

/** A reported finding about a container or the daemon. */
export type RuntimeFinding = Finding<RuntimeLocation>;

/** The findings of one container, sorted as image findings are. */
export function evaluateContainer(
  container: ContainerFacts,
  rules: RuntimeRule[],
  catalog: Map<string, PolicyEntry>,
  options: EngineOptions,
  host: HostContext = {},
): RuntimeFinding[] {
  const findings: RuntimeFinding[] = [];
  for (const rule of rules) {
    if (rule.scope !== 'container') continue;
    for (const raw of rule.evaluate(container, host)) collect(findings, raw, 'container', catalog, options);
  }
  return findings.sort(compareFindings);
}

/** The findings of the daemon, sorted. */
export function evaluateDaemon(
  daemon: DaemonFacts,
  rules: RuntimeRule[],
  catalog: Map<string, PolicyEntry>,
  options: EngineOptions,
): RuntimeFinding[] {
  const findings: RuntimeFinding[] = [];
  for (const rule of rules) {
    if (rule.scope !== 'daemon') continue;
    for (const raw of rule.evaluate(daemon)) collect(findings, raw, 'daemon', catalog, options);
  }
  return findings.sort(compareFindings);
}

function collect(
  into: RuntimeFinding[],
  raw: RawRuntimeFinding,
  scope: RuntimeRule['scope'],
  catalog: Map<string, PolicyEntry>,
  options: EngineOptions,
): void {
  if (!isEnabled(raw.policy, options)) return;
  into.push(toFinding(raw, scope, catalog, options));
}

function toFinding(raw: RawRuntimeFinding, scope: RuntimeRule['scope'], catalog: Map<string, PolicyEntry>, options: EngineOptions): RuntimeFinding {
  const entry = catalog.get(raw.policy);
  if (!entry) throw new Error(`rule reported ${raw.policy}, which has no policies/${raw.policy}.yaml`);
  if (scopeOf(entry) !== scope) {
    throw new Error(`a ${scope} rule reported ${raw.policy}, whose policies/${raw.policy}.yaml has scope ${scopeOf(entry)}`);
  }
  const setting = options.policies?.[raw.policy];
  const severity = setting?.severity ?? entry.severity;
  const finding: RuntimeFinding = {
    policy: raw.policy,
    title: entry.title,
    severity,
    action: actionOf({ inherited: false }, severity, setting, options),
    inherited: false,
    message: raw.message,
    location: raw.location,
    remediation: entry.remediation,
  };
  if (raw.subject) finding.subject = raw.subject;
  return finding;
}
