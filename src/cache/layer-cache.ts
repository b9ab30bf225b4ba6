// Per-layer facts cached by diffID, so that layers shared by many images are
// read once: `${DSP_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/docker-security-policy}`
//   layers/v1/<hex>   one layer's LayerContents (entries, whiteouts, opaque
//                     dirs, bytes, compression, captured contents)
//   configs/v1/<hex>  one image's config document (its history with
//                     `empty_layer`, which the daemon's /history lacks), so a
//                     fully cached image is judged on exactly what its export
//                     would have given
// Both are content-addressed (a diffID is the digest of the layer's tar, an
// image ID the digest of its config): an entry is never stale, only absent.
//
// File: 8-byte magic, u32 header length, header JSON (format and reader
// versions, key, what contents were captured), then the body as gzip'd JSON
// with entries as tuples and paths front-coded (shared prefix length with the
// previous entry + the rest). A lookup reads only the header to decide; the
// body is read from the same open descriptor, so a concurrent prune (unlink)
// cannot take it away midway.
//
// Concurrency without locks: writers write a private temp file in the same
// directory and rename it over the key (atomic on POSIX), so a reader opens
// either a whole old file or a whole new one; two writers of one key write the
// same facts (same content address) and the last rename wins. A file that does
// not parse is a miss and is removed (only if it is still the file that was
// read). Pruning unlinks whole files, tolerates ENOENT, and an unlinked file
// stays readable through descriptors already open.
//
// Nothing here ever fails a check: every error is a miss or a skipped write.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, lstat, unlink, utimes, writeFile, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FileType } from '../image/facts.js';
import type { ContentRequest, LayerContents, LayerEntry } from '../image/layer-reader.js';
import { LAYER_READER_VERSION } from '../image/layer-reader-version.js';
import type { ConfigDocument } from '../image/layout.js';
import type { Compression } from '../image/compression.js';
import { scannerKeys, type ScanHit } from '../image/file-scanner.js';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** Bump when the file layout or body encoding changes (it names the directory too). */
export const CACHE_FORMAT = 1;
export const DEFAULT_MAX_MB = 512;

const LAYER_MAGIC = Buffer.from('DSPLAYER', 'latin1');
const CONFIG_MAGIC = Buffer.from('DSPCONFG', 'latin1');
const ALIAS_MAGIC = Buffer.from('DSPALIAS', 'latin1');
const RESULT_MAGIC = Buffer.from('DSPRESLT', 'latin1');
const RENDERED_MAGIC = Buffer.from('DSPRENDR', 'latin1');
const OUTLINES_MAGIC = Buffer.from('DSPOUTLN', 'latin1');
const PREFIX_BYTES = LAYER_MAGIC.length + 4;
/** Headers hold the requested paths: a few KB at most; more means a broken file. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
/** Temp files older than this were left by a process that died mid-write. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const GZIP_LEVEL = 6;

const TYPE_CODES: FileType[] = ['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo', 'other'];
const TYPE_CODE = new Map<FileType, number>(TYPE_CODES.map((t, i) => [t, i]));
const COMPRESSIONS: Compression[] = ['none', 'gzip', 'zstd'];

interface LayerHeader {
  format: number;
  reader: number;
  diffId: string;
  /** The content request's paths when the layer was read, sorted. */
  requested: string[];
  /** The request's size cap when the layer was read. */
  maxBytes: number;
  /** `id@version` of the scanners the layer's files went through (absent in older entries: none). */
  scanners?: string[];
  bytes: number;
  compression: Compression;
}

/** [prefix length shared with the previous path, rest of the path, type code, mode, uid, gid, size, link target?] */
type EntryTuple = [number, string, number, number, number, number, number] | [number, string, number, number, number, number, number, string];

interface LayerBody {
  e: EntryTuple[];
  w: string[];
  o: string[];
  /** Captured contents: [path, base64]. */
  c: Array<[string, string]>;
  /** Scanner hits: [path, scanner, kind, line or 0, excerpt or '', data?]. */
  h?: Array<[string, string, string, number, string] | [string, string, string, number, string, Record<string, string>]>;
}

export interface LayerCacheOptions {
  /** The cache root (layers/ and configs/ live below it). */
  dir: string;
  /** Size cap of everything under the root, in bytes. */
  maxBytes?: number;
}

export interface PruneResult {
  /** Bytes of cache files after pruning. */
  bytes: number;
  files: number;
  removed: number;
}

