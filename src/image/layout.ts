// Finds, in a read archive, each image's config and its layers in stack
// order. Three layouts: legacy `docker save` (manifest.json naming
// `<config>.json` and `<v1>/layer.tar`, Podman's `<diffid>.tar` behind
// symlinks), Docker ≥ 25 (manifest.json naming OCI blobs), and plain OCI
// (index.json → manifest → config and layer blobs).
import type { ImageConfig } from './facts.js';
import { ArchiveError, type ArchiveContents } from './archive-reader.js';
import type { LayerContents } from './layer-reader.js';

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
  if (Array.isArray(manifest)) return (manifest as LegacyManifestEntry[]).map((m) => fromLegacyEntry(archive, m));
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
  if (!entry.Config || !Array.isArray(entry.Layers)) throw new ArchiveError('manifest.json entry without Config or Layers');
  const config = jsonAt(archive, entry.Config) as ConfigDocument;
  const digest = /([0-9a-f]{64})(?:\.json)?$/.exec(entry.Config)?.[1];
  return {
    id: digest ? `sha256:${digest}` : entry.Config,
    repoTags: entry.RepoTags ?? [],
    config,
    layers: entry.Layers.map((p) => layerAt(archive, p)),
    layerPaths: entry.Layers.map((p) => resolveAlias(archive, p)),
  };
}

function fromOciIndex(archive: ArchiveContents, index: OciManifestOrIndex): ArchivedImage[] {
  const out: ArchivedImage[] = [];
  for (const descriptor of index.manifests ?? []) {
    // BuildKit attestations (in-toto blobs under an image-like manifest) are not images.
    if (descriptor.annotations?.['vnd.docker.reference.type']) continue;
    const doc = blob(archive, descriptor.digest) as OciManifestOrIndex;
    if (Array.isArray(doc.manifests)) {
      // A nested index (multi-platform, or attestations): take the image manifests with a config.
      for (const inner of fromOciIndex(archive, doc)) out.push(withTags(inner, descriptor));
      continue;
    }
    if (!doc.config?.digest || !Array.isArray(doc.layers)) continue; // attestation or other artefact
    const config = blob(archive, doc.config.digest) as ConfigDocument;
    if (!config.rootfs) continue;
    out.push(
      withTags(
        {
          id: doc.config.digest,
          repoTags: [],
          config,
          layers: doc.layers.map((l) => layerAt(archive, blobPath(l.digest))),
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
  let p = path.replace(/^\.?\/+/, '');
  for (let hops = 0; hops < 16 && archive.aliases.has(p); hops++) p = archive.aliases.get(p)!;
  return p;
}
