// One image, end to end: inspect → (export streaming while the boundary is
// found) → facts → findings. Returns data; printing is the caller's.
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { BaseBoundary, ImageFacts } from '../image/facts.js';
import { layerNameOf, readArchive, type ArchiveContents } from '../image/archive-reader.js';
import { configOfImage, imagesInArchive, type ArchivedImage } from '../image/layout.js';
import { buildFacts, historyFromConfig, type FactsInput } from '../image/facts-builder.js';
import { buildSteps } from '../image/history.js';
import { NO_CONTENT, type ContentRequest, type LayerContents } from '../image/layer-reader.js';
import type { LayerCache } from '../cache/layer-cache.js';
import type { DaemonImage } from '../daemon/inspect.js';
import { UNKNOWN_BOUNDARY } from '../image/boundary.js';
import { exportImage } from '../daemon/export.js';
import { exportContainerFilesystem, type ContainerFilesystem } from '../daemon/container-export.js';
import { readContainerFilesystem } from '../image/container-filesystem.js';
import { inspectImage, type DaemonContext } from '../daemon/inspect.js';
import { removedMeanwhile } from '../daemon/removed.js';
import { combinedNeeds, judge, type EngineOptions, type Finding } from '../policies/engine.js';
import type { PolicyEntry } from '../policies/catalog.js';
import type { Rule } from '../policies/rule.js';
import type { FileScanner } from '../image/file-scanner.js';
import type { AdvisoryLookup } from '../vulns/osv.js';
import { VULN_POLICY_IDS } from '../policies/rules/vulns/ids.js';
import { inventoryOf } from '../sbom/inventory.js';
import { advisoryNameOf } from '../sbom/ecosystem.js';

/** The advisory database as check sees it: the advisories of some packages, read from disk. */
export interface AdvisorySource {
  forPackages(keys: Array<{ ecosystem: string; name: string }>): Promise<AdvisoryLookup>;
}

/** The (ecosystem, advisory name) of every package in the image, once each. */
function packageKeysOf(facts: ImageFacts): Array<{ ecosystem: string; name: string }> {
  const keys = new Map<string, { ecosystem: string; name: string }>();
  for (const c of inventoryOf(facts).components) {
    if (!c.ecosystem) continue;
    const name = advisoryNameOf(c);
    keys.set(`${c.ecosystem}\0${name}`, { ecosystem: c.ecosystem, name });
  }
  return [...keys.values()];
}
import { UsageError } from './usage-error.js';
import { findBoundary, type KnownDockerfile, type LocalOutlines } from './find-boundary.js';
import { resultKeyOf } from './result-key.js';
import { firstTry, frontMatterOf, withEarlyListing, type FirstTry, type FrontMatter } from './remembered-result.js';
import { reportedResult } from '../report/json.js';

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
  const layersNeeded = needsLayers(options.rules, options);
  const request = contentRequest(options.rules, options.scanners);
  const cache = layersNeeded ? options.cache : undefined;
  const store = results && tried?.slot ? { results, slot: tried.slot } : undefined;
  let front = tried?.front;
  // Every layer cached (and the config, for the history as the export has it): no export at all.
  const lookup = cache ? await lookupImage(cache, info, request) : undefined;
  if (layersNeeded && options.quick && !lookup?.image) return checkMergedFilesystem(ctx, ref, info, request, options, store, tried, lookup?.missing);
  // Otherwise ask for the export first: the daemon stages it while we fetch the rest.
  const exporting = layersNeeded && !lookup?.image ? exportImage(ctx, info.id) : undefined;
  exporting?.catch(() => {}); // awaited below; avoid an unhandled rejection meanwhile
  let archiveRead: Promise<ArchiveContents> | undefined;
  if (exporting) {
    const known = cache && lookup ? knownLayers(cache, request, lookup.missing) : undefined;
    const aliasOf = cache ? (v1Id: string) => cache.aliasOf(v1Id) : undefined;
    // Some layers cached, some not (a rebuild): read until the new ones and the config are in, then close the export.
    const until = lookup && lookup.missing.size > 0 && lookup.missing.size < new Set(info.diffIds).size ? { diffIds: lookup.missing, configId: info.id } : undefined;
    archiveRead = exporting.then((stream) => readArchive(stream as Readable, request, options.onProgress, { known, aliasOf, ...(until ? { until } : {}) }));
    archiveRead.catch(() => {});
  }
  try {
    front ??= await frontMatterOf(ctx, ref, info, options, tried?.history);
    let archived: ArchivedImage | undefined = lookup?.image;
    let storing: Promise<void> | undefined;
    if (archiveRead) {
      const archive = await archiveRead;
      archived = archive.stoppedEarly ? await assembleImage(archive, info, cache!, request) : pickImage(imagesInArchive(archive), info.id);
      if (!archived) return await checkDaemonImage(ctx, ref, { ...options, cache: undefined }); // the cache lost a layer meanwhile: read it all
      if (cache && lookup && archived.id === info.id) storing = storeImage(cache, archived, request, lookup);
    }
    const result = await resultOf(ref, daemonFacts(ref, info, front, { archived }), options, front.found.dockerfile);
    if (store) storing = Promise.all([storing, storeResult(store, info, front, result)]).then(() => undefined);
    await storing;
    return result;
  } catch (err) {
    // Stop the export when anything else failed.
    exporting?.then((s) => s.destroy(), () => {});
    throw await removedMeanwhile(ctx, info.id, err); // an image deleted since its inspect says so
  }
}