/** The cache root the environment names: DSP_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache + /docker-security-policy. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DSP_CACHE_DIR) return env.DSP_CACHE_DIR;
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'docker-security-policy');
}

/** The cap from DSP_CACHE_MAX_MB (default 512 MiB); 0 turns the cache off. */
export function cacheMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DSP_CACHE_MAX_MB?.trim();
  const mb = raw ? Number(raw) : NaN;
  return (Number.isFinite(mb) && mb >= 0 ? mb : DEFAULT_MAX_MB) * 1024 * 1024;
}

/** The layer cache the environment describes, or undefined when it is turned off. */
export function layerCacheFromEnv(env: NodeJS.ProcessEnv = process.env, enabled = true): LayerCache | undefined {
  if (!enabled) return undefined;
  const maxBytes = cacheMaxBytes(env);
  if (maxBytes <= 0) return undefined;
  return new LayerCache({ dir: cacheRoot(env), maxBytes });
}

/**
 * True when a cached layer read with `cached` serves `request`: it captured
 * every path the request wants, up to its cap, and went through every scanner
 * the request brings (same versions).
 */
export function servesRequest(cached: Pick<LayerHeader, 'requested' | 'maxBytes' | 'scanners'>, request: ContentRequest): boolean {
  if (!request.paths) return false;
  const scanned = new Set(cached.scanners ?? []);
  if (!scannerKeys(request.scanners ?? []).every((k) => scanned.has(k))) return false;
  if (request.paths.length === 0) return true;
  if (request.maxBytes > cached.maxBytes) return false;
  const have = new Set(cached.requested);
  return request.paths.every((p) => have.has(p));
}

export class LayerCache {
  readonly dir: string;
  readonly maxBytes: number;
  private readonly layerDir: string;
  private readonly configDir: string;
  private readonly aliasDir: string;
  private readonly resultDir: string;
  private readonly renderedDir: string;
  private readonly outlinesFile: string;

  constructor(options: LayerCacheOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_MB * 1024 * 1024;
    this.layerDir = join(this.dir, 'layers', `v${CACHE_FORMAT}`);
    this.configDir = join(this.dir, 'configs', `v${CACHE_FORMAT}`);
    this.aliasDir = join(this.dir, 'aliases', `v${CACHE_FORMAT}`);
    this.resultDir = join(this.dir, 'results', `v${CACHE_FORMAT}`);
    this.renderedDir = join(this.dir, 'rendered', `v${CACHE_FORMAT}`);
    this.outlinesFile = join(this.dir, 'outlines', `v${CACHE_FORMAT}`, 'outlines');
  }

  /** The base-image scan's outlines of local images by image ID (cache/outline-store.ts), or undefined. */
  async getOutlines(): Promise<Record<string, unknown> | undefined> {
    return readEntry(this.outlinesFile, OUTLINES_MAGIC, () => true, (body) => {
      const outlines = JSON.parse(body.toString('utf8')) as unknown;
      if (typeof outlines !== 'object' || outlines === null || Array.isArray(outlines)) throw new CorruptEntry();
      return outlines as Record<string, unknown>;
    });
  }

  /** Stores the outlines (all of them: the file is rewritten). Never throws; false when not stored. */
  async putOutlines(outlines: Record<string, unknown>): Promise<boolean> {
    return writeEntry(this.outlinesFile, OUTLINES_MAGIC, {}, JSON.stringify(outlines));
  }

  /** A report text rendered before, by the digest of everything it was rendered from (cli/table-memo.ts). */
  async getRendered(key: string): Promise<string | undefined> {
    const path = /^[0-9a-f]{64}$/.test(key) ? join(this.renderedDir, key) : undefined;
    return readEntry(path, RENDERED_MAGIC, (h) => h.key === key, (body) => body.toString('utf8'));
  }

  /** Stores a rendered report text. Never throws; false when not stored. */
  async putRendered(key: string, text: string): Promise<boolean> {
    return writeEntry(/^[0-9a-f]{64}$/.test(key) ? join(this.renderedDir, key) : undefined, RENDERED_MAGIC, { key }, text);
  }

  /**
   * The last check result stored for an image in a slot (a way of checking),
   * with the key of everything it was computed from (cli/result-key.ts); the
   * latest wins. The caller compares keys: a different key is a miss.
   */
  async getResult(imageId: string, slot: string): Promise<{ slot: string; key: string; result: unknown } | undefined> {
    return readEntry(
      this.resultPath(imageId, slot),
      RESULT_MAGIC,
      (h) => h.imageId === imageId && h.slot === slot && typeof h.key === 'string',
      (body, h) => ({ slot, key: h.key as string, result: JSON.parse(body.toString('utf8')) as unknown }),
    );
  }

