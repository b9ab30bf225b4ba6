// Stored check results: a re-check of an image whose result is stored, and
// whose key (result-key.ts) still matches, is answered from the store without
// reading a layer or, on `check`'s own path, loading a rule. check-image.ts
// stores results and consults the store too (watch, audit, the hook).
import type { LayerCache } from '../cache/layer-cache.js';
import { buildSteps } from '../image/history.js';
import { imageHistory, inspectImage, type DaemonContext, type DaemonImage, type LocalImageSummary } from '../daemon/inspect.js';
import { askListing, type EarlyAnswers } from './daemon-answers.js';
import type { HistoryEntry } from '../image/history.js';
import type { EngineOptions } from '../policies/engine.js';
import type { PolicyEntry } from '../policies/catalog.js';
import { enabledImagePolicies } from './check-settings.js';
import { findBoundary, type BoundaryResult, type KnownDockerfile, type LocalOutlines } from './find-boundary.js';
import { resultKeyOf, resultSlotOf } from './result-key.js';
import type { ImageResult } from './check-image.js';

/** What a stored result depends on besides the image (CheckOptions has them all). */
export interface RememberOptions {
  catalog: Map<string, PolicyEntry>;
  engine: EngineOptions;
  noLayers?: boolean;
  /** check --quick: a result from the merged filesystem is not one from the layers. */
  quick?: boolean;
  baseImage?: string;
  dockerfile?: KnownDockerfile;
  outlines?: LocalOutlines;
}

/** The history and the base-image boundary: what is asked of the daemon besides the layers. */
export interface FrontMatter {
  history: Awaited<ReturnType<typeof imageHistory>>;
  found: BoundaryResult;
}

export async function frontMatterOf(ctx: DaemonContext, ref: string, info: DaemonImage, options: RememberOptions, asked?: Promise<HistoryEntry[]>): Promise<FrontMatter> {
  const history = await (asked ?? imageHistory(ctx, info.id));
  const { history: steps } = buildSteps(history, info.diffIds);
  const found = await findBoundary(
    ctx,
    { id: info.id, ref, createdBy: history.map((h) => h.createdBy), diffIds: info.diffIds, size: info.size, stepSizes: stepSizesOf(history) },
    steps,
    { baseImage: options.baseImage, dockerfile: options.dockerfile, outlines: options.outlines },
  );
  return { history, found };
}

/** The daemon's size of each step, when it gave every one. */
function stepSizesOf(history: HistoryEntry[]): number[] | undefined {
  return history.every((h) => h.size !== undefined) ? history.map((h) => h.size as number) : undefined;
}

/** The base-image scan's image list, asked now (while the image is inspected) unless given or already in the outlines; the options to pass on. */
export function withEarlyListing<T extends RememberOptions>(ctx: DaemonContext, options: T, listing?: Promise<LocalImageSummary[]>): T {
  if (options.baseImage !== undefined || !options.outlines) return options;
  listing ??= options.outlines.listing ?? askListing(ctx);
  return { ...options, outlines: { ...options.outlines, listing } };
}

/** The slot of an image's result: everything its key holds but the boundary. */
export function slotOf(ref: string, info: DaemonImage, options: RememberOptions): string {
  const policyIds = enabledImagePolicies(options);
  return resultSlotOf({ imageId: info.id, repoTags: info.repoTags, ref, policyIds, catalog: options.catalog, engine: options.engine, noLayers: options.noLayers === true, quick: options.quick === true, baseImage: options.baseImage, dockerfile: options.dockerfile });
}

/** The stored result of an image in a slot, when its key matches what `front` found now. */
async function storedResultOf(cache: LayerCache, ref: string, info: DaemonImage, slot: string, front: () => Promise<FrontMatter>): Promise<ImageResult | undefined> {
  const stored = await cache.getResult(info.id, slot);
  if (!stored) return undefined;
  if (stored.key !== resultKeyOf(slot, (await front()).found)) return undefined;
  const r = stored.result as Partial<ImageResult> | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.findings) || !Array.isArray(r.suppressed) || typeof r.passed !== 'boolean') return undefined;
  return { ...(r as ImageResult), image: ref, id: info.id, repoTags: info.repoTags };
}

/**
 * What a first try learned of an image: its inspect, its result's slot, the
 * image list asked early (in `outlines`), the front matter when a stored
 * result was compared, and the result when it matched.
 */
export interface FirstTry {
  info: DaemonImage;
  slot: string;
  outlines?: LocalOutlines;
  front?: FrontMatter;
  /** The history asked early, when the front matter was not needed yet. */
  history?: Promise<HistoryEntry[]>;
  result?: ImageResult;
}

/**
 * The first try of a check: the image's stored result, if still valid. What
 * was asked of the daemon serves the full check otherwise (`check` tries every
 * image before it loads the rules; checkDaemonImage tries itself when not).
 * Without a store (no cache, --vulns) it only asks: the inspect (and the
 * history, when asked early).
 */
export async function firstTry(
  ctx: DaemonContext,
  ref: string,
  options: RememberOptions & { cache?: LayerCache },
  early?: EarlyAnswers & { listing?: Promise<LocalImageSummary[]> },
): Promise<FirstTry> {
  const opts = withEarlyListing(ctx, options, early?.listing);
  const info = await (early?.info ?? inspectImage(ctx, ref));
  const slot = slotOf(ref, info, opts);
  let front: FrontMatter | undefined;
  const asked = async (): Promise<FrontMatter> => (front = await frontMatterOf(ctx, ref, info, opts, early?.history));
  // Without a store the front matter waits for the full check, which asks for the export first.
  const result = opts.cache ? await storedResultOf(opts.cache, ref, info, slot, asked) : undefined;
  const history = !front && early ? { history: early.history } : {};
  return { info, slot, ...(opts.outlines ? { outlines: opts.outlines } : {}), ...(front ? { front } : {}), ...history, ...(result ? { result } : {}) };
}