/**
 * check --quick: the merged filesystem of a container made from the image,
 * streamed from its first byte (the image export is staged whole first).
 * The bottom layers the cache knows (all but `missing`) tell which files are
 * theirs; nothing is stored per layer, as no layer was read.
 */
async function checkMergedFilesystem(
  ctx: DaemonContext,
  ref: string,
  info: DaemonImage,
  request: ContentRequest,
  options: CheckOptions,
  store: ResultStore | undefined,
  tried?: FirstTry,
  missing?: Set<string>,
): Promise<ImageResult> {
  const exporting = exportContainerFilesystem(ctx, info.id);
  exporting.catch(() => {}); // awaited below
  const guard = removeOnSignal(exporting);
  let container: ContainerFilesystem | undefined;
  try {
    const [front, known] = await Promise.all([
      tried?.front ?? frontMatterOf(ctx, ref, info, options, tried?.history),
      options.cache && missing ? knownBottomLayers(options.cache, info.diffIds, missing) : [],
    ]);
    container = await exporting;
    const tree = await readContainerFilesystem(container.body, request);
    await container.remove();
    const result = await resultOf(ref, daemonFacts(ref, info, front, { merged: { tree, known } }), options, front.found.dockerfile);
    if (store) await storeResult(store, info, front, result);
    return result;
  } catch (err) {
    if (guard.ending) await guard.ending; // interrupted: the signal ends the process
    container ??= await exporting.catch(() => undefined);
    container?.body.destroy();
    await container?.remove().catch(() => {}); // the first failure is the one to report
    throw await removedMeanwhile(ctx, info.id, err);
  } finally {
    guard.release();
  }
}

/** A daemon image's facts from its inspect, its front matter and what was read of its layers (nothing, the export, or --quick's filesystem). */
function daemonFacts(ref: string, info: DaemonImage, front: FrontMatter, read: Pick<FactsInput, 'archived' | 'merged'>): ImageFacts {
  const { boundary, dockerfileLines } = front.found;
  return buildFacts({ id: info.id, repoTags: info.repoTags, os: info.os, config: info.config, history: front.history, diffIds: info.diffIds, boundary, dockerfileLines, reference: ref, ...read });
}

/** Where a plain check's result is stored: the cache, and the image's slot from the first try. */
interface ResultStore {
  results: LayerCache;
  slot: string;
}

