// What every bill-of-materials format writes from: the inventory, the image
// it describes, and who made it when. Plus the few lookups they share (the
// image's display name, a location's layer and build step).
import type { ImageFacts } from '../../image/facts.js';
import type { ComponentLocation, Inventory } from '../component.js';

export const TOOL_NAME = 'docker-security-policy';

export interface SbomInput {
  facts: ImageFacts;
  inventory: Inventory;
  toolVersion: string;
  /** When the document was made (tests pin it). */
  created: Date;
}

/** `repo:tag` when the image has one (the name the user gave first), else its ID. */
export function imageNameOf(facts: ImageFacts): string {
  if (facts.reference && facts.repoTags.includes(facts.reference)) return facts.reference;
  return facts.repoTags[0] ?? facts.reference ?? facts.id;
}

/** The layer's diffID, when the facts know the layer. */
export function diffIdOf(facts: ImageFacts, location: ComponentLocation): string | undefined {
  return facts.layers[location.layerIndex]?.diffId;
}

/** The Dockerfile instruction (or raw created_by) of the step that made the location's layer. */
export function stepTextOf(facts: ImageFacts, location: ComponentLocation): string | undefined {
  if (location.historyIndex === undefined) return undefined;
  const step = facts.history[location.historyIndex];
  if (!step) return undefined;
  return step.instruction?.display ?? (step.createdBy.trim() || step.comment.trim() || undefined);
}

/** `/app/app.jar!/BOOT-INF/lib/x.jar` for a file inside a file, else the path. */
export function locationPath(location: ComponentLocation): string {
  return location.innerPath ? `${location.path}!/${location.innerPath.replace(/^\/+/, '')}` : location.path;
}
