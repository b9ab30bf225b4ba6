// Finds, in a read archive, each image's config and its layers in stack
// order. Three layouts: legacy `docker save` (manifest.json naming
// `<config>.json` and `<v1>/layer.tar`, Podman's `<diffid>.tar` behind
// symlinks), Docker ≥ 25 (manifest.json naming OCI blobs), and plain OCI
// (index.json → manifest → config and layer blobs).
import type { ImageConfig } from './facts.js';
import { ArchiveError, type ArchiveContents } from './archive-reader.js';
import type { LayerContents } from './layer-reader.js';
import { imagePath } from './paths.js';

/** The image config document (application/vnd.oci.image.config.v1+json). */
export interface ConfigDocument {
  architecture?: string;
  os?: string;
  created?: string;
  config?: ImageConfig;
  rootfs?: { type?: string; diff_ids?: string[] };
  history?: Array<{ created?: string; created_by?: string; empty_layer?: boolean; comment?: string; author?: string }>;
}

export interface ArchivedImage {
  /** `sha256:` + the config's digest = the image ID. */
  id: string;
  repoTags: string[];
  config: ConfigDocument;
  /** Layers bottom to top, matching config.rootfs.diff_ids. */
  layers: LayerContents[];
  /** Where each layer is in the archive (legacy layout: `<v1 ID>/layer.tar`), bottom to top. */
  layerPaths?: string[];
}

interface LegacyManifestEntry {
  Config?: string;
  RepoTags?: string[] | null;
  Layers?: string[];
}

