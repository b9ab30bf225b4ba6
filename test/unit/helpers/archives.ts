// Image archives built in memory for unit tests: layer tars, their
// compressions, and the outer archive in each layout a daemon (or Podman)
// writes. Nothing touches the disk or a daemon.
//
//   const l0 = await layerTar([dir('etc'), file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n')]);
//   const buf = await legacyArchive({ config: imageConfig([l0]), layers: [l0] });
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { imagesInArchive, type ArchivedImage, type ConfigDocument } from '../../../src/image/layout.js';
import type { FileFact, ImageConfig, ImageFacts } from '../../../src/image/facts.js';
import { readArchive, type ArchiveContents } from '../../../src/image/archive-reader.js';
import { NO_CONTENT, type ContentRequest, type LayerContents } from '../../../src/image/layer-reader.js';
import { buildFacts } from '../../../src/image/facts-builder.js';
import { UNKNOWN_BOUNDARY } from '../../../src/image/boundary.js';
import { mergeLayers } from '../../../src/image/merge.js';

// ---------------------------------------------------------------------------
// Layer entries

interface Owner {
  mode?: number;
  uid?: number;
  gid?: number;
}

export type EntrySpec =
  | ({ type: 'file'; path: string; content: Buffer } & Owner)
  | ({ type: 'dir'; path: string } & Owner)
  | ({ type: 'symlink'; path: string; target: string } & Owner)
  | ({ type: 'hardlink'; path: string; target: string } & Owner)
  | ({ type: 'char' | 'block' | 'fifo'; path: string } & Owner)
  /** `.wh.NAME` next to `path`: deletes `path` (and its subtree) from lower layers. */
  | { type: 'whiteout'; path: string }
  /** `.wh..wh..opq` inside `path`: hides the directory's lower-layer children. */
  | { type: 'opaque'; path: string };

/** A regular file. `path` is written into the tar as given (`etc/passwd`, `./etc/passwd`, …). */
export function file(path: string, content: string | Buffer = '', owner: Owner = {}): EntrySpec {
  return { type: 'file', path, content: typeof content === 'string' ? Buffer.from(content) : content, ...owner };
}

/** A directory; a trailing `/` is added to its tar name, as Docker writes it. */
export function dir(path: string, owner: Owner = {}): EntrySpec {
  return { type: 'dir', path, ...owner };
}

export function symlink(path: string, target: string, owner: Owner = {}): EntrySpec {
  return { type: 'symlink', path, target, ...owner };
}

/** A hard link; `target` is the tar name of the linked file (`bin/busybox`). */
export function hardlink(path: string, target: string, owner: Owner = {}): EntrySpec {
  return { type: 'hardlink', path, target, ...owner };
}

export function device(type: 'char' | 'block' | 'fifo', path: string, owner: Owner = {}): EntrySpec {
  return { type, path, ...owner };
}

export function whiteout(path: string): EntrySpec {
  return { type: 'whiteout', path };
}

export function opaque(dirPath: string): EntrySpec {
  return { type: 'opaque', path: dirPath };
}

const TAR_TYPES = {
  file: 'file',
  dir: 'directory',
  symlink: 'symlink',
  hardlink: 'link',
  char: 'character-device',
  block: 'block-device',
  fifo: 'fifo',
} as const;

const MTIME = new Date('2024-01-02T03:04:05Z');

function whiteoutName(path: string): string {
  const clean = path.replace(/\/+$/, '');
  const slash = clean.lastIndexOf('/');
  return slash < 0 ? `.wh.${clean}` : `${clean.slice(0, slash + 1)}.wh.${clean.slice(slash + 1)}`;
}

function opaqueName(dirPath: string): string {
  const clean = dirPath.replace(/\/+$/, '');
  return clean === '' || clean === '.' ? `${clean ? './' : ''}.wh..wh..opq` : `${clean}/.wh..wh..opq`;
}

/**
 * One layer tar (uncompressed). Long names go out as PAX headers (tar-stream
 * does that by itself for names that do not fit ustar).
 */
