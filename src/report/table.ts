// The human report: per image a verdict line, the base-image boundary, and a
// table of findings (worst first) with where each is and how to fix it.
import { Table } from './cli-table.js';
import type { DockerfileMatchResult, ImageResult } from '../cli/check-image.js';
import type { BaseBoundary } from '../image/facts.js';
import type { Finding } from '../policies/engine.js';
import { describeLocation } from './location.js';
import { overallLine, verdictLine } from './summary.js';
import { printable, shortId, terminalSafe } from './terminal-text.js';

export interface TableOptions {
  /** Terminal width in columns. */
  width: number;
  color: boolean;
}

const CODES = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1 } as const;
type Paint = (code: keyof typeof CODES, text: string) => string;

export function renderTable(results: ImageResult[], options: TableOptions): string {
  return results.map((r) => renderImageBlock(r, options)).join('') + overallLine(results) + '\n';
}

/** One image's block: verdict, base image, notes, findings, suppressed; a blank line after. (watch prints these alone.) */
export function renderImageBlock(result: ImageResult, options: TableOptions): string {
  const paint: Paint = options.color ? (code, text) => `\u001b[${CODES[code]}m${text}\u001b[0m` : (_c, text) => text;
  const out: string[] = [imageHeader(result, paint)];
  if (!result.error) {
    if (result.baseBoundary) out.push(paint('dim', boundaryLine(result.baseBoundary)));
    if (result.dockerfile && !result.dockerfile.matched) out.push(paint(result.dockerfile.auto ? 'dim' : 'yellow', dockerfileMismatchLine(result.dockerfile)));
    if (result.layersSkipped) out.push(paint('dim', 'layers not read: file policies (SQ40102) did not run'));
    if (result.layersMerged) out.push(paint('dim', "--quick: the container's filesystem was read, not the layers: files a later layer deleted (they still ship) were not seen, and a file's layer is named only where the layer cache knows the layers below it"));
    if (result.findings.length > 0) out.push(findingsTable(result.findings, options, paint));
    if (result.suppressed.length > 0) out.push(suppressedLines(result.suppressed, paint));
  }
  out.push('');
  return terminalSafe(out.join('\n') + '\n', options.color);
}

function imageHeader(result: ImageResult, paint: Paint): string {
  const name = printable(result.repoTags[0] ?? result.image);
  const id = result.id ? ` ${paint('dim', shortId(result.id))}` : '';
  const verdict = verdictLine(result);
  const colour = result.error ? 'red' : result.passed ? 'green' : 'red';
  return `${paint('bold', name)}${id}  ${paint(colour, verdict)}`;
}

/** Said once per image: the Dockerfile is not this image's, so locations stay build steps. */
export function dockerfileMismatchLine(d: DockerfileMatchResult): string {
  const which = d.auto ? `./${printable(d.path)} (found here)` : printable(d.path);
  return `Dockerfile ${which} does not match this image: ${printable(d.reason ?? 'its instructions differ from the history')}; locations are build steps`;
}

export function boundaryLine(b: BaseBoundary): string {
  const inherited = b.ownFrom === 1 ? '; step 0 inherited' : b.ownFrom > 1 ? `; steps 0–${b.ownFrom - 1} inherited` : '';
  switch (b.source) {
    case 'base-image':
      return `base image: ${printable(b.base ?? '?')} (--base-image${inherited})`;
    case 'dockerfile':
      return `base image: ${printable(b.base ?? '?')} (matched ${printable(b.note ?? 'the Dockerfile')}${inherited})`;
    case 'local-image':
      return `base image: ${printable(b.base ?? '?')} (local image whose layers this one extends${inherited})`;
    case 'timestamps':
      return `base image: guessed (${printable(b.note ?? 'from step times')}${inherited})`;
    default:
      return `base image: unknown — ${printable(b.note ?? 'every step is treated as own')}`;
  }
}

function findingsTable(findings: Finding[], options: TableOptions, paint: Paint): string {
  const width = Math.max(options.width, 80);
  // Fixed narrow columns; the rest shared by finding, location and fix.
  const sevW = 10;
  const polW = 9;
  const free = width - sevW - polW - 16;
  const findW = Math.floor(free * 0.36);
  const locW = Math.floor(free * 0.32);
  const fixW = free - findW - locW;
  const table = new Table({
    head: ['Severity', 'Policy', 'Finding', 'Location', 'Fix'],
    colWidths: [sevW, polW, findW, locW, fixW].map((w) => w + 2),
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [], compact: false },
  });
  for (const f of findings) {
    const action = f.action === 'fail' ? paint('red', 'FAIL') : paint('yellow', 'warn');
    const marker = f.inherited ? `\n${paint('dim', 'inherited')}` : '';
    table.push([
      `${action}\n${f.severity}${marker}`,
      f.policy,
      printable(f.message) + expiredNote(f, paint),
      describeLocation(f.location, locW),
      shortFix(f.remediation),
    ]);
  }
  return table.toString();
}

/** Next to a finding whose exception no longer applies: when it expired and where it is written. */
function expiredNote(f: Finding, paint: Paint): string {
  if (!f.exception?.expired) return '';
  return `\n${paint('yellow', `exception expired on ${f.exception.expires ?? '?'}`)} ${paint('dim', `(${printable(f.exception.source)})`)}`;
}

/** Suppressed findings stay visible, one line each, with the reason and where the exception is. */
function suppressedLines(suppressed: Finding[], paint: Paint): string {
  const lines = [`${suppressed.length} suppressed by exceptions:`];
  for (const f of suppressed) {
    const e = f.exception;
    const until = e?.expires ? `, until ${e.expires}` : '';
    const why = e ? ` — ${printable(e.reason)} (${printable(e.source)}${until})` : '';
    lines.push(`  ${f.policy} ${f.severity}: ${printable(f.message)}${why}`);
  }
  return paint('dim', lines.join('\n'));
}

/** The first sentence of the remediation: what to do, not the whole lesson (`policies ID` has the rest). */
export function shortFix(remediation: string): string {
  const paragraph = (remediation.trim().split(/\n\s*\n/)[0] ?? '').replace(/\s*\n\s*/g, ' ').trim();
  const sentence = /^.*?[.!?](?=\s|$)/.exec(paragraph)?.[0] ?? paragraph;
  return sentence.replace(/:$/, '.');
}
