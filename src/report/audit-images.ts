// `audit`'s image section: one table, worst first (image, size, age, failing
// and warning counts, the failing policy IDs), then the hygiene facts with
// the command that would clean each.
import { Table } from './cli-table.js';
import type { ImageAudit, ImagesAudit } from '../cli/audit-images.js';
import type { ImageHygiene } from '../cli/image-hygiene.js';
import { formatBytes } from '../cli/output.js';
import { printable, shortId, terminalSafe } from './terminal-text.js';

export interface ImagesTableOptions {
  width: number;
  color: boolean;
  nowMs: number;
}

export function renderImagesAudit(audit: ImagesAudit, options: ImagesTableOptions): string {
  const out: string[] = [`Images: ${audit.images.length} checked`];
  if (audit.images.length > 0) out.push(imagesTable(audit.images, options));
  out.push(...hygieneLines(audit.hygiene));
  return terminalSafe(out.join('\n') + '\n', options.color);
}

function imagesTable(images: ImageAudit[], options: ImagesTableOptions): string {
  const width = Math.max(options.width, 80);
  const nameW = Math.max(24, Math.floor((width - 50) * 0.55));
  const policyW = Math.max(14, width - 50 - nameW);
  const table = new Table({
    head: ['Image', 'Size', 'Age', 'Fail', 'Warn', 'Failing policies'],
    colWidths: [nameW, 10, 8, 6, 6, policyW],
    wordWrap: true,
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
  });
  for (const a of images) {
    const r = a.result;
    const name = a.dangling ? `<dangling> ${shortId(r.id ?? r.image)}` : r.repoTags.map(printable).join('\n') || printable(r.image);
    const failing = [...new Set(r.findings.filter((f) => f.action === 'fail').map((f) => f.policy))].join(' ');
    const fails = r.findings.filter((f) => f.action === 'fail').length;
    const warns = r.findings.filter((f) => f.action === 'warn').length;
    table.push([name, formatBytes(a.size), age(a.created, options.nowMs), r.error ? 'ERROR' : String(fails), r.error ? '' : String(warns), r.error ? printable(r.error) : failing]);
  }
  return table.toString();
}

function age(createdS: number, nowMs: number): string {
  if (createdS <= 0) return '?';
  const days = Math.floor((nowMs / 1000 - createdS) / 86_400);
  return days < 1 ? 'today' : `${days}d`;
}

export function hygieneLines(h: ImageHygiene): string[] {
  const lines: string[] = [];
  if (h.dangling.images.length > 0) {
    lines.push(`Dangling: ${h.dangling.images.length} image${plural(h.dangling.images.length)} without a tag, ${formatBytes(h.dangling.bytes)} — \`${h.dangling.command}\``);
  }
  if (h.stale.images.length > 0) {
    const oldest = h.stale.images.slice(0, 3).map((i) => `${printable(i.repoTags[0] ?? shortId(i.id))} (${i.ageDays}d)`).join(', ');
    lines.push(
      `Stale: ${h.stale.images.length} image${plural(h.stale.images.length)} older than ${h.stale.days} days, missing their packages' security fixes` +
        ` (${oldest}${h.stale.images.length > 3 ? ', …' : ''}) — rebuild them, or \`${h.stale.command}\``,
    );
  }
  if (h.reclaimable.images > 0) {
    lines.push(`Reclaimable: at least ${formatBytes(h.reclaimable.bytes)} in ${h.reclaimable.images} image${plural(h.reclaimable.images)} no container uses — \`${h.reclaimable.command}\``);
  }
  if (lines.length === 0) lines.push('No dangling or stale images.');
  lines.push('(audit never deletes anything)');
  return lines;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
