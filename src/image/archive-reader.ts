// Reads an image archive (the daemon's export or a `docker save` file) in one
// pass: the outer tar is walked once, each layer parsed as it streams by, and
// only small JSON documents (manifest, index, config) are kept whole.
// Layers arrive in archive order, not stack order, and manifest.json may come
// last, so layers are kept by archive path and ordered afterwards (layout.ts).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { layerSink, prepareScanners, type ContentRequest, type LayerContents } from './layer-reader.js';
import { TarParser, type EntrySink } from './tar-parser.js';
import { Gate, feed } from './feeding.js';
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
  const gate = new Gate();
  let stopped = false;
  let stop: () => void = () => {};
  const stopping = new Promise<void>((resolve) => (stop = resolve));
  // An entry's failure ends the reading at once (its bytes may be holding the gate).
  let fail: (err: unknown) => void = () => {};
  let failed: { err: unknown } | undefined;
  const failing = new Promise<never>((_resolve, reject) => (fail = reject));
  failing.catch(() => {}); // raced below; a failure after the race was settled (stopped early) is nobody's
  // Each entry that is read (JSON, layers) settles when its bytes are in and parsed.
  const handled: Array<Promise<void>> = [];
  const parser = new TarParser((header) => {
    const name = imagePath(header.name).slice(1);
    if (header.type === 'symlink' && header.linkname) {
      archive.aliases.set(name, resolveArchiveLink(name, header.linkname));
      return undefined;
    }
    if (header.type === 'link' && header.linkname) {
      archive.aliases.set(name, imagePath(header.linkname).slice(1));
      return undefined;
    }
    if (header.type !== 'file' && header.type !== 'contiguous-file') return undefined;
    if (isMetadataNoise(name)) return undefined;
    const entry = new PendingEntry(gate);
    const reading = handleEntry(archive, name, header.size, entry, request, gate, options).then(() => {
      if (until && untilMet(archive, until)) {
        stopped = true;
        stop();
      }
    });
    reading.catch((err: unknown) => {
      stopped = true; // no more bytes wanted
      failed ??= { err };
      fail(err);
    });
    handled.push(reading);
    return entry;
  });
  const take = (chunk: Buffer) => {
    archive.bytes += chunk.length;
    onProgress?.(archive.bytes);
    parser.write(chunk);
  };
  try {
    const feeding = feed(source, { take, gate, stopped: () => stopped });
    // An archive without its end-of-archive blocks ends as soon as its last entry's bytes are in.
    const all = feeding.then(async () => {
      if (stopped) return;
      parser.end();
      await Promise.all(handled);
    });
    all.catch(() => {}); // raced below, then awaited
    await Promise.race([all, stopping, failing]);
    if (failed) throw failed.err; // whichever of the race settled first
    if (stopped) {
      archive.stoppedEarly = true;
      if (source instanceof Readable) source.destroy(); // the daemon stops sending
      return archive;
    }
    await all;
  } catch (err) {
    if (source instanceof Readable) source.destroy();
    // Failures of the source (the daemon) already say what happened.
    if (err instanceof Error && 'exitCode' in err) throw err;
    throw new ArchiveError(describeArchiveFailure(err));
  }
  return archive;
}

/**
 * An outer entry whose reader is decided after its header: by a cache lookup
 * (a known layer is not parsed) and by its first bytes (JSON or a layer). Its
 * bytes wait here until then; past a few chunks' worth they hold the gate.
 */
class PendingEntry implements EntrySink {
  private queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private target: EntrySink | undefined;
  private holding = false;
  private attached: () => void = () => {};
  private headWanted: { bytes: number; resolve(head: Buffer): void } | undefined;

  constructor(private readonly gate: Gate) {}

  data(chunk: Buffer): void {
    if (this.target) return this.target.data(chunk);
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.headWanted && this.queued >= this.headWanted.bytes) this.giveHead();
    if (!this.holding && this.queued > PENDING_BYTES) {
      this.holding = true;
      this.gate.hold(new Promise<void>((resolve) => (this.attached = resolve)));
    }
  }

  end(): void {
    if (this.target) return this.target.end();
    this.ended = true;
    if (this.headWanted) this.giveHead();
  }

  /** The first `bytes` bytes (fewer when the entry is shorter), once they are in. */
  head(bytes: number): Promise<Buffer> {
    return new Promise((resolve) => {
      this.headWanted = { bytes, resolve };
      if (this.queued >= bytes || this.ended) this.giveHead();
    });
  }

  /** From now on the bytes go to `target`, those that waited first. */
  attach(target: EntrySink): void {
    const queue = this.queue;
    this.queue = [];
    this.target = target;
    for (const chunk of queue) target.data(chunk);
    if (this.ended) target.end();
    this.attached();
  }

  private giveHead(): void {
    const wanted = this.headWanted!;
    this.headWanted = undefined;
    const all = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue);
    wanted.resolve(all.subarray(0, wanted.bytes));
  }
}

