// How a check reads an image's layers: from the layer cache when it has them
// all; else from the daemon's export, read only until the new layers when the
// cache has the rest; or, for check --quick, from a container's merged
// filesystem. Loaded only by checks whose rules read files (start-up time of
// config-only checks).
import type { Readable } from 'node:stream';
import { layerNameOf, readArchive, type ArchiveContents } from '../image/archive-reader.js';
import { configOfImage, imagesInArchive, type ArchivedImage } from '../image/layout.js';
import { NO_CONTENT, type ContentRequest, type LayerContents } from '../image/layer-reader.js';
import type { LayerCache } from '../cache/layer-cache.js';
import type { DaemonContext, DaemonImage } from '../daemon/inspect.js';
import { exportImage } from '../daemon/export.js';
import { exportContainerFilesystem, type ContainerFilesystem } from '../daemon/container-export.js';
import { readContainerFilesystem } from '../image/container-filesystem.js';
import { removedMeanwhile } from '../daemon/removed.js';
import type { CheckOptions, ImageResult } from './check-image.js';
import { frontMatterOf, type FirstTry } from './remembered-result.js';
import { daemonFacts, resultOf, storeResult, type ResultStore } from './image-result.js';

/**
 * Checks a daemon image whose rules read its layers. `store` is where its
 * result goes (plain checks), `tried` what the first try already asked.
 */
export async function checkWithLayers(
  ctx: DaemonContext,
  ref: string,
  info: DaemonImage,
  request: ContentRequest,
  options: CheckOptions,
  store?: ResultStore,
  tried?: FirstTry,
): Promise<ImageResult> {
  const cache = options.cache;
  let front = tried?.front;
  // Every layer cached (and the config, for the history as the export has it): no export at all.
  const lookup = cache ? await lookupImage(cache, info, request) : undefined;
  if (options.quick && !lookup?.image) return checkMergedFilesystem(ctx, ref, info, request, options, store, tried, lookup?.missing);
  // Otherwise ask for the export first: the daemon stages it while we fetch the rest.
  const exporting = !lookup?.image ? exportImage(ctx, info.id) : undefined;
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
      // The cache lost a layer meanwhile: read it all, storing nothing.
      if (!archived) return await checkWithLayers(ctx, ref, info, request, { ...options, cache: undefined });
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
export function knownLayers(cache: LayerCache, request: ContentRequest, missing: Set<string>): (diffId: string) => Promise<LayerContents | undefined> {
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

function pickImage(images: ArchivedImage[], id: string): ArchivedImage {
  const found = images.find((i) => i.id === id) ?? (images.length === 1 ? images[0] : undefined);
  if (!found) throw new Error(`the export does not contain image ${id}`);
  return found;
}

