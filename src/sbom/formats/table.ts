// The human bill of materials: a header (image, OS, how many components of
// each type, what could not be read) and one row per component with the layer
// and build step that brought it in, so a user sees at once whether a package
// comes from the base image or from their own step.
import { Table } from '../../report/cli-table.js';
import { printable, shorten, shortId } from '../../report/terminal-text.js';
import type { Component } from '../component.js';
import { imageNameOf, locationPath, stepTextOf, type SbomInput } from './input.js';

export interface SbomTableOptions {
  /** Terminal width in columns. */
  width: number;
  color: boolean;
}

const CODES = { dim: 2, bold: 1, yellow: 33 } as const;
type Paint = (code: keyof typeof CODES, text: string) => string;

export function renderSbomTable(input: SbomInput, options: SbomTableOptions): string {
  const paint: Paint = options.color ? (code, text) => `\u001b[${CODES[code]}m${text}\u001b[0m` : (_c, text) => text;
  const out = headerLines(input, paint);
  if (input.inventory.components.length > 0) out.push(componentsTable(input, options));
  return out.join('\n') + '\n';
}

function headerLines(input: SbomInput, paint: Paint): string[] {
  const { facts, inventory } = input;
  const os = inventory.os ? printable(inventory.os.prettyName ?? `${inventory.os.id} ${inventory.os.versionId}`.trim()) : 'unknown';
  const lines = [`${paint('bold', printable(imageNameOf(facts)))} ${paint('dim', shortId(facts.id))}  OS: ${os}`, countLine(inventory.components)];
  for (const note of inventory.notes) lines.push(paint('yellow', `note: ${printable(note)}`));
  return lines;
}

/** `214 components: 120 deb, 90 npm, 4 golang` (types by count, then name). */
export function countLine(components: Component[]): string {
  if (components.length === 0) return 'no components found';
  const counts = new Map<string, number>();
  for (const c of components) counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
  const parts = [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([t, n]) => `${n} ${t}`);
  return `${components.length} component${components.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function componentsTable(input: SbomInput, options: SbomTableOptions): string {
  const width = Math.max(options.width, 80);
  // Narrow fixed columns; name, version, licence, step and path share the rest.
  const typeW = 6;
  const layerW = 7;
  const free = width - typeW - layerW - 7 * 3 - 1;
  const nameW = Math.floor(free * 0.19);
  const versionW = Math.floor(free * 0.19);
  const licenseW = Math.floor(free * 0.14);
  const stepW = Math.floor(free * 0.2);
  const pathW = free - nameW - versionW - licenseW - stepW;
  const table = new Table({
    head: ['Type', 'Name', 'Version', 'Licence', 'Layer', 'Step', 'Path'],
    colWidths: [typeW, nameW, versionW, licenseW, layerW, stepW, pathW].map((w) => w + 2),
    wordWrap: true,
    wrapOnWordBoundary: false,
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [], compact: true },
  });
  for (const c of input.inventory.components) {
    const first = c.locations[0];
    const more = c.locations.length > 1 ? `\n(+${c.locations.length - 1} more)` : '';
    const step = first ? stepTextOf(input.facts, first) : undefined;
    table.push([
      c.type,
      printable(c.namespace && c.type === 'maven' ? `${c.namespace}:${c.name}` : c.name),
      printable(c.version) + (c.origin === 'lockfile' ? '\n(lock file)' : ''),
      printable(c.licenses.join('; ')) || '-',
      first ? `${first.layerIndex} ${first.inherited ? 'base' : 'own'}` : '-',
      step !== undefined ? printable(shorten(step, stepW * 2)) : '-',
      first ? printable(locationPath(first)) + more : '-',
    ]);
  }
  return table.toString();
}
