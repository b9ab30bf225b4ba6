// Reads an image archive (the daemon's export or a `docker save` file) in one
// pass: the outer tar is walked once, each layer parsed as it streams by, and
// only small JSON documents (manifest, index, config) are kept whole.
// Layers arrive in archive order, not stack order, and manifest.json may come
// last, so layers are kept by archive path and ordered afterwards (layout.ts).
import { createHash, type Hash } from 'node:crypto';
import tar from 'tar-stream';
import { feedTar, peek, readLayer, type ContentRequest, type LayerContents } from './layer-reader.js';
import { looksLikeTar, sniffCompression } from './compression.js';
import { imagePath } from './paths.js';

export interface ArchiveContents {
  /** Parsed layers by archive path (`<v1>/layer.tar`, `blobs/sha256/<hex>`, `<hex>.tar`). */
  layers: Map<string, LayerContents>;
  /** Symlinked archive entries (legacy duplicates, Podman's `<id>/layer.tar`) → target archive path. */
  aliases: Map<string, string>;
  /** Small JSON documents by archive path. */
  json: Map<string, unknown>;
  /** Total bytes of the outer archive. */
  bytes: number;
  /** Layers whose diffID is known from their name or was hashed as they streamed (ReadArchiveOptions.until). */
  byDiffId?: Map<string, LayerContents>;
  /** Legacy `<v1 ID>/layer.tar` directories whose layer was hashed: v1 ID → diffID. */
  v1DiffIds?: Map<string, string>;
  /** The reading stopped once `until` was met: the rest of the archive (and its manifest) was not read. */
  stoppedEarly?: boolean;
}

/**
 * The archive cannot be read: a user error (exit 2, one line), never an internal one. Names from
 * the archive can hold any byte: control characters are shown escaped, so the line stays one line
 * and no escape sequence of the archive's making reaches the terminal.
 */
export class ArchiveError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    // eslint-disable-next-line no-control-regex
    super(message.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  }
}

const MAX_JSON_BYTES = 16 * 1024 * 1024;

export interface ArchiveProgress {
  (bytesRead: number): void;
}

export interface ReadArchiveOptions {
  /**
   * A layer already known by its diffID (the layer cache), or undefined. Asked
   * for archive entries named by an uncompressed digest, which is the diffID:
   * OCI `blobs/sha256/<hex>` (Docker ≥ 25 writes uncompressed layers there)
   * and Podman's `<hex>.tar`. A hit skips parsing; the bytes are still drained.
   */
  known?: (diffId: string) => Promise<LayerContents | undefined>;
  /**
   * The diffID behind a layer's name in an export, when an earlier export
   * said (the layer cache's aliases): a legacy `<v1 ID>/layer.tar`, or a
   * compressed blob `blobs/sha256/<digest>` (the containerd image store).
   * Such layers are then asked of `known` too.
   */
  aliasOf?: (v1Id: string) => Promise<string | undefined>;
  /**
   * Stop reading once these layers (by diffID) and this image config (by
   * image ID) have been read: a rebuilt image whose other layers are cached
   * needs no more of its export. Layers of the legacy layout, named by v1 ID,
   * are hashed as they stream to learn their diffID. The daemon's export is
   * then closed; the manifest (written last) is never seen.
   */
  until?: { diffIds: Set<string>; configId: string };
}

export async function readArchive(
  source: AsyncIterable<Buffer>,
  request: ContentRequest,
  onProgress?: ArchiveProgress,
  options: ReadArchiveOptions = {},
): Promise<ArchiveContents> {
  const archive: ArchiveContents = { layers: new Map(), aliases: new Map(), json: new Map(), bytes: 0 };
  const { until } = options;
  if (until) {
    archive.byDiffId = new Map();
    archive.v1DiffIds = new Map();
  }
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  // An archive without its end-of-archive blocks finishes as soon as its last entry's bytes are in,
  // maybe before that entry was read: the read of the last entry is awaited too.
  let last: Promise<void> = Promise.resolve();
  extract.on('entry', (header, stream, next) => {
    const name = imagePath(header.name).slice(1);
    last = handleEntry(archive, name, header, stream, request, options).then(
      () => (until && untilMet(archive, until) ? stop() : next()),
      (err: unknown) => {
        // The extractor first: destroying the entry first would destroy it with a bare
        // "stream destroyed", which emits no 'error', so `done` would never settle.
        extract.destroy(err instanceof Error ? err : new Error(String(err)));
        stream.destroy();
        throw err;
      },
    );
    last.catch(() => {}); // reported through the extractor (or awaited below)
  });
  const feeding = feedTar(source, extract, (n) => {
    archive.bytes += n;
    onProgress?.(archive.bytes);
  });
  try {
    await Promise.race([Promise.all([done, feeding]), stopped]);
    if (until && untilMet(archive, until)) {
      archive.stoppedEarly = true;
      extract.destroy(); // closes the source: the daemon stops sending
      return archive;
    }
    await last;
  } catch (err) {
    // Failures of the source (the daemon) already say what happened.
    if (err instanceof Error && 'exitCode' in err) throw err;
    throw new ArchiveError(describeArchiveFailure(err));
  }
  return archive;
}

