// Small helpers that the hygiene and remote-login families share: where a path
// of the merged filesystem came from (layer, step), symlink resolution within
// the image, and sizes as a user reads them. Pure, no I/O.
import type { FileFact, ImageFacts } from '../../../image/facts.js';
import { layerOrigin, stepDisplay, stepOfLayer } from '../../history.js';
import type { Location } from '../../rule.js';

/** `{ kind: 'file' }` location of `path` as written by layer `layerIndex`. */
export function fileLocation(facts: ImageFacts, path: string, layerIndex: number): Location {
  const layer = facts.layers[layerIndex];
  const location: Location = { kind: 'file', path, layer: layer?.diffId ?? '', layerIndex };
  if (layer?.historyIndex !== undefined) location.historyIndex = layer.historyIndex;
  const step = stepOfLayer(facts, layerIndex);
  if (step) location.instruction = stepDisplay(step);
  return location;
}

/** `layer 1, step 2 (RUN apt-get install …)`, or `layer 1` when the step is unknown. */
export function layerDisplay(facts: ImageFacts, layerIndex: number): string {
  return layerOrigin(layerIndex, stepOfLayer(facts, layerIndex));
}

/** True when the layer belongs to the base image. */
export function layerInherited(facts: ImageFacts, layerIndex: number): boolean {
  return facts.layers[layerIndex]?.inherited ?? false;
}

/** `/usr/sbin/../bin/x` → `/usr/bin/x`. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/**
 * The file a path ends at after following symlinks (absolute or relative,
 * at most 16 hops), or undefined when the chain dangles or loops: a dangling
 * `/usr/sbin/telnetd → /etc/alternatives/telnetd` installs nothing.
 */
export function resolveFile(facts: ImageFacts, path: string): FileFact | undefined {
  let file = facts.files.get(path);
  for (let hops = 0; file?.type === 'symlink' && hops < 16; hops++) {
    const target = file.linkTarget ?? '';
    if (target === '') return undefined;
    const dir = file.path.slice(0, file.path.lastIndexOf('/'));
    file = facts.files.get(normalizePath(target.startsWith('/') ? target : `${dir}/${target}`));
  }
  return file?.type === 'symlink' ? undefined : file;
}

/** The mode that counts for a file: a hardlink's target's when the target is in the merged view. */
export function effectiveMode(facts: ImageFacts, file: FileFact): number {
  if (file.type !== 'hardlink' || !file.linkTarget) return file.mode;
  return facts.files.get(file.linkTarget)?.mode ?? file.mode;
}

/** `1.5 MiB`, `640 KiB`, `12 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/** `1 file`, `3 files`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** Sorts findings-to-be by path, for stable output. */
export function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Where a group of files (a cache, a `.git`) came from, given the bytes each layer wrote. */
export interface GroupOrigin {
  /** The layer that wrote the most bytes (the newest on a tie): the location. */
  layerIndex: number;
  /** `layer 1, step 2 (RUN …)`, or `layer 1, step 2 (…) (40 MiB) and layer 3, step 5 (…) (8 MiB)`. */
  text: string;
  /** True when every contributing layer is the base image's. */
  inherited: boolean;
}

export function groupOrigin(facts: ImageFacts, layers: ReadonlyMap<number, number>): GroupOrigin {
  const entries = [...layers.entries()].sort((a, b) => a[0] - b[0]);
  let main = entries[0]?.[0] ?? 0;
  let most = -1;
  for (const [index, bytes] of entries) {
    if (bytes >= most) {
      most = bytes;
      main = index;
    }
  }
  const shown = entries.slice(0, 3).map(([index, bytes]) =>
    entries.length > 1 ? `${layerDisplay(facts, index)} (${formatBytes(bytes)})` : layerDisplay(facts, index),
  );
  const more = entries.length > 3 ? ` and ${plural(entries.length - 3, 'more layer')}` : '';
  const text = entries.length <= 3 && shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown.join(', ') + more;
  return { layerIndex: main, text, inherited: entries.every(([index]) => layerInherited(facts, index)) };
}
