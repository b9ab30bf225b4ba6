// Counts and one-line verdicts, shared by the table, the hook and watch.
import type { ImageResult } from '../cli/check-image.js';
import type { Severity } from '../policies/rule.js';
import { SEVERITIES } from '../policies/engine.js';
import { printable } from './terminal-text.js';

export interface Counts {
  fail: number;
  warn: number;
  bySeverity: Record<Severity, number>;
}

export function countFindings(result: ImageResult): Counts {
  const counts: Counts = { fail: 0, warn: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 } };
  for (const f of result.findings) {
    counts[f.action]++;
    counts.bySeverity[f.severity]++;
  }
  return counts;
}

export function verdictLine(result: ImageResult): string {
  if (result.error) return `ERROR  ${printable(result.error)}`;
  const c = countFindings(result);
  const sev = SEVERITIES.filter((s) => c.bySeverity[s] > 0).map((s) => `${c.bySeverity[s]} ${s}`).join(', ');
  const verdict = result.passed ? 'PASS' : 'FAIL';
  const suppressed = result.suppressed.length > 0 ? `, ${result.suppressed.length} suppressed` : '';
  if (result.findings.length === 0) return `${verdict}  no findings${suppressed}`;
  return `${verdict}  ${c.fail} failing, ${c.warn} warning${c.warn === 1 ? '' : 's'}${sev ? ` (${sev})` : ''}${suppressed}`;
}

export function overallLine(results: ImageResult[]): string {
  const errors = results.filter((r) => r.error).length;
  const failing = results.filter((r) => !r.error && !r.passed).length;
  const passing = results.length - errors - failing;
  const parts = [`${results.length} image${results.length === 1 ? '' : 's'} checked`, `${failing} failing`, `${passing} passing`];
  if (errors) parts.push(`${errors} not checked`);
  return parts.join(', ');
}
