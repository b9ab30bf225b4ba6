// The containers and daemon part of the `audit` report. Table format: one table
// of containers (worst first: name, image, state, failing/warning counts, the
// policy IDs), then every container finding with the `docker run` / compose
// option that fixes it, then the daemon section (what it is, then its findings
// with the setting that fixes each). JSON: plain objects the audit command
// puts under `containers` and `daemon`. Everything that came from the daemon
// (names, images, messages) goes through printable() before the terminal.
import { Table } from './cli-table.js';
import { compareContainerAudits, countActions, type ContainerAudit, type DaemonAudit, type DaemonSummary } from '../cli/audit-runtime.js';
import type { RuntimeFinding } from '../policies/runtime-engine.js';
import type { TableOptions } from './table.js';
import { shortFix } from './table.js';
import { printable, shortId, shorten, terminalSafe } from './terminal-text.js';

const CODES = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1 } as const;
type Paint = (code: keyof typeof CODES, text: string) => string;

function painter(options: TableOptions): Paint {
  return options.color ? (code, text) => `\u001b[${CODES[code]}m${text}\u001b[0m` : (_c, text) => text;
}

function table(head: string[], widths: number[], options: TableOptions): Table {
  return new Table({
    head,
    colWidths: widths.map((w) => w + 2),
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [], compact: false },
  });
}

/** Breaks words longer than `width` (long container names, inspect fields) so that the table wraps them instead of cutting them off. */
export function hardWrap(text: string, width: number): string {
  if (width < 1) return text;
  return text
    .split('\n')
    .map((line) =>
      line
        .split(' ')
        .map((word) => (word.length <= width ? word : (word.match(new RegExp(`.{1,${width}}`, 'gu')) ?? [word]).join('\n')))
        .join(' '),
    )
    .join('\n');
}

/** An inspect field broken after its dots when it is wider than the column (`HostConfig.` / `PidsLimit`). */
export function wrapField(field: string, width: number): string {
  if (field.length <= width) return field;
  const lines: string[] = [];
  let line = '';
  for (const part of field.split(/(?<=\.)/)) {
    if (line && line.length + part.length > width) {
      lines.push(line);
      line = '';
    }
    line += part;
  }
  if (line) lines.push(line);
  return hardWrap(lines.join('\n'), width);
}

/** An image as shown: `sha256:…` IDs (a container created from an ID) shortened. */
export function imageName(image: string): string {
  return /^sha256:[0-9a-f]{64}$/.test(image) ? shortId(image) : image;
}

/** A finding's message split into what is wrong and what fixes it (`… Fix: --memory 512m …`); the remediation's first sentence when the message has no fix. */
export function splitFix(finding: Pick<RuntimeFinding, 'message' | 'remediation'>): { text: string; fix: string } {
  const m = /^(.*?)\.?\s+Fix:\s+(.+)$/s.exec(finding.message);
  if (m?.[1] && m[2]) return { text: `${m[1].trim()}.`, fix: m[2].trim() };
  return { text: finding.message, fix: shortFix(finding.remediation) };
}

/** Unique policy IDs of the findings, in the findings' (worst-first) order. */
export function policyIds(findings: readonly RuntimeFinding[]): string[] {
  return [...new Set(findings.map((f) => f.policy))];
}

/** The containers part: the overview table worst first, then the findings with their fixes. */
export function renderContainers(audits: readonly ContainerAudit[], options: TableOptions): string {
  const paint = painter(options);
  const sorted = [...audits].sort(compareContainerAudits);
  const out: string[] = [paint('bold', 'Containers')];
  if (sorted.length === 0) {
    out.push('no containers', '');
    return out.join('\n') + '\n';
  }
  const width = Math.max(options.width, 80);
  const stateW = 9;
  const countW = 5;
  const free = width - stateW - 2 * countW - 16;
  const nameW = Math.floor(free * 0.28);
  const imageW = Math.floor(free * 0.3);
  const polW = free - nameW - imageW;
  const overview = table(['Container', 'Image', 'State', 'Fail', 'Warn', 'Policies'], [nameW, imageW, stateW, countW, countW, polW], options);
  for (const a of sorted) {
    const c = countActions(a.findings);
    overview.push([
      `${hardWrap(printable(a.name), nameW)}\n${paint('dim', shortId(a.id))}`,
      hardWrap(printable(imageName(a.image)), imageW),
      printable(a.state),
      c.fail > 0 ? paint('red', String(c.fail)) : '0',
      c.warn > 0 ? paint('yellow', String(c.warn)) : '0',
      policyIds(a.findings).join(' '),
    ]);
  }
  out.push(overview.toString());

  const withFindings = sorted.filter((a) => a.findings.length > 0);
  if (withFindings.length > 0) {
    const sevW = 10;
    const polW2 = 9;
    const rest = width - sevW - polW2 - 16;
    const whereW = Math.floor(rest * 0.24);
    const textW = Math.floor(rest * 0.42);
    const fixW = rest - whereW - textW;
    const details = table(['Severity', 'Policy', 'Container', 'Finding', 'Fix'], [sevW, polW2, whereW, textW, fixW], options);
    for (const a of withFindings) {
      for (const f of a.findings) {
        const { text, fix } = splitFix(f);
        const field = f.location.kind === 'container' ? f.location.field : '';
        details.push([
          severityCell(f, paint),
          f.policy,
          `${hardWrap(printable(shorten(a.name, 80)), whereW)}\n${paint('dim', wrapField(printable(field), whereW))}`,
          hardWrap(printable(text), textW),
          hardWrap(printable(fix), fixW),
        ]);
      }
    }
    out.push(details.toString());
  }
  out.push(containersLine(sorted), '');
  return terminalSafe(out.join('\n') + '\n', options.color);
}

