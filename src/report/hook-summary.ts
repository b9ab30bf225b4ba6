// The few lines the build hook answers, printed by the docker CLI under
// "What's next:" after `docker build`: the image, its verdict with counts by
// severity, the top findings by policy, and the command for the details.
// The docker CLI runs the answer through Go's text/template, so everything
// is escaped for it; image-made text (names, paths, history) is flattened
// to one printable line first.
import type { ImageResult } from '../cli/check-image.js';
import type { Finding } from '../policies/engine.js';
import { SEVERITIES } from '../policies/engine.js';
import { verdictLine } from './summary.js';
import { printable, shorten } from './terminal-text.js';

export interface HookSummaryOptions {
  /** How users run the plugin: `docker securitypolicy`. */
  command: string;
  /** Print one line for an image with no findings (default: nothing). */
  showClean?: boolean;
  /** Policies listed at most (default 3). */
  top?: number;
  /** Characters per line, the CLI's 4-space indent excluded (default 96). */
  width?: number;
  /** Said after the verdict: e.g. that the layers were not read within the time budget. */
  note?: string;
}

/**
 * The summary's lines, not yet escaped (escapeTemplate does that); none for
 * a clean image unless `showClean`.
 */
export function hookSummaryLines(result: ImageResult, name: string, options: HookSummaryOptions): string[] {
  const width = options.width ?? 96;
  const full = oneLine(name);
  const cue = `${options.command} check ${shellWord(full)}`;
  if (result.error) return [shorten(`Security policy: ${shorten(full, 60)} not checked: ${oneLine(result.error)}`, width), `Try: ${cue}`];
  const note = options.note ? ` [${options.note}]` : '';
  // `FAIL  1 failing, …` → `FAIL: 1 failing, …`; the name gives way when the line is too long.
  const verdict = ` ${verdictLine(result).replace(/^(\S+)\s+/, '$1: ')}${note}`;
  const prefix = 'Security policy: ';
  const headline = prefix + shorten(full, Math.max(40, width - prefix.length - verdict.length)) + verdict;
  if (result.findings.length === 0) return options.showClean ? [headline] : [];
  const lines = [headline];
  const groups = byPolicy(result.findings);
  const top = groups.slice(0, options.top ?? 3);
  for (const group of top) lines.push(findingLine(group, width));
  const more = groups.length - top.length;
  lines.push(`Details${more > 0 ? ` (${more} more polic${more === 1 ? 'y' : 'ies'})` : ''}: ${cue}`);
  return lines;
}

/**
 * Text that Go's text/template prints as it is: every `{{` (the only thing
 * that starts an action) becomes an action printing `{{`.
 */
export function escapeTemplate(text: string): string {
  return text.replace(/\{\{/g, '{{"{{"}}');
}

/** One line of terminal-safe text: whitespace runs (newlines too) become one space, control characters are shown escaped. */
export function oneLine(text: string): string {
  return printable(text.replace(/\s+/g, ' ').trim());
}

interface PolicyGroup {
  first: Finding;
  count: number;
}

const SEVERITY_RANK = new Map(SEVERITIES.map((s, i) => [s, i]));

/** Findings grouped by policy, most pressing first: failing, then by severity, own before inherited, then by ID. */
function byPolicy(findings: readonly Finding[]): PolicyGroup[] {
  const sorted = [...findings].sort(
    (a, b) =>
      Number(b.action === 'fail') - Number(a.action === 'fail') ||
      (SEVERITY_RANK.get(a.severity) ?? 9) - (SEVERITY_RANK.get(b.severity) ?? 9) ||
      Number(a.inherited) - Number(b.inherited) ||
      a.policy.localeCompare(b.policy),
  );
  const groups = new Map<string, PolicyGroup>();
  for (const f of sorted) {
    const group = groups.get(f.policy);
    if (group) group.count++;
    else groups.set(f.policy, { first: f, count: 1 });
  }
  return [...groups.values()];
}

/** `  FAIL SQ40104 high: Exposes 22/tcp (SSH: …) — Dockerfile:3`, the message shortened to fit the width. */
function findingLine({ first: f, count }: PolicyGroup, width: number): string {
  const label = f.action === 'fail' ? 'FAIL' : 'warn';
  const times = count > 1 ? ` ×${count}` : '';
  const where = shortLocation(f);
  const head = `  ${label} ${f.policy} ${f.severity}${f.inherited ? ' (inherited)' : ''}${times}: `;
  const tail = where ? ` — ${shorten(where, 40)}` : '';
  return head + shorten(oneLine(f.message), Math.max(20, width - head.length - tail.length)) + tail;
}

function shortLocation(f: Finding): string {
  const loc = f.location;
  if (loc.dockerfile) return oneLine(`${loc.dockerfile.path}:${loc.dockerfile.line}`);
  switch (loc.kind) {
    case 'config':
      return oneLine(loc.field);
    case 'history':
      return `step ${loc.index}`;
    case 'file':
      return '';
  }
}

/** A name as a shell word: quoted when it holds anything but the usual reference characters. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._/:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
