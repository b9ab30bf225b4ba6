// The account files of an image, parsed once per rule run, with the file
// location (the layer that last wrote the file) findings point at.
import type { ImageFacts } from '../image/facts.js';
import { stepDisplay, stepOfLayer } from '../policies/history.js';
import type { Location, RawFinding } from '../policies/rule.js';

/** The file's text, or undefined when the image does not have it (or it was not read). */
export function textOf(facts: ImageFacts, path: string): string | undefined {
  return facts.contents.get(path)?.toString('utf8');
}

/**
 * A `file` location for `path`: the layer that last wrote it, and the step
 * that made that layer. When the file index does not know the path (it always
 * does when contents were read), the top layer is the best guess.
 */
export function fileLocation(facts: ImageFacts, path: string): { location: Location; inherited: boolean } {
  const layerIndex = facts.files.get(path)?.layerIndex ?? Math.max(0, facts.layers.length - 1);
  const layer = facts.layers[layerIndex];
  const location: Location = { kind: 'file', path, layer: layer?.diffId ?? '', layerIndex };
  const step = stepOfLayer(facts, layerIndex);
  if (step) {
    location.historyIndex = step.index;
    location.instruction = stepDisplay(step);
  }
  return { location, inherited: layer?.inherited ?? false };
}

/** A finding about `path`, its message prefixed with `path line N: ` (or `path: ` with no line). */
export function fileFinding(facts: ImageFacts, policy: string, path: string, line: number | undefined, text: string): RawFinding {
  const { location, inherited } = fileLocation(facts, path);
  return {
    policy,
    message: `${path}${line === undefined ? '' : ` line ${line}`}: ${text}`,
    location,
    inherited,
    subject: { path },
  };
}