export async function layerTar(entries: EntrySpec[]): Promise<Buffer> {
  return packed((pack) => {
    for (const e of entries) {
      if (e.type === 'whiteout' || e.type === 'opaque') {
        const name = e.type === 'whiteout' ? whiteoutName(e.path) : opaqueName(e.path);
        pack.entry({ name, type: 'file', mode: 0o644, mtime: MTIME }, Buffer.alloc(0));
        continue;
      }
      const header: tar.Header = {
        name: e.type === 'dir' && !e.path.endsWith('/') ? e.path + '/' : e.path,
        type: TAR_TYPES[e.type],
        mode: e.mode ?? (e.type === 'dir' ? 0o755 : e.type === 'symlink' ? 0o777 : 0o644),
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        mtime: MTIME,
        size: 0,
        linkname: e.type === 'symlink' || e.type === 'hardlink' ? e.target : '',
        uname: '',
        gname: '',
        devmajor: 0,
        devminor: 0,
      };
      if (e.type === 'file') pack.entry(header, e.content);
      else pack.entry(header);
    }
  });
}

// ---------------------------------------------------------------------------
// Outer archive entries

export type ArchiveEntry =
  | { name: string; content: Buffer | string }
  | { name: string; dir: true }
  | { name: string; symlink: string }
  | { name: string; hardlink: string };

/** A tar of the given entries, in the given order. */
export async function tarOf(entries: ArchiveEntry[]): Promise<Buffer> {
  return packed((pack) => {
    for (const e of entries) {
      const base = { name: e.name, mtime: MTIME, uid: 0, gid: 0 };
      if ('content' in e) pack.entry({ ...base, type: 'file', mode: 0o644 }, typeof e.content === 'string' ? Buffer.from(e.content) : e.content);
      else if ('dir' in e) pack.entry({ ...base, name: e.name.endsWith('/') ? e.name : e.name + '/', type: 'directory', mode: 0o755 });
      else if ('symlink' in e) pack.entry({ ...base, type: 'symlink', mode: 0o777, linkname: e.symlink });
      else pack.entry({ ...base, type: 'link', mode: 0o644, linkname: e.hardlink });
    }
  });
}

