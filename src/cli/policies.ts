// `policies` lists the catalog; `policies ID` explains one policy.
import { COMMAND } from '../plugin/metadata.js';
import Table from 'cli-table3';
import { loadCatalog, type PolicyEntry } from '../policies/catalog.js';
import { severityRank } from '../policies/engine.js';
import type { Severity } from '../policies/rule.js';
import { terminalWidth, useColor } from './output.js';
import { UsageError } from './usage-error.js';

export interface PoliciesArgs {
  id?: string;
  format: 'table' | 'json';
  failOn: Severity;
}

/** The action a policy gets by default: fail at or above the threshold (own findings). */
export function defaultAction(entry: PolicyEntry, failOn: Severity): 'fail' | 'warn' {
  return severityRank(entry.severity) >= severityRank(failOn) ? 'fail' : 'warn';
}

export function runPolicies(args: PoliciesArgs): number {
  const catalog = loadCatalog();
  if (args.id) {
    const entry = catalog.get(args.id.toUpperCase());
    if (!entry) throw new UsageError(`unknown policy ID ${args.id}; \`${COMMAND} policies\` lists them`);
    process.stdout.write(args.format === 'json' ? JSON.stringify(entry, null, 2) + '\n' : explain(entry, args.failOn));
    return 0;
  }
  const entries = [...catalog.values()];
  if (args.format === 'json') {
    process.stdout.write(JSON.stringify(entries.map((e) => ({ ...e, defaultAction: defaultAction(e, args.failOn) })), null, 2) + '\n');
    return 0;
  }
  const color = useColor(process.stdout);
  const width = Math.max(terminalWidth(process.stdout), 80);
  const table = new Table({
    head: ['Policy', 'Severity', 'Default', 'Priority', 'Title'],
    colWidths: [10, 10, 9, 10, width - 49],
    wordWrap: true,
    style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [] },
  });
  for (const e of entries) table.push([e.id, e.severity, defaultAction(e, args.failOn), e.priority, e.title]);
  process.stdout.write(`${table.toString()}\nDefault action with --fail-on ${args.failOn}; inherited findings warn. \`policies ID\` explains one.\n`);
  return 0;
}

function explain(e: PolicyEntry, failOn: Severity): string {
  return [
    `${e.id}  ${e.title}`,
    `severity ${e.severity} · priority ${e.priority} · effort ${e.effort} · default action ${defaultAction(e, failOn)} (--fail-on ${failOn})`,
    '',
    e.description.trim(),
    '',
    'How to fix:',
    e.remediation.trim().replace(/^/gm, '  '),
    '',
    'References:',
    ...e.references.map((r) => `  ${r}`),
    '',
  ].join('\n');
}