/** Bytes an undecided entry holds before the archive's reading waits for it. */
const PENDING_BYTES = 1 << 20;

const DROP: EntrySink = { data() {}, end() {} };

async function handleEntry(
  archive: ArchiveContents,
  name: string,
  size: number,
  entry: PendingEntry,
  request: ContentRequest,
  gate: Gate,
  { known, aliasOf, until }: ReadArchiveOptions = {},
): Promise<void> {
  const named = layerNameOf(name);
  if (known && named) {
    // Named by its diffID (uncompressed blobs, Podman), or by a name an earlier export mapped to one
    // (a legacy v1 ID, a compressed blob's digest).
    const lookup = knownLayer(named, known, aliasOf);
    gate.hold(lookup);
    const layer = await lookup;
    if (layer) {
      archive.layers.set(name, layer);
      return entry.attach(DROP);
    }
  }

  const head = await entry.head(512);
  // A legacy layer of unknown diffID, read to meet `until`: its bytes are hashed on the way (docker save writes them uncompressed).
  const v1Layer = until && named?.kind === 'v1' ? named.hex : undefined;
  const hash = v1Layer ? createHash('sha256') : undefined;
  const hashing = (sink: EntrySink): EntrySink => (hash ? { data: (c) => (hash.update(c), sink.data(c)), end: () => sink.end() } : sink);
  const firstByte = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (firstByte === 0x7b /* { */ || firstByte === 0x5b /* [ */) {
    if (size > MAX_JSON_BYTES) return entry.attach(DROP);
    const json = jsonSink(name);
    entry.attach(hashing(json.sink));
    archive.json.set(name, await json.value);
    return;
  }
  const compression = sniffCompression(head);
  if (compression !== 'none' || looksLikeTar(head)) {
    const preparing = prepareScanners(request);
    gate.hold(preparing);
    await preparing;
    const reading = layerSink(request, compression, gate);
    entry.attach(hashing(reading.sink));
    const layer = await reading.contents;
    archive.layers.set(name, layer);
    const diffId = hash ? `sha256:${hash.digest('hex')}` : named?.kind === 'digest' ? `sha256:${named.hex}` : undefined;
    if (diffId && archive.byDiffId) archive.byDiffId.set(diffId, layer);
    if (diffId && v1Layer) archive.v1DiffIds?.set(v1Layer, diffId);
    return;
  }
  // Anything else (VERSION files, attestations in other encodings) is not needed.
  entry.attach(DROP);
}

/** The cached layer an archive name stands for, if the cache knows it. */
async function knownLayer(
  named: { hex: string; kind: 'digest' | 'v1' },
  known: NonNullable<ReadArchiveOptions['known']>,
  aliasOf: ReadArchiveOptions['aliasOf'],
): Promise<LayerContents | undefined> {
  const layer = named.kind === 'digest' ? await known(`sha256:${named.hex}`) : undefined;
  if (layer) return layer;
  const aliased = aliasOf ? await aliasOf(named.hex) : undefined;
  return aliased ? known(aliased) : undefined;
}

/** A JSON document collected whole, parsed at its end. */
function jsonSink(name: string): { sink: EntrySink; value: Promise<unknown> } {
  const chunks: Buffer[] = [];
  let settle: { resolve(v: unknown): void; reject(e: unknown): void } | undefined;
  const value = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
  const sink: EntrySink = {
    data: (chunk) => void chunks.push(chunk),
    end: () => {
      try {
        settle!.resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        settle!.reject(new ArchiveError(`${name} in the archive is not valid JSON`));
      }
    },
  };
  return { sink, value };
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

function isMetadataNoise(name: string): boolean {
  // Legacy v1 `<id>/json` and `<id>/VERSION`: superseded by the config and manifest.
  return /^[0-9a-f]{64}\/(json|VERSION)$/.test(name) || name === 'repositories' || name === 'oci-layout';
}

function resolveArchiveLink(name: string, target: string): string {
  if (target.startsWith('/')) return imagePath(target).slice(1);
  const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
  return imagePath((dir ? dir + '/' : '') + target).slice(1);
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
