// A finding's location in words: the config field, the build step, or the
// file with its layer and step, plus the Dockerfile line when known; for
// `audit`, the container and its inspect field, or the daemon setting.
import path from 'node:path';
import { MERGED_LAYER } from '../image/facts.js';
import type { Finding } from '../policies/engine.js';
import type { RuntimeFinding } from '../policies/runtime-engine.js';
import { printable, shortId, shorten } from './terminal-text.js';

export function describeLocation(location: Finding['location'] | RuntimeFinding['location'], width = 80): string {
  const parts: string[] = [];
  switch (location.kind) {
    case 'config':
      parts.push(`config ${location.field}`);
      if (location.historyIndex !== undefined) parts.push(step(location.historyIndex, location.instruction, width));
      break;
    case 'history':
      parts.push(step(location.index, location.instruction, width));
      break;
    case 'file':
      parts.push(location.path);
      // --quick read the merged filesystem: no layer to name.
      parts.push(location.layerIndex === MERGED_LAYER ? 'layer not known (--quick)' : `layer ${location.layerIndex} (${shortId(location.layer)})`);
      if (location.historyIndex !== undefined) parts.push(step(location.historyIndex, location.instruction, width));
      break;
    case 'container':
      parts.push(`container ${location.container} (${shortId(location.id)})`);
      parts.push(location.field);
      break;
    case 'daemon':
      parts.push(`daemon ${location.field}`);
      break;
  }
  // The file name is enough in a table cell; JSON and SARIF keep the whole path.
  if (location.dockerfile) parts.push(`${path.basename(location.dockerfile.path)}:${location.dockerfile.line}`);
  return printable(parts.join('\n'));
}

function step(index: number, instruction: string | undefined, width: number): string {
  return instruction ? `step ${index}: ${shorten(instruction, width)}` : `step ${index}`;
}