async function handleEntry(
  archive: ArchiveContents,
  name: string,
  header: tar.Header,
  stream: EntryStream,
  request: ContentRequest,
  { known, aliasOf, until }: ReadArchiveOptions = {},
): Promise<void> {
  if (header.type === 'symlink' && header.linkname) {
    archive.aliases.set(name, resolveArchiveLink(name, header.linkname));
    return drain(stream);
  }
  if (header.type === 'link' && header.linkname) {
    archive.aliases.set(name, imagePath(header.linkname).slice(1));
    return drain(stream);
  }
  if (header.type !== 'file' && header.type !== 'contiguous-file') return drain(stream);
  if (isMetadataNoise(name)) return drain(stream);
  const named = layerNameOf(name);
  if (known) {
    // Named by its diffID (uncompressed blobs, Podman), or by a name an earlier export mapped to one
    // (a legacy v1 ID, a compressed blob's digest).
    let layer = named?.kind === 'digest' ? await known(`sha256:${named.hex}`) : undefined;
    const aliased = !layer && named && aliasOf ? await aliasOf(named.hex) : undefined;
    if (aliased) layer = await known(aliased);
    if (layer) {
      archive.layers.set(name, layer);
      return drain(stream);
    }
  }

  const { head, rest: body } = await peek(stream as AsyncIterable<Buffer>, 512);
  // A legacy layer of unknown diffID, read to meet `until`: its bytes are hashed on the way (docker save writes them uncompressed).
  const v1Layer = until && named?.kind === 'v1' ? named.hex : undefined;
  const hash = v1Layer ? createHash('sha256') : undefined;
  const rest = hash ? hashed(body, hash) : body;
  const firstByte = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (firstByte === 0x7b /* { */ || firstByte === 0x5b /* [ */) {
    if ((header.size ?? 0) > MAX_JSON_BYTES) return drainIterable(rest);
    archive.json.set(name, await readJson(rest, name));
    return;
  }
  if (sniffCompression(head) !== 'none' || looksLikeTar(head)) {
    const layer = await readLayer(rest, request);
    archive.layers.set(name, layer);
    const diffId = hash ? `sha256:${hash.digest('hex')}` : named?.kind === 'digest' ? `sha256:${named.hex}` : undefined;
    if (diffId && archive.byDiffId) archive.byDiffId.set(diffId, layer);
    if (diffId && v1Layer) archive.v1DiffIds?.set(v1Layer, diffId);
    return;
  }
  // Anything else (VERSION files, attestations in other encodings) is not needed.
  return drainIterable(rest);
}

/**
 * How an archive path names a layer: by a digest (`blobs/sha256/<hex>`, the
 * diffID unless the blob is compressed; Podman's `<hex>.tar`) or by a legacy
 * v1 ID (`<hex>/layer.tar`); undefined for other paths.
 */
export function layerNameOf(path: string): { hex: string; kind: 'digest' | 'v1' } | undefined {
  const m = /^(?:blobs\/sha256\/([0-9a-f]{64})|([0-9a-f]{64})\.tar|([0-9a-f]{64})\/layer\.tar)$/.exec(path);
  if (!m) return undefined;
  return m[3] ? { hex: m[3], kind: 'v1' } : { hex: (m[1] ?? m[2])!, kind: 'digest' };
}

/** Every layer `until` names has been read, and the image's config. */
function untilMet(archive: ArchiveContents, until: { diffIds: Set<string>; configId: string }): boolean {
  const hex = until.configId.replace(/^sha256:/, '');
  if (!archive.json.has(`${hex}.json`) && !archive.json.has(`blobs/sha256/${hex}`)) return false;
  for (const d of until.diffIds) if (!archive.byDiffId?.has(d)) return false;
  return true;
}

/** The bytes of `source`, fed to `hash` as they pass (the whole stream is read by the layer reader). */
async function* hashed(source: AsyncIterable<Buffer>, hash: Hash): AsyncIterable<Buffer> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

function isMetadataNoise(name: string): boolean {
  // Legacy v1 `<id>/json` and `<id>/VERSION`: superseded by the config and manifest.
  return /^[0-9a-f]{64}\/(json|VERSION)$/.test(name) || name === 'repositories' || name === 'oci-layout';
}

function resolveArchiveLink(name: string, target: string): string {
  if (target.startsWith('/')) return imagePath(target).slice(1);
  const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
  return imagePath((dir ? dir + '/' : '') + target).slice(1);
}

async function readJson(source: AsyncIterable<Buffer>, name: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of source) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ArchiveError(`${name} in the archive is not valid JSON`);
  }
}

type EntryStream = TarSource;
type TarSource = tar.ExtractEvents['entry'][1];

function drain(stream: TarSource): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.resume();
  });
}

async function drainIterable(source: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of source) {
    // discard
  }
}

function describeArchiveFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ArchiveError) return message;
  if (/unexpected end|premature|aborted|ECONNRESET|socket hang up/i.test(message)) {
    return `the image archive is truncated (${message})`;
  }
  if (/header|checksum|invalid tar|unknown format/i.test(message)) return `the image archive is corrupt (${message})`;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || /incorrect header check|invalid (block|stored|distance)|unexpected end of file|zstd/i.test(message)) {
    return `a layer's compressed data is corrupt (${message})`;
  }
  return `the image archive could not be read (${message})`;
}