  /** Stores an image's check result in its slot under `key`. Never throws; false when not stored. */
  async putResult(imageId: string, slot: string, key: string, result: unknown): Promise<boolean> {
    return writeEntry(this.resultPath(imageId, slot), RESULT_MAGIC, { imageId, slot, key }, JSON.stringify(result));
  }

  private resultPath(imageId: string, slot: string): string | undefined {
    const hex = hexOf(imageId);
    return hex && /^[0-9a-f]{16,}$/.test(slot) ? join(this.resultDir, `${hex}-${slot.slice(0, 16)}`) : undefined;
  }

  /**
   * The diffID behind a layer's name in an export: a legacy `docker save`
   * layer directory (a v1 ID) or a compressed blob's digest (the containerd
   * image store). Below an image's top layer, the engine derives v1 IDs from
   * the layer chain alone, so images sharing a base share these names across
   * exports: with the alias, their layers are taken from the cache instead of
   * parsed again. (The header field keeps its first name, `v1Id`.)
   */
  async aliasOf(name: string): Promise<string | undefined> {
    const path = /^[0-9a-f]{64}$/.test(name) ? join(this.aliasDir, name) : undefined;
    return readEntry(path, ALIAS_MAGIC, (h) => h.v1Id === name && hexOf(String(h.diffId)) !== undefined, (_body, h) => h.diffId as string);
  }

  /** Records which diffID a layer name of a daemon export (a v1 ID, a compressed blob's digest) holds; never from archive files. */
  async putAlias(name: string, diffId: string): Promise<boolean> {
    const path = /^[0-9a-f]{64}$/.test(name) && hexOf(diffId) ? join(this.aliasDir, name) : undefined;
    return writeEntry(path, ALIAS_MAGIC, { v1Id: name, diffId });
  }

  /** Where the layer with this diffID is (or would be) cached. */
  layerPath(diffId: string): string | undefined {
    const hex = hexOf(diffId);
    return hex ? join(this.layerDir, hex) : undefined;
  }

  configPath(imageId: string): string | undefined {
    const hex = hexOf(imageId);
    return hex ? join(this.configDir, hex) : undefined;
  }

  /** One layer's contents as `request` would have read them, or undefined (a miss). */
  async get(diffId: string, request: ContentRequest): Promise<LayerContents | undefined> {
    const probe = await this.probe(diffId, request);
    return probe ? probe.load() : undefined;
  }

  /** Every layer, bottom to top, or undefined when any one is missing or does not serve the request. */
  async getAll(diffIds: string[], request: ContentRequest): Promise<LayerContents[] | undefined> {
    return (await this.lookup(diffIds, request)).layers;
  }

  /**
   * The image's layers when every one is cached and serves the request (bottom
   * to top), and which diffIDs are missing otherwise. Decides on headers
   * first: a miss loads no body.
   */
  async lookup(diffIds: string[], request: ContentRequest): Promise<{ layers?: LayerContents[]; missing: Set<string> }> {
    const unique = [...new Set(diffIds)];
    if (!request.paths) return { missing: new Set(unique) };
    const probes = await Promise.all(unique.map((d) => this.probe(d, request)));
    const missing = new Set(unique.filter((_, i) => probes[i] === undefined));
    if (missing.size > 0) {
      await Promise.all(probes.map((p) => p?.close()));
      return { missing };
    }
    const loaded = await Promise.all(probes.map((p) => p!.load()));
    unique.forEach((d, i) => {
      if (loaded[i] === undefined) missing.add(d);
    });
    if (missing.size > 0) return { missing };
    const byId = new Map(unique.map((d, i) => [d, loaded[i]!]));
    return { layers: diffIds.map((d) => byId.get(d)!), missing };
  }