/** Stores a daemon image's result in its slot, under the key of what it was judged with. Never throws. */
function storeResult({ results, slot }: ResultStore, info: DaemonImage, front: FrontMatter, result: ImageResult): Promise<boolean> {
  return results.putResult(info.id, slot, resultKeyOf(slot, front.found), reportedResult(result));
}

/**
 * From now until `release`, Ctrl-C (SIGINT) and SIGTERM first remove the
 * container (once it exists), then end the process as they would have.
 * `ending` settles never once a signal came: the read its removal broke
 * waits on it, so no error is printed for it.
 */
function removeOnSignal(exporting: Promise<ContainerFilesystem>): { release(): void; ending?: Promise<void> } {
  const guard: { release(): void; ending?: Promise<void> } = {
    release() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
  const onSignal = (signal: NodeJS.Signals) => {
    guard.ending = exporting
      .then((container) => container.remove())
      .catch(() => {})
      .then(() => {
        process.kill(process.pid, signal);
        return new Promise<void>(() => {});
      });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return guard;
}

/** The image's bottom layers, as far as the cache has them in a row (their entries only). */
async function knownBottomLayers(cache: LayerCache, diffIds: string[], missing: Set<string>): Promise<LayerContents[]> {
  const known: LayerContents[] = [];
  for (const diffId of diffIds) {
    const layer = missing.has(diffId) ? undefined : await cache.get(diffId, NO_CONTENT);
    if (!layer) break;
    known.push(layer);
  }
  return known;
}

/**
 * Results are stored for plain checks only: a bill of materials wants the
 * facts themselves, and advisories change without the image changing.
 */
function remembersResults(options: CheckOptions): boolean {
  return options.cache !== undefined && options.scanners === undefined && options.advisories === undefined;
}

interface CacheLookup {
  /** The image as its export would read, when everything was cached. */
  image?: ArchivedImage;
  configCached: boolean;
  /** diffIDs not cached (or not serving this request). */
  missing: Set<string>;
}

async function lookupImage(cache: LayerCache, info: DaemonImage, request: ContentRequest): Promise<CacheLookup> {
  const [config, layers] = await Promise.all([cache.getConfig(info.id), cache.lookup(info.diffIds, request)]);
  const sameLayers = config !== undefined && sameList(config.rootfs?.diff_ids ?? [], info.diffIds);
  if (config && sameLayers && layers.layers) {
    return { image: { id: info.id, repoTags: info.repoTags, config, layers: layers.layers }, configCached: true, missing: layers.missing };
  }
  return { configCached: sameLayers, missing: layers.missing };
}

/** Cached layers for the archive reader (archives that name layers by diffID); the missing ones are not asked again. */
function knownLayers(cache: LayerCache, request: ContentRequest, missing: Set<string>): (diffId: string) => Promise<LayerContents | undefined> {
  return async (diffId) => (missing.has(diffId) ? undefined : cache.get(diffId, request));
}

/** Stores what the export added to the cache: the config and the layers that were missing. Never throws. */
async function storeImage(cache: LayerCache, image: ArchivedImage, request: ContentRequest, lookup: CacheLookup): Promise<void> {
  const diffIds = image.config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== image.layers.length) return;
  let wrote = false;
  const done = new Set<string>();
  for (let i = 0; i < diffIds.length; i++) {
    const diffId = diffIds[i];
    if (!lookup.missing.has(diffId) || done.has(diffId)) continue;
    done.add(diffId);
    wrote = (await cache.put(diffId, image.layers[i], request)) || wrote;
  }
  if (!lookup.configCached) wrote = (await cache.putConfig(image.id, image.config)) || wrote;
  // Layers named otherwise than by their diffID (legacy v1 IDs, compressed blobs' digests): the next
  // export of an image on the same base names them alike.
  for (let i = 0; i < diffIds.length; i++) {
    const hex = layerNameOf(image.layerPaths?.[i] ?? '')?.hex;
    if (!hex || `sha256:${hex}` === diffIds[i]) continue;
    if ((await cache.aliasOf(hex)) !== diffIds[i]) wrote = (await cache.putAlias(hex, diffIds[i])) || wrote;
  }
  if (wrote) await cache.prune().catch(() => undefined);
}

/**
 * The image from an export read only until its new layers (stoppedEarly):
 * its config from the archive, its layers from what was read and the cache.
 * Undefined when a cached layer is gone by now.
 */
async function assembleImage(archive: ArchiveContents, info: DaemonImage, cache: LayerCache, request: ContentRequest): Promise<ArchivedImage | undefined> {
  const config = configOfImage(archive, info.id);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers: LayerContents[] = [];
  for (const diffId of diffIds) {
    const layer = archive.byDiffId?.get(diffId) ?? (await cache.get(diffId, request));
    if (!layer) return undefined;
    layers.push(layer);
  }
  // The v1 IDs hashed on the way serve the next export of an image sharing these layers.
  for (const [v1Id, diffId] of archive.v1DiffIds ?? []) await cache.putAlias(v1Id, diffId);
  return { id: info.id, repoTags: info.repoTags, config, layers };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Checks every image in a `docker save` / OCI archive file, without a daemon. */
export async function checkArchiveFile(path: string, options: CheckOptions): Promise<ImageResult[]> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read --archive ${path}: ${err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message)}`);
  });
  const stream = handle.createReadStream({ highWaterMark: 1024 * 1024 });
  const request = contentRequest(options.rules, options.scanners);
  // Layers named by diffID (OCI blobs, Podman) come from the cache when it has them. An archive
  // file is not the daemon: nothing it claims is stored (a crafted file must not poison the cache).
  const known = options.cache && needsLayers(options.rules, options) ? knownLayers(options.cache, request, new Set()) : undefined;
  const archive = await readArchive(stream, request, options.onProgress, { known });
  const results: ImageResult[] = [];
  for (const image of imagesInArchive(archive)) {
    const history = historyFromConfig(image);
    const { history: steps } = buildSteps(history, image.config.rootfs?.diff_ids ?? []);
    const { boundary, dockerfileLines, dockerfile } = await findBoundary(
      undefined,
      { id: image.id, createdBy: history.map((h) => h.createdBy), diffIds: image.config.rootfs?.diff_ids ?? [] },
      steps,
      { dockerfile: options.dockerfile, localScan: false },
    );
    const facts = buildFacts({
      id: image.id,
      repoTags: image.repoTags,
      os: image.config.os ?? 'linux',
      config: image.config.config ?? {},
      history,
      diffIds: image.config.rootfs?.diff_ids ?? [],
      archived: image,
      boundary: boundary ?? UNKNOWN_BOUNDARY,
      dockerfileLines,
      ...(image.repoTags[0] ? { reference: image.repoTags[0] } : {}),
    });
    results.push(await resultOf(image.repoTags[0] ?? image.id, facts, options, dockerfile));
  }
  return results;
}

function pickImage(images: ArchivedImage[], id: string): ArchivedImage {
  const found = images.find((i) => i.id === id) ?? (images.length === 1 ? images[0] : undefined);
  if (!found) throw new Error(`the export does not contain image ${id}`);
  return found;
}

async function resultOf(ref: string, facts: ImageFacts, options: CheckOptions, dockerfile?: DockerfileMatchResult): Promise<ImageResult> {
  const engine = options.advisories && options.rules.some((r) => r.ids.some((id) => VULN_POLICY_IDS.includes(id)))
    ? { ...options.engine, advisories: await options.advisories.forPackages(packageKeysOf(facts)) }
    : options.engine;
  const { findings, suppressed } = judge(facts, options.rules, options.catalog, engine, ref);
  return {
    image: ref,
    id: facts.id,
    repoTags: facts.repoTags,
    passed: findings.every((f) => f.action !== 'fail'),
    baseBoundary: facts.baseBoundary,
    ...(dockerfile ? { dockerfile } : {}),
    findings,
    suppressed,
    ...(facts.layersRead ? {} : { layersSkipped: true }),
    ...(facts.layersMerged ? { layersMerged: true } : {}),
    facts,
  };
}
