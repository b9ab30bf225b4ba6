// History entries → steps with their parsed instruction and the layer each
// made. The archive's config says exactly which steps made layers
// (`empty_layer`); the daemon's /history endpoint only gives sizes, so
// without the archive the mapping is inferred and may stay unknown.
import type { HistoryStep, LayerFact } from './facts.js';
import { parseCreatedBy } from './instruction.js';

export interface HistoryEntry {
  created: string;
  createdBy: string;
  comment: string;
  /** Known from the image config; undefined when only the daemon's history sizes are known. */
  emptyLayer?: boolean;
  /** Layer size from the daemon's /history, when that is the source. */
  size?: number;
}

export function buildSteps(entries: HistoryEntry[], diffIds: string[], layerBytes: number[] = []): {
  history: HistoryStep[];
  layers: LayerFact[];
} {
  const history: HistoryStep[] = entries.map((e, index) => ({
    index,
    createdBy: e.createdBy,
    created: e.created,
    comment: e.comment,
    instruction: parseCreatedBy(e.createdBy),
    makesLayer: false,
    inherited: false,
  }));
  const makers = layerMakers(entries, history, diffIds.length);
  const layers: LayerFact[] = diffIds.map((diffId, index) => ({
    index,
    diffId,
    size: layerBytes[index] ?? 0,
    inherited: false,
  }));
  if (makers) {
    makers.forEach((stepIndex, layerIndex) => {
      history[stepIndex].makesLayer = true;
      history[stepIndex].layerIndex = layerIndex;
      layers[layerIndex].historyIndex = stepIndex;
    });
  }
  return { history, layers };
}

/** The step index that made each layer, or null when it cannot be told. */
function layerMakers(entries: HistoryEntry[], steps: HistoryStep[], layerCount: number): number[] | null {
  if (entries.every((e) => e.emptyLayer !== undefined)) {
    const makers = entries.flatMap((e, i) => (e.emptyLayer ? [] : [i]));
    return makers.length === layerCount ? makers : null;
  }
  // Daemon history: non-zero sizes made layers; add zero-size filesystem steps (RUN/COPY/ADD, imports) oldest first.
  const sized = new Set(entries.flatMap((e, i) => ((e.size ?? 0) > 0 ? [i] : [])));
  if (sized.size > layerCount) return null;
  for (let i = 0; i < entries.length && sized.size < layerCount; i++) {
    const keyword = steps[i].instruction?.keyword;
    if (!sized.has(i) && (keyword === undefined || keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD')) sized.add(i);
  }
  if (sized.size !== layerCount) return null;
  return [...sized].sort((a, b) => a - b);
}

/** Marks the steps and layers before `ownFrom` as inherited from the base image. */
export function markInherited(history: HistoryStep[], layers: LayerFact[], ownFrom: number): void {
  for (const step of history) step.inherited = step.index < ownFrom;
  for (const layer of layers) {
    if (layer.historyIndex !== undefined) layer.inherited = layer.historyIndex < ownFrom;
  }
  // Layers whose step is unknown: inherited when every own-build layer comes after them.
  const firstOwnLayer = history.find((s) => !s.inherited && s.layerIndex !== undefined)?.layerIndex;
  if (firstOwnLayer !== undefined) {
    for (const layer of layers) if (layer.historyIndex === undefined) layer.inherited = layer.index < firstOwnLayer;
  }
}
