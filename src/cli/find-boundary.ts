// Finds the base-image boundary for an image on the daemon, in DESIGN.md's
// order of trust: --base-image, --dockerfile, a local prefix image, times.
import type { BaseBoundary, DockerfileLine, HistoryStep } from '../image/facts.js';
import {
  UNKNOWN_BOUNDARY,
  boundaryFromBase,
  boundaryFromTimestamps,
  isStrictPrefix,
  matchDockerfile,
  nearestLocalBase,
  possibleBaseSize,
  type ImageOutline,
} from '../image/boundary.js';
import type { DockerfileStage } from '../image/dockerfile.js';
import { DaemonError } from '../daemon/errors.js';
import { forEachLimited } from './for-each-limited.js';
import type { DockerfileMatchResult } from './check-image.js';
import { imageHistory, inspectImage, listImages, type DaemonContext, type LocalImageSummary } from '../daemon/inspect.js';
import { OutlineStore } from '../cache/outline-store.js';
import type { LayerCache } from '../cache/layer-cache.js';
import { ByIdMemo } from './by-id-memo.js';

export interface KnownDockerfile {
  /** The path to show (as the user gave it, or `Dockerfile` when found in the current directory). */
  path: string;
  /** The instructions that built the target stage, earlier stages it is built FROM included (resolveStage). */
  stage: DockerfileStage;
  /** Found in the current directory rather than given: a mismatch is only a note. */
  auto?: boolean;
}

/** The image whose boundary is wanted, with the daemon's sizes for the base-image scan. */
export interface ScannedImage extends ImageOutline {
  /** Its size (inspect's). */
  size?: number;
  /** Each history step's size (the daemon's /history), oldest first. */
  stepSizes?: number[];
}

export interface BoundaryResult {
  boundary: BaseBoundary;
  /** Dockerfile lines per history index, when the Dockerfile matched. */
  dockerfileLines?: Map<number, DockerfileLine>;
  /** Whether the Dockerfile given or found matched the history (absent when there was none). */
  dockerfile?: DockerfileMatchResult;
}

export async function findBoundary(
  ctx: DaemonContext | undefined,
  image: ScannedImage,
  steps: HistoryStep[],
  options: { baseImage?: string; dockerfile?: KnownDockerfile; localScan?: boolean; outlines?: LocalOutlines },
): Promise<BoundaryResult> {
  // Matched even when --base-image sets the boundary: the lines are still wanted.
  const fromDockerfile = options.dockerfile ? lineUpDockerfile(steps, options.dockerfile) : undefined;
  const withDockerfile = (boundary: BaseBoundary): BoundaryResult => ({ ...fromDockerfile?.parts, boundary });
  if (options.baseImage) {
    if (!ctx) throw new DaemonError('--base-image needs a daemon to inspect the base image');
    const base = await outlineOf(ctx, options.baseImage);
    if (!isStrictPrefix(base, image)) {
      throw new DaemonError(
        `--base-image ${options.baseImage} is not a base of ${image.ref ?? image.id}: their first steps or layers differ`,
      );
    }
    return withDockerfile(boundaryFromBase(base, image, 'base-image'));
  }
  if (fromDockerfile?.boundary) return withDockerfile(fromDockerfile.boundary);
  if (ctx && options.localScan !== false) {
    const base = await nearestLocalImage(ctx, image, options.outlines ?? localOutlines());
    if (base) return withDockerfile(boundaryFromBase(base, image, 'local-image'));
  }
  return withDockerfile(boundaryFromTimestamps(steps) ?? UNKNOWN_BOUNDARY);
}

/** The Dockerfile's match: its boundary and lines when it matched, and the result to report either way. */
function lineUpDockerfile(
  steps: HistoryStep[],
  known: KnownDockerfile,
): { boundary?: BaseBoundary; parts: Omit<BoundaryResult, 'boundary'> } {
  const match = matchDockerfile(steps, known.stage, known.path);
  const found = known.auto ? { auto: true } : {};
  if (!match.matched) return { parts: { dockerfile: { path: known.path, matched: false, reason: match.reason, ...found } } };
  const lines = new Map<number, DockerfileLine>();
  for (const [index, span] of match.lines) {
    const line: DockerfileLine = { path: known.path, line: span.line };
    if (span.endLine > span.line) line.endLine = span.endLine;
    lines.set(index, line);
  }
  return { boundary: match.boundary, parts: { dockerfileLines: lines, dockerfile: { path: known.path, matched: true, ...found } } };
}

async function outlineOf(ctx: DaemonContext, ref: string): Promise<ImageOutline> {
  const info = await inspectImage(ctx, ref);
  const history = await imageHistory(ctx, info.id);
  return { id: info.id, ref, createdBy: history.map((h) => h.createdBy), diffIds: info.diffIds };
}

/**
 * Local images that are strict prefixes of this one; the longest is the base.
 * Only images of a size a prefix can have are inspected (possibleBaseSize:
 * on the classic store, a handful of the list), and layers are compared
 * before any history is fetched, so the scan stays cheap.
 */
async function nearestLocalImage(ctx: DaemonContext, image: ScannedImage, known: LocalOutlines): Promise<ImageOutline | undefined> {
  const all = await (known.listing ?? listImages(ctx));
  // The list's own size of the image, when listed: measured as the candidates' are.
  const fits = possibleBaseSize(all.find((c) => c.id === image.id)?.size ?? image.size, image.stepSizes);
  const candidates = all.filter((c) => c.id !== image.id && fits(c.size));
  const outlines: ImageOutline[] = [];
  const store = known.remembered;
  await forEachLimited(candidates, 8, async (c) => {
    const remembered = await store?.get(c.id);
    const diffIds = remembered?.diffIds ?? (await known.diffIds.get(c.id, () => inspectImage(ctx, c.id).then((i) => i.diffIds, () => undefined))); // undefined: deleted meanwhile
    if (!diffIds) return;
    if (!remembered) await store?.set(c.id, { diffIds });
    if (diffIds.length > image.diffIds.length || !diffIds.every((d, i) => d === image.diffIds[i])) return;
    const createdBy =
      remembered?.createdBy ?? (await known.createdBy.get(c.id, () => imageHistory(ctx, c.id).then((h) => h.map((s) => s.createdBy), () => undefined)));
    if (!createdBy) return;
    if (!remembered?.createdBy) await store?.set(c.id, { diffIds, createdBy });
    outlines.push({ id: c.id, ref: c.repoTags[0] ?? c.id, createdBy, diffIds });
  });
  await store?.save(all.map((c) => c.id));
  return nearestLocalBase(image, outlines);
}

/** The layers and steps of local images by ID, kept for a run: checking many images asks the daemon once per candidate. */
export interface LocalOutlines {
  diffIds: ByIdMemo<string[]>;
  createdBy: ByIdMemo<string[]>;
  /** Outlines remembered across runs (the cache directory's), when the cache is on. */
  remembered?: OutlineStore;
  /** The image list, asked early (check asks it while it inspects the image); fresh otherwise. */
  listing?: Promise<LocalImageSummary[]>;
}

export function localOutlines(cache?: LayerCache): LocalOutlines {
  return { diffIds: new ByIdMemo(), createdBy: new ByIdMemo(), ...(cache ? { remembered: new OutlineStore(cache) } : {}) };
}
