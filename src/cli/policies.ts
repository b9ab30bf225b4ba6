// `policies` lists the catalog; `policies ID` explains one policy.
import { optionSpecsOf, resolveOptions, type OptionValue } from '../policies/options.js';
import { COMMAND } from '../plugin/metadata.js';
import { Table } from '../report/cli-table.js';
import { loadCatalog, policiesInScope, scopeOf, type PolicyEntry, type PolicyScope } from '../policies/catalog.js';
import { actionAtThreshold, actionOf, isEnabled, type EngineOptions } from '../policies/engine.js';
import { loadConfig } from '../config/load.js';
import { engineOptions } from '../config/effective.js';
import type { PolicyAction } from '../config/model.js';
import type { Severity } from '../policies/rule.js';
import { terminalWidth, useColor } from './output.js';
import { terminalSafe } from '../report/terminal-text.js';
import { UsageError } from './usage-error.js';

export interface PoliciesArgs {
  id?: string;
  format: 'table' | 'json';
  failOn?: Severity;
  config?: string;
  /** Only policies of this scope. */
  scope?: PolicyScope;
}

/** The action a policy gets by default: fail at or above the threshold (own findings). */
export function defaultAction(entry: PolicyEntry, failOn: Severity): 'fail' | 'warn' {
  return actionAtThreshold(entry.severity, failOn);
}

/** What the configuration (and --fail-on) make of a policy: its severity and action for own findings. */
export interface Effective {
  severity: Severity;
  action: PolicyAction;
  /** True when the configuration changed any of them. */
  configured: boolean;
  /** The policy's option values (defaults, then the configuration), when it has options. */
  options?: Record<string, OptionValue>;
}

export function effectivePolicy(entry: PolicyEntry, options: EngineOptions): Effective {
  const setting = options.policies?.[entry.id];
  const severity = setting?.severity ?? entry.severity;
  // An own finding's action, as the engine decides it (`action: off` is only seen when --policy names it anyway).
  const action = isEnabled(entry.id, options) ? actionOf({ inherited: false }, severity, setting, options) : 'off';
  const effective: Effective = { severity, action, configured: setting !== undefined };
  if (entry.options) effective.options = resolveOptions(entry, setting);
  return effective;
}

export function runPolicies(args: PoliciesArgs): number {
  const catalog = loadCatalog();
  const config = loadConfig({ cwd: process.cwd(), env: process.env, explicit: args.config }, [...catalog.keys()], optionSpecsOf(catalog));
  const options = engineOptions(config, args.failOn ? { failOn: args.failOn } : {});
  const failOn = options.failOn;
  if (args.id) {
    const entry = catalog.get(args.id.toUpperCase());
    if (!entry) throw new UsageError(`unknown policy ID ${args.id}; \`${COMMAND} policies\` lists them`);
    const effective = effectivePolicy(entry, options);
    process.stdout.write(args.format === 'json' ? JSON.stringify({ ...entry, effective }, null, 2) + '\n' : explain(entry, failOn, effective));
    return 0;
  }
  const entries = [...(args.scope ? policiesInScope(catalog, args.scope) : catalog).values()];
  if (args.format === 'json') {
    const rows = entries.map((e) => ({ ...e, defaultAction: defaultAction(e, failOn), effective: effectivePolicy(e, options) }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const color = useColor(process.stdout);
  const width = Math.max(terminalWidth(process.stdout), 80);
  const table = new Table({
    head: ['Policy', 'Scope', 'Severity', 'Action', 'Priority', 'Title'],
    colWidths: [10, 11, 10, 9, 10, width - 61],
    wordWrap: true,
    style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [] },
  });
  for (const e of entries) {
    const eff = effectivePolicy(e, options);
    const mark = eff.configured ? '*' : '';
    table.push([e.id, scopeOf(e), `${eff.severity}${eff.severity !== e.severity ? '*' : ''}`, `${eff.action}${mark}`, e.priority, e.title]);
  }
  const from = config.files.length > 0 ? `; * = set in ${config.files.join(', ')}` : '';
  const inherited = options.inherited === 'fail' ? 'count like own findings' : options.inherited === 'off' ? 'are not reported' : 'warn';
  process.stdout.write(terminalSafe(
    `${table.toString()}\nAction for own findings with failOn ${failOn}; inherited findings ${inherited}${from}. \`policies ID\` explains one.\n`,
    color,
  ));
  return 0;
}

function explain(e: PolicyEntry, failOn: Severity, effective: Effective): string {
  const configured = effective.configured ? ` · configured: severity ${effective.severity}, action ${effective.action}` : '';
  return [
    `${e.id}  ${e.title}`,
    `severity ${e.severity} · priority ${e.priority} · effort ${e.effort} · default action ${defaultAction(e, failOn)} (failOn ${failOn})${configured}`,
    '',
    e.description.trim(),
    ...optionLines(e, effective),
    '',
    'How to fix:',
    e.remediation.trim().replace(/^/gm, '  '),
    '',
    'References:',
    ...e.references.map((r) => `  ${r}`),
    '',
  ].join('\n');
}

/** `Options:` with each option's value, its default when the configuration changed it, and what it sets. */
function optionLines(e: PolicyEntry, effective: Effective): string[] {
  const specs = Object.entries(e.options ?? {});
  if (specs.length === 0) return [];
  const lines = ['', `Options (policies: {${e.id}: {options: {…}}} in the configuration):`];
  for (const [name, spec] of specs) {
    const value = effective.options?.[name] ?? spec.default;
    const changed = JSON.stringify(value) !== JSON.stringify(spec.default) ? ` (default ${JSON.stringify(spec.default)})` : '';
    lines.push(`  ${name}: ${JSON.stringify(value)}${changed}  ${spec.description}`);
  }
  return lines;
}