  /** Stores a layer read with `request` (its paths must be a fixed list). Never throws; false when not stored. */
  async put(diffId: string, layer: LayerContents, request: ContentRequest): Promise<boolean> {
    const path = this.layerPath(diffId);
    if (!path || !request.paths) return false;
    try {
      const header: LayerHeader = {
        format: CACHE_FORMAT,
        reader: LAYER_READER_VERSION,
        diffId,
        requested: [...new Set(request.paths)].sort(),
        maxBytes: request.maxBytes,
        scanners: scannerKeys(request.scanners ?? []),
        bytes: layer.bytes,
        compression: layer.compression,
      };
      const body = await gzip(Buffer.from(JSON.stringify(encodeLayer(layer)), 'utf8'), { level: GZIP_LEVEL });
      await writeAtomically(path, LAYER_MAGIC, header, body);
      return true;
    } catch {
      return false;
    }
  }

  /** An image's config document by image ID, or undefined. */
  async getConfig(imageId: string): Promise<ConfigDocument | undefined> {
    return readEntry(this.configPath(imageId), CONFIG_MAGIC, (h) => h.imageId === imageId, (body) => {
      const config = JSON.parse(body.toString('utf8')) as unknown;
      if (!isConfigDocument(config)) throw new CorruptEntry();
      return config;
    });
  }

  async putConfig(imageId: string, config: ConfigDocument): Promise<boolean> {
    return writeEntry(this.configPath(imageId), CONFIG_MAGIC, { imageId }, JSON.stringify(config));
  }

  /**
   * Keeps the cache under its cap: removes the least recently used files
   * (oldest mtime; hits touch it) across every format version, and temp files
   * left by dead writers. Safe to run in several processes at once.
   */
  async prune(): Promise<PruneResult> {
    const files: Array<{ path: string; size: number; mtimeMs: number }> = [];
    const now = Date.now();
    for (const kind of ['layers', 'configs', 'aliases', 'results', 'rendered', 'outlines']) {
      for (const version of await listDir(join(this.dir, kind))) {
        const dir = join(this.dir, kind, version);
        for (const name of await listDir(dir)) {
          const path = join(dir, name);
          const st = await lstat(path).catch(() => undefined);
          if (!st || !st.isFile()) continue;
          if (name.startsWith('.')) {
            // A writer's temp file: young ones are being written.
            if (now - st.mtimeMs > STALE_TEMP_MS) await removeQuietly(path);
            continue;
          }
          files.push({ path, size: st.size, mtimeMs: st.mtimeMs });
        }
      }
    }
    let total = files.reduce((n, f) => n + f.size, 0);
    let removed = 0;
    if (total > this.maxBytes) {
      files.sort((a, b) => a.mtimeMs - b.mtimeMs);
      for (const f of files) {
        if (total <= this.maxBytes) break;
        await removeQuietly(f.path);
        total -= f.size;
        removed++;
      }
    }
    return { bytes: total, files: files.length - removed, removed };
  }

  /** Opens a layer entry and decides from its header whether it serves the request. */
  private async probe(diffId: string, request: ContentRequest): Promise<LayerProbe | undefined> {
    const path = this.layerPath(diffId);
    if (!path || !request.paths) return undefined;
    const file = await openFramed(path, LAYER_MAGIC);
    if (!file) return undefined;
    const header = file.header as Partial<LayerHeader>;
    if (header.format !== CACHE_FORMAT || header.reader !== LAYER_READER_VERSION) {
      // Another release's entry under this name: not ours to read (a store replaces it).
      await file.close();
      return undefined;
    }
    if (!isLayerHeader(header) || header.diffId !== diffId) {
      await file.discard();
      await file.close();
      return undefined;
    }
    if (!servesRequest(header, request)) {
      await file.close();
      return undefined;
    }
    return {
      close: () => file.close(),
      load: () => decoded(file, path, async () => decodeLayer(JSON.parse((await gunzip(await file.body())).toString('utf8')) as unknown, header, request)),
    };
  }
}

interface LayerProbe {
  /** The layer, or undefined when the body is corrupt (the file is then removed). Closes the file. */
  load(): Promise<LayerContents | undefined>;
  close(): Promise<void>;
}

class CorruptEntry extends Error {}

interface FramedFile {
  header: unknown;
  /** The rest of the file (the gzip'd body). */
  body(): Promise<Buffer>;
  /** Removes the file, if the name still points at the file that was read. */
  discard(): Promise<void>;
  close(): Promise<void>;
}