async function packed(fill: (pack: tar.Pack) => void): Promise<Buffer> {
  const pack = tar.pack();
  fill(pack);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------
// Compression

export type LayerCompression = 'none' | 'gzip' | 'zstd' | 'zstd-native';

export function gzip(buf: Buffer): Buffer {
  return zlib.gzipSync(buf);
}

export interface ZstdFrameOptions {
  /** Largest block; the format caps blocks at 128 KiB (and at the window size). */
  blockSize?: number;
}

const ZSTD_MAGIC = 0xfd2fb528;
const ZSTD_MAX_BLOCK = 128 * 1024;

/**
 * A valid zstd frame made of RAW (stored) blocks: Node 20 has no zstd
 * compressor, but every decoder must accept these. Frame header: magic,
 * Frame_Header_Descriptor 0 (no content size, no single segment, no
 * checksum, no dictionary), Window_Descriptor 0x38 (2^17 = 128 KiB), then
 * blocks with 3-byte headers (bit 0 last, bits 1–2 type 0 = raw, bits 3–23 size).
 */
export function zstd(buf: Buffer, options: ZstdFrameOptions = {}): Buffer {
  const blockSize = Math.min(options.blockSize ?? ZSTD_MAX_BLOCK, ZSTD_MAX_BLOCK);
  if (!(blockSize > 0)) throw new Error('blockSize must be positive');
  const parts: Buffer[] = [];
  const header = Buffer.alloc(6);
  header.writeUInt32LE(ZSTD_MAGIC, 0);
  header[4] = 0x00;
  header[5] = 7 << 3;
  parts.push(header);
  let offset = 0;
  do {
    const size = Math.min(blockSize, buf.length - offset);
    const last = offset + size >= buf.length;
    const blockHeader = Buffer.alloc(3);
    blockHeader.writeUIntLE((size << 3) | (0 << 1) | (last ? 1 : 0), 0, 3);
    parts.push(blockHeader, buf.subarray(offset, offset + size));
    offset += size;
  } while (offset < buf.length);
  return Buffer.concat(parts);
}

type ZstdCompressSync = (buf: Buffer) => Buffer;

/** A really compressed zstd frame, from zlib's native zstd (Node ≥ 22.15); undefined without it. */
export function zstdNative(buf: Buffer): Buffer | undefined {
  const z = zlib as unknown as { createZstdCompress?: unknown; zstdCompressSync?: ZstdCompressSync };
  if (typeof z.createZstdCompress !== 'function' || typeof z.zstdCompressSync !== 'function') return undefined;
  return z.zstdCompressSync(buf);
}

export const HAVE_NATIVE_ZSTD = zstdNative(Buffer.from('x')) !== undefined;

export function compress(buf: Buffer, kind: LayerCompression): Buffer {
  switch (kind) {
    case 'none':
      return buf;
    case 'gzip':
      return gzip(buf);
    case 'zstd':
      return zstd(buf);
    case 'zstd-native': {
      const out = zstdNative(buf);
      if (!out) throw new Error('this Node has no native zstd compressor');
      return out;
    }
  }
}

// ---------------------------------------------------------------------------
// Digests and the image config

export function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

export function digestOf(buf: Buffer | string): string {
  return `sha256:${sha256(buf)}`;
}

/** The tar of an empty layer as Docker writes it: just the end-of-archive blocks. */
export const EMPTY_LAYER_TAR = Buffer.alloc(1024);

export interface HistorySpec {
  created_by: string;
  created?: string;
  empty_layer?: boolean;
  comment?: string;
}

/**
 * An OCI image config for these (uncompressed) layer tars: rootfs.diff_ids are
 * their sha256. Without `history`, one `RUN` step per layer plus a final
 * empty `CMD` step.
 */
/** The facts of an image `app:1` made of these read layers (no history, boundary unknown), as check builds them. */
export function factsOfLayers(layers: LayerContents[], reference?: string): ImageFacts {
  const id = 'sha256:' + 'cd'.repeat(32);
  return buildFacts({
    id,
    repoTags: ['app:1'],
    os: 'linux',
    config: {},
    history: [],
    diffIds: [],
    archived: { id, repoTags: ['app:1'], config: imageConfig([]), layers },
    boundary: UNKNOWN_BOUNDARY,
    ...(reference ? { reference } : {}),
  });
}

export function imageConfig(
  layers: Buffer[],
  options: { history?: HistorySpec[]; config?: ImageConfig; created?: string } = {},
): ConfigDocument {
  const created = options.created ?? '2024-01-02T03:04:05Z';
  const history = options.history ?? [
    ...layers.map((_, i) => ({ created, created_by: `/bin/sh -c echo layer ${i}` })),
    { created, created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true },
  ];
  return {
    architecture: 'amd64',
    os: 'linux',
    created,
    config: options.config ?? { Cmd: ['sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => digestOf(l)) },
    history: history.map((h) => ({ created: h.created ?? created, ...h })),
  };
}

/**
 * A layer as the builders take it: a bare uncompressed tar, or one with its
 * compression (and, to test damage, the exact bytes to store instead).
 */
export type LayerInput = Buffer | { tar: Buffer; compression: LayerCompression; blob?: Buffer };

function layerBytes(layer: LayerInput): { tar: Buffer; blob: Buffer; compression: LayerCompression } {
  if (Buffer.isBuffer(layer)) return { tar: layer, blob: layer, compression: 'none' };
  return { tar: layer.tar, blob: layer.blob ?? compress(layer.tar, layer.compression), compression: layer.compression };
}

function checkDiffIds(config: ConfigDocument, layers: Array<{ tar: Buffer }>): void {
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== layers.length) throw new Error(`config has ${diffIds.length} diff_ids for ${layers.length} layers`);
  layers.forEach((l, i) => {
    if (diffIds[i] !== digestOf(l.tar)) throw new Error(`diff_ids[${i}] is not the digest of layer ${i}`);
  });
}

const byName = (a: ArchiveEntry, b: ArchiveEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

// ---------------------------------------------------------------------------
// Legacy `docker save` (engine 20.10)

export interface LegacyArchiveOptions {
  config: ConfigDocument;
  layers: LayerInput[];
  repoTags?: string[];
  /** The 20.10 engine writes manifest.json after everything else (default true); false puts it first. */
  manifestLast?: boolean;
  /** A layer whose diffID was already written becomes a symlink `../<v1>/layer.tar` (default true, as the engine does). */
  duplicateLayerAsSymlink?: boolean;
  /** The v1 IDs of the layer directories, bottom to top (default: derived digests). */
  v1Ids?: string[];
}

export interface BuiltArchive {
  buffer: Buffer;
  /** `sha256:` + digest of the config = the image ID. */
  id: string;
  /** Archive paths of the layers as the manifest names them, bottom to top. */
  layerPaths: string[];
}

/**
 * The `docker save` layout of engine 20.10: `<v1>/VERSION`, `<v1>/json`,
 * `<v1>/layer.tar` per layer (v1 directories in sorted order, so archive
 * order is not stack order), `<config digest>.json`, `repositories`, and
 * `manifest.json` last.
 */
export async function legacyArchiveWithInfo(options: LegacyArchiveOptions): Promise<BuiltArchive> {
  const layers = options.layers.map(layerBytes);
  checkDiffIds(options.config, layers);
  const configJson = JSON.stringify(options.config);
  const configHex = sha256(configJson);
  const v1Ids = options.v1Ids ?? defaultV1Ids(options.config, layers.length);
  if (v1Ids.length !== layers.length) throw new Error('one v1 ID per layer');

  const entries: ArchiveEntry[] = [];
  const written = new Map<string, string>(); // diffID → v1 id whose layer.tar holds it
  const duplicates = options.duplicateLayerAsSymlink ?? true;
  layers.forEach((layer, i) => {
    const v1 = v1Ids[i];
    const diffId = digestOf(layer.tar);
    entries.push({ name: `${v1}/`, dir: true });
    entries.push({ name: `${v1}/VERSION`, content: '1.0' });
    const v1json: Record<string, unknown> = { id: v1, created: options.config.created, os: 'linux' };
    if (i > 0) v1json.parent = v1Ids[i - 1];
    if (i === layers.length - 1) v1json.config = options.config.config;
    entries.push({ name: `${v1}/json`, content: JSON.stringify(v1json) });
    const first = written.get(diffId);
    if (first !== undefined && duplicates) entries.push({ name: `${v1}/layer.tar`, symlink: `../${first}/layer.tar` });
    else {
      entries.push({ name: `${v1}/layer.tar`, content: layer.blob });
      written.set(diffId, v1);
    }
  });
  entries.push({ name: `${configHex}.json`, content: configJson });
  const repoTags = options.repoTags ?? ['app:1'];
  const repositories: Record<string, Record<string, string>> = {};
  for (const t of repoTags) {
    const at = t.lastIndexOf(':');
    (repositories[t.slice(0, at)] ??= {})[t.slice(at + 1)] = v1Ids[v1Ids.length - 1];
  }
  if (repoTags.length) entries.push({ name: 'repositories', content: JSON.stringify(repositories) });
  entries.sort(byName); // the engine tars its staging directory in lexical order

  const layerPaths = v1Ids.map((v1) => `${v1}/layer.tar`);
  const manifest = { name: 'manifest.json', content: JSON.stringify([{ Config: `${configHex}.json`, RepoTags: repoTags, Layers: layerPaths }]) };
  if (options.manifestLast ?? true) entries.push(manifest);
  else entries.unshift(manifest);
  return { buffer: await tarOf(entries), id: `sha256:${configHex}`, layerPaths };
}

export async function legacyArchive(options: LegacyArchiveOptions): Promise<Buffer> {
  return (await legacyArchiveWithInfo(options)).buffer;
}

function defaultV1Ids(config: ConfigDocument, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(sha256(`${ids[i - 1] ?? ''}|${config.rootfs?.diff_ids?.[i] ?? ''}|${i}`));
  return ids;
}

// ---------------------------------------------------------------------------
// OCI image layout (Docker ≥ 25, BuildKit's oci exporter)

export interface OciArchiveOptions {
  config: ConfigDocument;
  layers: LayerInput[];
  repoTags?: string[];
  /** index.json points at a nested image index (as the containerd image store writes) holding the manifest. */
  nestedIndex?: boolean;
  /** Add a BuildKit attestation manifest (in-toto layer, unknown/unknown platform) to the (nested) index. */
  attestation?: boolean;
  /** Also write Docker ≥ 25's manifest.json naming the blobs (default false: plain OCI). */
  dockerManifestJson?: boolean;
}

const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  'zstd-native': 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

/**
 * The OCI image layout in a tar: `blobs/sha256/<hex>` (layers, config,
 * manifest[, nested index, attestation]), `index.json`, `oci-layout`; with
 * `dockerManifestJson`, also Docker ≥ 25's `manifest.json` and `repositories`.
 * Entries in lexical order, as the engine tars its staging directory.
 */
export async function ociArchiveWithInfo(options: OciArchiveOptions): Promise<BuiltArchive> {
  const layers = options.layers.map(layerBytes);
  checkDiffIds(options.config, layers);
  const blobs = new Map<string, Buffer>();
  const put = (content: Buffer | string) => {
    const buf = typeof content === 'string' ? Buffer.from(content) : content;
    const hex = sha256(buf);
    blobs.set(hex, buf);
    return { digest: `sha256:${hex}`, size: buf.length };
  };

  const config = put(JSON.stringify(options.config));
  const layerDescriptors = layers.map((l) => ({ mediaType: MEDIA[l.compression], ...put(l.blob) }));
  const manifest = put(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.manifest, config: { mediaType: MEDIA.config, ...config }, layers: layerDescriptors }));
  const repoTags = options.repoTags ?? ['app:1'];
  const platform = { architecture: options.config.architecture ?? 'amd64', os: options.config.os ?? 'linux' };

  const imageDescriptors: object[] = [{ mediaType: MEDIA.manifest, ...manifest, platform }];
  if (options.attestation) {
    const statement = put(JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ name: '_', digest: { sha256: manifest.digest.slice(7) } }],
      predicate: { builder: { id: '' } },
    }));
    // As BuildKit writes it: the config is a valid image config whose diff_ids name the in-toto blobs.
    const attConfig = put(JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [statement.digest] } }));
    const attManifest = put(JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: { mediaType: MEDIA.config, ...attConfig },
      layers: [{ mediaType: 'application/vnd.in-toto+json', ...statement, annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } }],
    }));
    imageDescriptors.push({
      mediaType: MEDIA.manifest,
      ...attManifest,
      annotations: { 'vnd.docker.reference.digest': manifest.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
      platform: { architecture: 'unknown', os: 'unknown' },
    });
  }

  const tagAnnotations = (tag: string | undefined) =>
    tag ? { 'io.containerd.image.name': `docker.io/library/${tag}`, 'org.opencontainers.image.ref.name': tag.slice(tag.lastIndexOf(':') + 1) } : undefined;
  let topDescriptors: object[];
  if (options.nestedIndex) {
    const nested = put(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: imageDescriptors }));
    topDescriptors = (repoTags.length ? repoTags : [undefined]).map((tag) => ({ mediaType: MEDIA.index, ...nested, annotations: tagAnnotations(tag) }));
  } else {
    const [image, ...rest] = imageDescriptors;
    topDescriptors = [
      ...(repoTags.length ? repoTags : [undefined]).map((tag) => ({ ...image, annotations: tagAnnotations(tag) })),
      ...rest,
    ];
  }

  const entries: ArchiveEntry[] = [{ name: 'blobs/', dir: true }, { name: 'blobs/sha256/', dir: true }];
  for (const [hex, buf] of blobs) entries.push({ name: `blobs/sha256/${hex}`, content: buf });
  entries.push({ name: 'index.json', content: JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: topDescriptors }) });
  entries.push({ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' });
  const layerPaths = layerDescriptors.map((d) => `blobs/sha256/${d.digest.slice(7)}`);
  if (options.dockerManifestJson) {
    entries.push({ name: 'manifest.json', content: JSON.stringify([{ Config: `blobs/sha256/${config.digest.slice(7)}`, RepoTags: repoTags, Layers: layerPaths }]) });
    if (repoTags.length) entries.push({ name: 'repositories', content: JSON.stringify({}) });
  }
  entries.sort(byName);
  return { buffer: await tarOf(entries), id: config.digest, layerPaths };
}

export async function ociArchive(options: OciArchiveOptions): Promise<Buffer> {
  return (await ociArchiveWithInfo(options)).buffer;
}

// ---------------------------------------------------------------------------
// Podman (`podman save`, docker-archive format)

export interface PodmanArchiveOptions {
  config: ConfigDocument;
  layers: LayerInput[];
  repoTags?: string[];
}

/**
 * `podman save`'s docker-archive: layers as top-level `<diffid>.tar` (named in
 * manifest.json), `<config digest>.json`, and legacy `<id>/layer.tar`
 * symlinks to `../<diffid>.tar` with `<id>/json` and `<id>/VERSION`, then
 * `repositories` and `manifest.json`.
 */
export async function podmanArchiveWithInfo(options: PodmanArchiveOptions): Promise<BuiltArchive> {
  const layers = options.layers.map(layerBytes);
  checkDiffIds(options.config, layers);
  const configJson = JSON.stringify(options.config);
  const configHex = sha256(configJson);
  const entries: ArchiveEntry[] = [];
  const layerPaths: string[] = [];
  for (const layer of layers) {
    const name = `${sha256(layer.tar)}.tar`;
    if (!layerPaths.includes(name)) entries.push({ name, content: layer.blob });
    layerPaths.push(name);
  }
  entries.push({ name: `${configHex}.json`, content: configJson });
  const v1Ids = defaultV1Ids(options.config, layers.length);
  layers.forEach((_, i) => {
    const v1 = v1Ids[i];
    entries.push({ name: `${v1}/`, dir: true });
    entries.push({ name: `${v1}/layer.tar`, symlink: `../${layerPaths[i]}` });
    entries.push({ name: `${v1}/json`, content: JSON.stringify({ id: v1, parent: v1Ids[i - 1] }) });
    entries.push({ name: `${v1}/VERSION`, content: '1.0' });
  });
  const repoTags = options.repoTags ?? ['localhost/app:1'];
  entries.push({ name: 'repositories', content: JSON.stringify({}) });
  entries.push({ name: 'manifest.json', content: JSON.stringify([{ Config: `${configHex}.json`, RepoTags: repoTags, Layers: layerPaths }]) });
  return { buffer: await tarOf(entries), id: `sha256:${configHex}`, layerPaths };
}

export async function podmanArchive(options: PodmanArchiveOptions): Promise<Buffer> {
  return (await podmanArchiveWithInfo(options)).buffer;
}

// ---------------------------------------------------------------------------
// Feeding the readers

/** Every entry of a tar, in order (for rewriting built archives). */
export async function entriesOf(buf: Buffer): Promise<ArchiveEntry[]> {
  const extract = tar.extract();
  const out: ArchiveEntry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(Buffer.from(c as Uint8Array));
      if (h.type === 'directory') out.push({ name: h.name, dir: true });
      else if (h.type === 'symlink') out.push({ name: h.name, symlink: h.linkname ?? '' });
      else if (h.type === 'link') out.push({ name: h.name, hardlink: h.linkname ?? '' });
      else out.push({ name: h.name, content: Buffer.concat(chunks) });
    }
  })();
  extract.end(buf);
  await done;
  return out;
}

