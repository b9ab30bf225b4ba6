// Assembles the image facts from what the daemon (or an archive) said.
import { MERGED_LAYER, type BaseBoundary, type DockerfileLine, type ImageConfig, type ImageFacts } from './facts.js';
import { buildSteps, markInherited, type HistoryEntry } from './history.js';
import { fileIndexOf, mergedFilesystemOf, mergeLayers } from './merge.js';
import type { ArchivedImage } from './layout.js';
import type { LayerContents } from './layer-reader.js';

export interface FactsInput {
  id: string;
  repoTags: string[];
  os: string;
  config: ImageConfig;
  /** The daemon's history, used when the archive was not read. */
  history: HistoryEntry[];
  diffIds: string[];
  /** The image as read from its export, when the layers were read. */
  archived?: ArchivedImage;
  /** The container's merged filesystem, when that was read instead (check --quick). */
  merged?: MergedRead;
  boundary: BaseBoundary;
  dockerfileLines?: Map<number, DockerfileLine>;
  /** The reference the user checked. */
  reference?: string;
}

/** check --quick's read: the merged filesystem, and the image's bottom layers known from the layer cache (for the files' layers). */
export interface MergedRead {
  tree: LayerContents;
  known: LayerContents[];
}

export function buildFacts(input: FactsInput): ImageFacts {
  const archived = input.archived;
  const entries = archived ? historyFromConfig(archived) : input.history;
  const diffIds = archived?.config.rootfs?.diff_ids ?? input.diffIds;
  const { history, layers } = buildSteps(entries, diffIds, archived?.layers.map((l) => l.bytes));
  markInherited(history, layers, input.boundary.ownFrom);
  const tree = archived ? undefined : input.merged;
  const merged = archived
    ? mergeLayers(archived.layers)
    : tree
      ? mergedFilesystemOf(tree.tree, tree.known, diffIds.length)
      : { files: fileIndexOf([]), contents: new Map<string, Buffer>() };
  const facts: ImageFacts = {
    id: input.id,
    repoTags: input.repoTags,
    os: input.os,
    config: input.config,
    history,
    layers,
    files: merged.files,
    layersRead: archived !== undefined || tree !== undefined,
    contents: merged.contents,
    scanHits: tree
      ? tree.tree.hits.map((h) => ({ ...h, layerIndex: merged.files.get(h.path)?.layerIndex ?? MERGED_LAYER }))
      : (archived?.layers ?? []).flatMap((layer, layerIndex) => layer.hits.map((h) => ({ ...h, layerIndex }))),
    baseBoundary: input.boundary,
  };
  if (tree) facts.layersMerged = true;
  if (input.dockerfileLines) facts.dockerfileLines = input.dockerfileLines;
  if (input.reference) facts.reference = input.reference;
  return facts;
}

export function historyFromConfig(image: ArchivedImage): HistoryEntry[] {
  return (image.config.history ?? []).map((h) => ({
    created: h.created ?? '',
    createdBy: h.created_by ?? '',
    comment: h.comment ?? '',
    emptyLayer: h.empty_layer === true,
  }));
}