/** Opens a cache file and reads its header; undefined when absent or corrupt (corrupt files are removed). */
async function openFramed(path: string, magic: Buffer): Promise<FramedFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => {});
  };
  const discard = async () => {
    try {
      const [mine, current] = await Promise.all([handle.stat(), lstat(path)]);
      if (mine.ino === current.ino && mine.dev === current.dev) await unlink(path);
    } catch {
      // gone already, or replaced: nothing to remove
    }
  };
  try {
    const size = (await handle.stat()).size;
    const first = await readAt(handle, 0, Math.min(size, 64 * 1024));
    if (first.length < PREFIX_BYTES || !first.subarray(0, magic.length).equals(magic)) throw new CorruptEntry();
    const headerLength = first.readUInt32BE(magic.length);
    if (headerLength > MAX_HEADER_BYTES || PREFIX_BYTES + headerLength > size) throw new CorruptEntry();
    const headerBytes =
      PREFIX_BYTES + headerLength <= first.length
        ? first.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)
        : await readAt(handle, PREFIX_BYTES, headerLength);
    const header = JSON.parse(headerBytes.toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null) throw new CorruptEntry();
    const bodyStart = PREFIX_BYTES + headerLength;
    return {
      header,
      body: async () => {
        const body = await readAt(handle, bodyStart, size - bodyStart);
        if (body.length !== size - bodyStart) throw new CorruptEntry();
        return body;
      },
      discard,
      close,
    };
  } catch {
    await discard();
    await close();
    return undefined;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let have = 0;
  while (have < length) {
    const { bytesRead } = await handle.read(buffer, have, length - have, position + have);
    if (bytesRead === 0) break;
    have += bytesRead;
  }
  return buffer.subarray(0, have);
}

/**
 * A small entry (a config, an alias, a result, a rendered text): what `read`
 * makes of its gunzip'd body when the header is this format's and `accepts`
 * it; undefined for a miss. A damaged or foreign entry is removed (a throw in
 * `read` counts as damage); a hit is touched, for the LRU trim.
 */
async function readEntry<T>(
  path: string | undefined,
  magic: Buffer,
  accepts: (header: Record<string, unknown>) => boolean,
  read: (body: Buffer, header: Record<string, unknown>) => T,
): Promise<T | undefined> {
  const file = path ? await openFramed(path, magic) : undefined;
  if (!file) return undefined;
  return decoded(file, path!, async () => {
    const header = file.header as Record<string, unknown>;
    if (header.format !== CACHE_FORMAT || !accepts(header)) throw new CorruptEntry();
    const raw = await file.body();
    return read(raw.length > 0 ? await gunzip(raw) : raw, header);
  });
}

/**
 * What `decode` makes of an open entry, which is then touched (for the LRU
 * trim); a throw means damage, and the entry is removed. Closes the file.
 */
async function decoded<T>(file: FramedFile, path: string, decode: () => Promise<T>): Promise<T | undefined> {
  try {
    const value = await decode();
    await touch(path);
    return value;
  } catch {
    await file.discard();
    return undefined;
  } finally {
    await file.close();
  }
}

/** Writes a small entry: this format's header plus `fields`, and `text` gzip'd. Never throws; false when not stored. */
async function writeEntry(path: string | undefined, magic: Buffer, fields: object, text?: string): Promise<boolean> {
  if (!path) return false;
  try {
    const body = text === undefined ? Buffer.alloc(0) : await gzip(Buffer.from(text, 'utf8'));
    await writeAtomically(path, magic, { format: CACHE_FORMAT, ...fields }, body);
    return true;
  } catch {
    return false;
  }
}

/** Writes a private temp file next to `path`, then renames it over `path`. */
async function writeAtomically(path: string, magic: Buffer, header: object, body: Buffer): Promise<void> {
  const dir = path.slice(0, path.lastIndexOf('/'));
  await mkdir(dir, { recursive: true });
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  const name = path.slice(dir.length + 1);
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, Buffer.concat([magic, length, headerBytes, body]), { flag: 'wx', mode: 0o644 });
    await rename(temp, path);
  } catch (err) {
    await removeQuietly(temp);
    throw err;
  }
}

async function touch(path: string): Promise<void> {
  const now = new Date();
  await utimes(path, now, now).catch(() => {});
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => {});
}

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

function hexOf(digest: string): string | undefined {
  return /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
}