/** The archive re-packed with `edit` applied to its entry list. */
export async function rewriteArchive(buf: Buffer, edit: (entries: ArchiveEntry[]) => ArchiveEntry[]): Promise<Buffer> {
  return tarOf(edit(await entriesOf(buf)));
}

/** The buffer as a stream of chunks of the given size (odd sizes exercise every boundary). */
export async function* chunked(buf: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) {
    yield buf.subarray(i, Math.min(buf.length, i + size));
    if ((i / size) % 16 === 0) await Promise.resolve();
  }
}

/** Byte offsets of each entry's header in a tar, by name (the first 512-byte block of the entry, PAX headers included). */
export function tarOffsets(buf: Buffer): Map<string, { header: number; data: number; size: number }> {
  const out = new Map<string, { header: number; data: number; size: number }>();
  let offset = 0;
  let start = -1;
  let paxName: string | undefined;
  while (offset + 512 <= buf.length) {
    const block = buf.subarray(offset, offset + 512);
    if (block.every((b) => b === 0)) break;
    if (start < 0) start = offset;
    const rawName = block.toString('latin1', 0, 100).replace(/\0.*$/s, '');
    const prefix = block.toString('latin1', 345, 500).replace(/\0.*$/s, '');
    const size = parseInt(block.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(block[156]);
    const dataAt = offset + 512;
    const next = dataAt + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(buf.toString('utf8', dataAt, dataAt + size));
      paxName = m?.[1];
    } else {
      const name = paxName ?? (prefix ? `${prefix}/${rawName}` : rawName);
      out.set(name, { header: start, data: dataAt, size });
      paxName = undefined;
      start = -1;
    }
    offset = next;
  }
  return out;
}