/** `5 containers audited, 3 failing, 2 passing`. */
export function containersLine(audits: readonly ContainerAudit[]): string {
  const failing = audits.filter((a) => !a.passed).length;
  const running = audits.filter((a) => a.running).length;
  return `${audits.length} container${audits.length === 1 ? '' : 's'} audited (${running} running), ${failing} failing, ${audits.length - failing} passing`;
}

/** The daemon part: what it is and how it was reached, a verdict, and its findings with the setting that fixes each. */
export function renderDaemon(audit: DaemonAudit, options: TableOptions): string {
  const paint = painter(options);
  const out: string[] = [paint('bold', 'Daemon')];
  for (const line of daemonLines(audit.summary)) out.push(line);
  const c = countActions(audit.findings);
  const verdict =
    audit.findings.length === 0
      ? paint('green', 'PASS  no findings')
      : paint(audit.passed ? 'yellow' : 'red', `${audit.passed ? 'PASS' : 'FAIL'}  ${c.fail} failing, ${c.warn} warning${c.warn === 1 ? '' : 's'}`);
  out.push(verdict);
  if (audit.findings.length > 0) {
    const width = Math.max(options.width, 80);
    const sevW = 10;
    const polW = 9;
    const rest = width - sevW - polW - 16;
    const fieldW = Math.max(18, Math.floor(rest * 0.2));
    const textW = Math.floor(rest * 0.42);
    const fixW = rest - fieldW - textW;
    const t = table(['Severity', 'Policy', 'Setting', 'Finding', 'Fix'], [sevW, polW, fieldW, textW, fixW], options);
    for (const f of audit.findings) {
      const { text, fix } = splitFix(f);
      t.push([severityCell(f, paint), f.policy, wrapField(printable(f.location.field), fieldW), hardWrap(printable(text), textW), hardWrap(printable(fix), fixW)]);
    }
    out.push(t.toString());
  }
  out.push('');
  return terminalSafe(out.join('\n') + '\n', options.color);
}

/** `Docker Engine 20.10.24 (API 1.41) on "host" — Debian GNU/Linux 12 (bookworm), linux`, then the endpoint and isolation. */
export function daemonLines(s: DaemonSummary): string[] {
  const engine = s.version ? `Docker Engine ${s.version}${s.apiVersion ? ` (API ${s.apiVersion})` : ''}` : 'Docker Engine (version unknown)';
  const host = s.name ? ` on "${s.name}"` : '';
  const os = [s.operatingSystem, s.osType].filter(Boolean).join(', ');
  const transport = s.endpoint.scheme === 'tcp' ? (s.endpoint.tls ? ', TLS' : ', no TLS') : '';
  const socket = s.socket ? `, socket mode ${s.socket.mode}` : '';
  const isolation = s.rootless ? 'rootless' : s.userNamespaces ? 'user namespaces (userns-remap)' : 'rootful, no user namespaces';
  const lines = [
    printable(`${engine}${host}${os ? ` — ${os}` : ''}`),
    printable(`endpoint ${s.endpoint.url}${transport}${socket}`),
    `isolation: ${isolation}`,
  ];
  if (s.unauthenticatedPing2375 === true) lines.push('tcp://127.0.0.1:2375 answers without TLS');
  return lines;
}

function severityCell(f: RuntimeFinding, paint: Paint): string {
  const action = f.action === 'fail' ? paint('red', 'FAIL') : paint('yellow', 'warn');
  return `${action}\n${f.severity}`;
}

/** A container under the audit report's `containers` key: its audit as it is (all of it is data). */
export type ContainerAuditJson = ContainerAudit;

/** The audit report's `daemon` key. */
export interface DaemonAuditJson extends DaemonSummary {
  passed: boolean;
  findings: RuntimeFinding[];
}

/** The `containers` array, worst first. */
export function containersJson(audits: readonly ContainerAudit[]): ContainerAuditJson[] {
  return [...audits].sort(compareContainerAudits);
}

/** The `daemon` object. */
export function daemonJson(audit: DaemonAudit): DaemonAuditJson {
  return { ...audit.summary, passed: audit.passed, findings: audit.findings };
}
