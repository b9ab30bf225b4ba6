// Reads an image archive (the daemon's export or a `docker save` file) in one
// pass: the outer tar is walked once, each layer parsed as it streams by, and
// only small JSON documents (manifest, index, config) are kept whole.
// Layers arrive in archive order, not stack order, and manifest.json may come
// last, so layers are kept by archive path and ordered afterwards (layout.ts).
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
}

export class ArchiveError extends Error {}

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
   * The diffID a legacy `<v1 ID>/layer.tar` holds, when an earlier export
   * said (the layer cache's aliases): such layers are then asked of `known` too.
   */
  aliasOf?: (v1Id: string) => Promise<string | undefined>;
}

export async function readArchive(
  source: AsyncIterable<Buffer>,
  request: ContentRequest,
  onProgress?: ArchiveProgress,
  options: ReadArchiveOptions = {},
): Promise<ArchiveContents> {
  const archive: ArchiveContents = { layers: new Map(), aliases: new Map(), json: new Map(), bytes: 0 };
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.on('entry', (header, stream, next) => {
    const name = imagePath(header.name).slice(1);
    handleEntry(archive, name, header, stream, request, options).then(
      () => next(),
      (err: unknown) => {
        // The extractor first: destroying the entry first would destroy it with a bare
        // "stream destroyed", which emits no 'error', so `done` would never settle.
        extract.destroy(err instanceof Error ? err : new Error(String(err)));
        stream.destroy();
      },
    );
  });
  const feeding = feedTar(source, extract, (n) => {
    archive.bytes += n;
    onProgress?.(archive.bytes);
  });
  try {
    await Promise.all([done, feeding]);
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
  { known, aliasOf }: ReadArchiveOptions = {},
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
  if (known) {
    const digest = /^(?:blobs\/sha256\/([0-9a-f]{64})|([0-9a-f]{64})\.tar)$/.exec(name);
    const v1 = aliasOf && !digest ? /^([0-9a-f]{64})\/layer\.tar$/.exec(name) : null;
    const diffId = digest ? `sha256:${digest[1] ?? digest[2]}` : v1 ? await aliasOf?.(v1[1]) : undefined;
    const layer = diffId ? await known(diffId) : undefined;
    if (layer) {
      archive.layers.set(name, layer);
      return drain(stream);
    }
  }

  const { head, rest } = await peek(stream as AsyncIterable<Buffer>, 512);
  const firstByte = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (firstByte === 0x7b /* { */ || firstByte === 0x5b /* [ */) {
    if ((header.size ?? 0) > MAX_JSON_BYTES) return drainIterable(rest);
    archive.json.set(name, await readJson(rest, name));
    return;
  }
  if (sniffCompression(head) !== 'none' || looksLikeTar(head)) {
    archive.layers.set(name, await readLayer(rest, request));
    return;
  }
  // Anything else (VERSION files, attestations in other encodings) is not needed.
  return drainIterable(rest);
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
  if (/incorrect header check|invalid (block|stored|distance)|unexpected end of file|zstd/i.test(message)) {
    return `a layer's compressed data is corrupt (${message})`;
  }
  return `the image archive could not be read (${message})`;
}
