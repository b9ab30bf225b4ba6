// One daemon image, end to end: inspect → (export streaming while the
// boundary is found, when the rules read layers) → facts → findings. Returns
// data; printing is the caller's.
import type { BaseBoundary, ImageFacts } from '../image/facts.js';
import type { ContentRequest } from '../image/layer-reader.js';
import type { LayerCache } from '../cache/layer-cache.js';
import { inspectImage, type DaemonContext } from '../daemon/inspect.js';
import { removedMeanwhile } from '../daemon/removed.js';
import { combinedNeeds, type EngineOptions, type Finding } from '../policies/engine.js';
import type { PolicyEntry } from '../policies/catalog.js';
import type { Rule } from '../policies/rule.js';
import type { FileScanner } from '../image/file-scanner.js';
import type { AdvisoryLookup } from '../vulns/osv.js';
import type { KnownDockerfile, LocalOutlines } from './find-boundary.js';
import { firstTry, frontMatterOf, withEarlyListing, type FirstTry } from './remembered-result.js';
import { daemonFacts, resultOf, storeResult } from './image-result.js';

/** The advisory database as check sees it: the advisories of an image's packages, read from disk. */
export interface AdvisorySource {
  forImage(facts: ImageFacts): Promise<AdvisoryLookup>;
}

export interface ImageResult {
  /** The name the user gave. */
  image: string;
  id?: string;
  repoTags: string[];
  passed: boolean;
  baseBoundary?: BaseBoundary;
  /** The Dockerfile given or found, and whether it matched this image's history. */
  dockerfile?: DockerfileMatchResult;
  findings: Finding[];
  suppressed: Finding[];
  /** Layers were not read (config-only run). */
  layersSkipped?: boolean;
  /** The merged filesystem was read instead of the layers (check --quick). */
  layersMerged?: boolean;
  error?: string;
  /** Kept for callers that want more than the findings (not serialised). */
  facts?: ImageFacts;
}

export interface DockerfileMatchResult {
  path: string;
  matched: boolean;
  /** Why it did not match, in words (when `matched` is false). */
  reason?: string;
  /** Found as ./Dockerfile rather than given with --dockerfile. */
  auto?: boolean;
}

export interface CheckOptions {
  rules: Rule[];
  catalog: Map<string, PolicyEntry>;
  engine: EngineOptions;
  baseImage?: string;
  dockerfile?: KnownDockerfile;
  /** Skip the export even when a rule needs files. */
  noLayers?: boolean;
  /**
   * Read the merged filesystem of a container made from the image instead of
   * the image's layers (check --quick): about half the time of the export, but
   * a file's layer is known only where the layer cache knows the layers below
   * it, and files deleted by a later layer are not seen.
   */
  quick?: boolean;
  /** Scanners wanted besides the rules' (the bill of materials' package scanners). */
  scanners?: FileScanner[];
  /** Where the vulnerability rules' advisories come from (check --vulns); loaded per image before the rules run. */
  advisories?: AdvisorySource;
  onProgress?: (bytes: number) => void;
  /**
   * Per-layer facts by diffID (on unless --no-cache): an image whose layers
   * are all cached is not exported; an exported image's new layers are stored.
   */
  cache?: LayerCache;
  /** Local images' layers and steps, asked once per run for every image's base-image scan. */
  outlines?: LocalOutlines;
}

const CONTENT_CAP = 1024 * 1024;

export function contentRequest(rules: Rule[], extra: FileScanner[] = []): ContentRequest {
  const needs = combinedNeeds(rules);
  const wanted = new Set(needs.contents);
  const request: ContentRequest = { wants: (p) => wanted.has(p), maxBytes: CONTENT_CAP, paths: [...wanted].sort() };
  const scanners = [...new Map([...needs.scanners, ...extra].map((s) => [s.id, s])).values()];
  if (scanners.length > 0) request.scanners = scanners;
  return request;
}

export function needsLayers(rules: Rule[], options: Pick<CheckOptions, 'noLayers' | 'scanners'>): boolean {
  if (options.noLayers) return false;
  const needs = combinedNeeds(rules);
  return needs.files || needs.contents.length > 0 || needs.scanners.length > 0 || (options.scanners?.length ?? 0) > 0;
}

/** Checks one image; `tried` is what `check`'s own first try (a stored result that did not match) already asked. */
export async function checkDaemonImage(ctx: DaemonContext, ref: string, options: CheckOptions, tried?: FirstTry): Promise<ImageResult> {
  // An image checked before: when nothing its result depends on changed, the stored result is the answer.
  const results = remembersResults(options) ? options.cache : undefined;
  tried ??= results ? await firstTry(ctx, ref, { ...options, cache: results }) : undefined;
  if (tried?.result) return tried.result;
  options = tried?.outlines ? { ...options, outlines: tried.outlines } : withEarlyListing(ctx, options);
  const info = tried?.info ?? (await inspectImage(ctx, ref));
  const store = results && tried?.slot ? { results, slot: tried.slot } : undefined;
  if (needsLayers(options.rules, options)) {
    const { checkWithLayers } = await import('./image-layers.js');
    return checkWithLayers(ctx, ref, info, contentRequest(options.rules, options.scanners), options, store, tried);
  }
  try {
    const front = tried?.front ?? (await frontMatterOf(ctx, ref, info, options, tried?.history));
    const result = await resultOf(ref, daemonFacts(ref, info, front, {}), options, front.found.dockerfile);
    if (store) await storeResult(store, info, front, result);
    return result;
  } catch (err) {
    throw await removedMeanwhile(ctx, info.id, err); // an image deleted since its inspect says so
  }
}

/**
 * Results are stored for plain checks only: a bill of materials wants the
 * facts themselves, and advisories change without the image changing.
 */
function remembersResults(options: CheckOptions): boolean {
  return options.cache !== undefined && options.scanners === undefined && options.advisories === undefined;
}