interface OciDescriptor {
  mediaType?: string;
  digest?: string;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

interface OciManifestOrIndex {
  mediaType?: string;
  manifests?: OciDescriptor[];
  config?: OciDescriptor;
  layers?: OciDescriptor[];
}

export function imagesInArchive(archive: ArchiveContents): ArchivedImage[] {
  const manifest = archive.json.get('manifest.json');
  if (Array.isArray(manifest)) {
    if (manifest.length === 0) throw new ArchiveError('manifest.json in the archive lists no image');
    return (manifest as LegacyManifestEntry[]).map((m) => fromLegacyEntry(archive, m));
  }
  const index = archive.json.get('index.json') as OciManifestOrIndex | undefined;
  if (index && Array.isArray(index.manifests)) return oneEntryPerImage(fromOciIndex(archive, index));
  if (archive.bytes === 0) throw new ArchiveError('the image archive is empty (truncated export?)');
  if (archive.layers.size > 0) {
    throw new ArchiveError('the archive has layers but neither manifest.json nor index.json: the export is truncated, or this is not an image archive');
  }
  throw new ArchiveError('the archive has neither manifest.json nor index.json: not an image archive');
}

/** An OCI index may list the same image once per tag: one image, every tag. */
function oneEntryPerImage(images: ArchivedImage[]): ArchivedImage[] {
  const byId = new Map<string, ArchivedImage>();
  for (const image of images) {
    const seen = byId.get(image.id);
    if (!seen) byId.set(image.id, image);
    else for (const tag of image.repoTags) if (!seen.repoTags.includes(tag)) seen.repoTags.push(tag);
  }
  return [...byId.values()];
}

function fromLegacyEntry(archive: ArchiveContents, entry: LegacyManifestEntry): ArchivedImage {
  if (!isObject(entry) || typeof entry.Config !== 'string' || !Array.isArray(entry.Layers) || !entry.Layers.every((l) => typeof l === 'string')) {
    throw new ArchiveError('manifest.json entry without Config or Layers');
  }
  const config = configAt(archive, entry.Config);
  const digest = /([0-9a-f]{64})(?:\.json)?$/.exec(entry.Config)?.[1];
  return {
    id: digest ? `sha256:${digest}` : entry.Config,
    repoTags: Array.isArray(entry.RepoTags) ? entry.RepoTags.filter((t) => typeof t === 'string') : [],
    config,
    layers: entry.Layers.map((p) => layerAt(archive, p)),
    layerPaths: entry.Layers.map((p) => resolveAlias(archive, p)),
  };
}

function fromOciIndex(archive: ArchiveContents, index: OciManifestOrIndex): ArchivedImage[] {
  const out: ArchivedImage[] = [];
  for (const descriptor of index.manifests ?? []) {
    if (!isObject(descriptor)) throw new ArchiveError('an OCI index in the archive lists a manifest that is not a descriptor');
    // BuildKit attestations (in-toto blobs under an image-like manifest) are not images.
    if (descriptor.annotations?.['vnd.docker.reference.type']) continue;
    const doc = blob(archive, descriptor.digest) as OciManifestOrIndex;
    if (!isObject(doc)) throw new ArchiveError(`the archive's manifest ${descriptor.digest} is not a JSON object`);
    if (Array.isArray(doc.manifests)) {
      // A nested index (multi-platform, or attestations): take the image manifests with a config.
      for (const inner of fromOciIndex(archive, doc)) out.push(withTags(inner, descriptor));
      continue;
    }
    if (!doc.config?.digest || !Array.isArray(doc.layers)) continue; // attestation or other artefact
    if (!doc.layers.every(isObject)) throw new ArchiveError(`the archive's manifest ${descriptor.digest} lists a layer that is not a descriptor`);
    const config = blob(archive, doc.config.digest) as ConfigDocument;
    if (!isObject(config) || !config.rootfs) continue;
    checkConfig(config, doc.config.digest);
    out.push(
      withTags(
        {
          id: doc.config.digest,
          repoTags: [],
          config,
          layers: doc.layers.map((l) => layerAt(archive, blobPath(l.digest))),
          layerPaths: doc.layers.map((l) => blobPath(l.digest)),
        },
        descriptor,
      ),
    );
  }
  if (out.length === 0) throw new ArchiveError('index.json names no image manifest');
  return out;
}

function withTags(image: ArchivedImage, descriptor: OciDescriptor): ArchivedImage {
  const name = descriptor.annotations?.['io.containerd.image.name'] ?? descriptor.annotations?.['org.opencontainers.image.ref.name'];
  if (name && name.includes(':') && !image.repoTags.includes(name)) image.repoTags.push(name.replace(/^docker\.io\/library\//, ''));
  return image;
}

function blobPath(digest: string | undefined): string {
  const m = /^([a-z0-9]+):([a-f0-9]+)$/.exec(digest ?? '');
  if (!m) throw new ArchiveError(`invalid digest ${JSON.stringify(digest)} in the archive`);
  return `blobs/${m[1]}/${m[2]}`;
}

function blob(archive: ArchiveContents, digest: string | undefined): unknown {
  return jsonAt(archive, blobPath(digest));
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The config document of image `id` as the archive holds it (legacy `<hex>.json` or an OCI blob). */
export function configOfImage(archive: ArchiveContents, id: string): ConfigDocument {
  const hex = id.replace(/^sha256:/, '');
  return configAt(archive, archive.json.has(`${hex}.json`) ? `${hex}.json` : blobPath(id));
}

function configAt(archive: ArchiveContents, path: string): ConfigDocument {
  const config = jsonAt(archive, path);
  if (!isObject(config)) throw new ArchiveError(`the image config ${path} in the archive is not an image config (not a JSON object)`);
  checkConfig(config as ConfigDocument, path);
  return config as ConfigDocument;
}

/** The fields the facts are built from have the types they are read as (a crafted config may say anything). */
function checkConfig(config: ConfigDocument, name: string): void {
  const bad = (what: string) => new ArchiveError(`the image config ${name} in the archive is not an image config (${what})`);
  if (config.config !== undefined && config.config !== null && !isObject(config.config)) throw bad('"config" is not an object');
  if (config.config === null) delete config.config;
  const rootfs = config.rootfs as unknown;
  const diffIds = (rootfs as { diff_ids?: unknown } | undefined)?.diff_ids;
  if (rootfs !== undefined && (!isObject(rootfs) || (diffIds !== undefined && !(Array.isArray(diffIds) && diffIds.every((d) => typeof d === 'string'))))) {
    throw bad('rootfs.diff_ids is not a list of digests');
  }
  const history = config.history as unknown;
  if (history !== undefined && !(Array.isArray(history) && history.every(isObject))) throw bad('"history" is not a list of steps');
}

function jsonAt(archive: ArchiveContents, path: string): unknown {
  const resolved = resolveAlias(archive, path);
  const doc = archive.json.get(resolved);
  if (doc === undefined) throw new ArchiveError(`the archive names ${path} but does not contain it (truncated export?)`);
  return doc;
}

function layerAt(archive: ArchiveContents, path: string): LayerContents {
  const layer = archive.layers.get(resolveAlias(archive, path));
  if (!layer) throw new ArchiveError(`the archive's manifest names layer ${path}, which is missing from the archive`);
  return layer;
}

function resolveAlias(archive: ArchiveContents, path: string): string {
  let p = imagePath(path).slice(1); // as archive entry names are read: `./`, `/` and `..` at the top removed
  for (let hops = 0; hops < 16 && archive.aliases.has(p); hops++) p = archive.aliases.get(p)!;
  return p;
}