export function encodeLayer(layer: LayerContents): LayerBody {
  const e: EntryTuple[] = [];
  let previous = '';
  for (const entry of layer.entries) {
    const path = entry.path;
    const max = Math.min(previous.length, path.length);
    let shared = 0;
    while (shared < max && previous.charCodeAt(shared) === path.charCodeAt(shared)) shared++;
    // Keep surrogate pairs whole.
    if (shared > 0 && shared < path.length && isLowSurrogate(path.charCodeAt(shared))) shared--;
    const tuple: EntryTuple = [shared, path.slice(shared), TYPE_CODE.get(entry.type) ?? 7, entry.mode, entry.uid, entry.gid, entry.size];
    if (entry.linkTarget !== undefined) tuple.push(entry.linkTarget);
    e.push(tuple);
    previous = path;
  }
  return {
    e,
    w: layer.whiteouts,
    o: layer.opaqueDirs,
    c: [...layer.contents].map(([p, b]) => [p, b.toString('base64')]),
    h: layer.hits.map((h) => (h.data ? [h.path, h.scanner, h.kind, h.line ?? 0, h.excerpt ?? '', h.data] : [h.path, h.scanner, h.kind, h.line ?? 0, h.excerpt ?? ''])),
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Rebuilds a layer; contents are narrowed to what `request` would have captured. Throws on a malformed body. */
export function decodeLayer(raw: unknown, header: Pick<LayerHeader, 'bytes' | 'compression'>, request: ContentRequest): LayerContents {
  const body = raw as Partial<LayerBody> | null;
  if (!body || !Array.isArray(body.e) || !isStringArray(body.w) || !isStringArray(body.o) || !Array.isArray(body.c)) {
    throw new CorruptEntry();
  }
  const entries: LayerEntry[] = new Array<LayerEntry>(body.e.length);
  let previous = '';
  for (let i = 0; i < body.e.length; i++) {
    const t = body.e[i] as unknown[];
    if (!Array.isArray(t) || t.length < 7 || typeof t[0] !== 'number' || typeof t[1] !== 'string' || t[0] > previous.length) {
      throw new CorruptEntry();
    }
    const path = t[0] === 0 ? (t[1] as string) : previous.slice(0, t[0] as number) + (t[1] as string);
    const type = TYPE_CODES[t[2] as number];
    if (type === undefined || typeof t[3] !== 'number' || typeof t[4] !== 'number' || typeof t[5] !== 'number' || typeof t[6] !== 'number') {
      throw new CorruptEntry();
    }
    const entry: LayerEntry = { path, type, mode: t[3], uid: t[4], gid: t[5], size: t[6] };
    if (t.length > 7) {
      if (typeof t[7] !== 'string') throw new CorruptEntry();
      entry.linkTarget = t[7];
    }
    entries[i] = entry;
    previous = path;
  }
  const wanted = new Set(request.paths ?? []);
  const contents = new Map<string, Buffer>();
  for (const item of body.c) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || typeof item[1] !== 'string') throw new CorruptEntry();
    const bytes = Buffer.from(item[1], 'base64');
    if (wanted.has(item[0]) && bytes.length <= request.maxBytes) contents.set(item[0], bytes);
  }
  const scanners = new Set((request.scanners ?? []).map((s) => s.id));
  const hits: ScanHit[] = [];
  for (const item of body.h ?? []) {
    if (!Array.isArray(item) || (item.length !== 5 && item.length !== 6) || typeof item[0] !== 'string' || typeof item[1] !== 'string' || typeof item[2] !== 'string' || typeof item[3] !== 'number' || typeof item[4] !== 'string') {
      throw new CorruptEntry();
    }
    if (item.length === 6 && !isStringRecord(item[5])) throw new CorruptEntry();
    if (!scanners.has(item[1])) continue;
    const hit: ScanHit = { path: item[0], scanner: item[1], kind: item[2] };
    if (item[3] > 0) hit.line = item[3];
    if (item[4]) hit.excerpt = item[4];
    if (item.length === 6) hit.data = item[5] as Record<string, string>;
    hits.push(hit);
  }
  return { entries, whiteouts: body.w, opaqueDirs: body.o, contents, hits, bytes: header.bytes, compression: header.compression };
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isLayerHeader(h: Partial<LayerHeader>): h is LayerHeader {
  return (
    typeof h.diffId === 'string' &&
    isStringArray(h.requested) &&
    typeof h.maxBytes === 'number' &&
    (h.scanners === undefined || isStringArray(h.scanners)) &&
    typeof h.bytes === 'number' &&
    COMPRESSIONS.includes(h.compression as Compression)
  );
}

function isConfigDocument(v: unknown): v is ConfigDocument {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const rootfs = (v as ConfigDocument).rootfs;
  return rootfs === undefined || (typeof rootfs === 'object' && rootfs !== null);
}