/**
 * A layer of `count` empty files, generated as a stream without tar-stream
 * (fast, and never whole in memory): ustar headers only.
 */
export async function* manyFilesLayer(count: number, perChunk = 2048): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i += perChunk) {
    const n = Math.min(perChunk, count - i);
    const chunk = Buffer.alloc(n * 512);
    for (let k = 0; k < n; k++) writeUstarHeader(chunk, k * 512, `d${(i + k) % 100}/f${i + k}`);
    yield chunk;
  }
  yield Buffer.alloc(1024);
}

function writeUstarHeader(buf: Buffer, at: number, name: string): void {
  buf.write(name, at, 100, 'latin1');
  buf.write('0000644\0', at + 100, 'latin1');
  buf.write('0000000\0', at + 108, 'latin1');
  buf.write('0000000\0', at + 116, 'latin1');
  buf.write('00000000000\0', at + 124, 'latin1');
  buf.write('14543401225\0', at + 136, 'latin1');
  buf.write('        ', at + 148, 'latin1');
  buf[at + 156] = 0x30; // '0' regular file
  buf.write('ustar\0' + '00', at + 257, 'latin1');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += buf[at + i];
  buf.write(sum.toString(8).padStart(6, '0') + '\0 ', at + 148, 'latin1');
}

// ---------------------------------------------------------------------------
// Reading back

/** readArchive + imagesInArchive over the buffer, streamed in chunks. */
export async function readImages(
  buf: Buffer,
  request: ContentRequest = NO_CONTENT,
  chunkSize?: number,
): Promise<{ archive: ArchiveContents; images: ArchivedImage[] }> {
  const archive = await readArchive(chunked(buf, chunkSize), request);
  return { archive, images: imagesInArchive(archive) };
}

/** The merged files as plain, sorted records (deepEqual-friendly). */
export function mergedFiles(layers: ArchivedImage['layers']): FileFact[] {
  return sortedFacts(mergeLayers(layers).files.values());
}

export function sortedFacts(files: Iterable<FileFact>): FileFact[] {
  return [...files].map((f) => ({ ...f })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A content request for exact paths. */
export function wantPaths(paths: string[], maxBytes = 64 * 1024): ContentRequest {
  const set = new Set(paths);
  return { wants: (p) => set.has(p), maxBytes };
}
