// Maps a JSON path (as ajv reports it) back to the YAML text, so an error can
// name FILE:LINE:COL of the offending key or value.
import type { Document, LineCounter, Node } from 'yaml';
import { lazyModule } from '../lazy-module.js';

/** The YAML library, loaded with the first configuration file (lazy-module.ts). */
export const yamlLib = lazyModule<typeof import('yaml')>('yaml');

export interface Position {
  line: number;
  col: number;
}

/** `/exceptions/0/expires` → ['exceptions', 0, 'expires'] (JSON Pointer unescaping). */
export function pointerSegments(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The YAML node at a JSON path; the document's root when the path is empty. */
export function nodeAt(doc: Document, segments: Array<string | number>): Node | null {
  const { isMap, isSeq, isScalar } = yamlLib();
  let node: unknown = doc.contents;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      // `key:` with nothing after it has no value node: point at the key.
      node = pair?.value ?? pair?.key;
    }
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return null;
  }
  return (node as Node | null | undefined) ?? null;
}

/** The key node of `key` in the mapping at `segments` (for "unknown key" errors). */
export function keyAt(doc: Document, segments: Array<string | number>, key: string): Node | null {
  const map = nodeAt(doc, segments);
  const { isMap, isScalar } = yamlLib();
  if (!isMap(map)) return null;
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return (pair?.key as Node | undefined) ?? null;
}

export function positionOf(node: Node | null, lines: LineCounter): Position {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, col: 1 };
  return lines.linePos(offset);
}
