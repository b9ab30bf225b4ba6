// Reads one layer tar (plain, gzip or zstd) as a stream and keeps only entry
// metadata, whiteouts and the few file contents that rules asked for.
import { Readable, finished } from 'node:stream';
import type { FileType } from './facts.js';
import { createDecompressor, sniffCompression, type Compression } from './compression.js';
import { imagePath, parentOf } from './paths.js';
import type { FileScanner, ScanHit, ScanStream } from './file-scanner.js';
import { TarParser, type EntrySink, type OnEntry } from './tar-parser.js';
import { Gate, feed } from './feeding.js';

export interface LayerEntry {
  path: string;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  linkTarget?: string;
}

export interface LayerContents {
  entries: LayerEntry[];
  /** Paths deleted from lower layers by `.wh.NAME` entries. */
  whiteouts: string[];
  /** Directories whose lower-layer children are hidden (`.wh..wh..opq`). */
  opaqueDirs: string[];
  /** Captured file contents, by image path. */
  contents: Map<string, Buffer>;
  /** What the request's scanners found in this layer's files, in tar order. */
  hits: ScanHit[];
  /** Uncompressed bytes of the layer tar. */
  bytes: number;
  compression: Compression;
}

export interface ContentRequest {
  /** True when the rule set wants this file's bytes. */
  wants(path: string): boolean;
  /** Files larger than this are not captured. */
  maxBytes: number;
  /**
   * Every path `wants` accepts, when it is a fixed list. Only such requests
   * can be answered from the layer cache (src/cache/layer-cache.ts): a cached
   * layer serves a request whose paths it captured.
   */
  paths?: string[];
  /** Scanners that look at many files' bytes as they stream by (see file-scanner.ts). */
  scanners?: FileScanner[];
}

export const NO_CONTENT: ContentRequest = { wants: () => false, maxBytes: 0, paths: [] };

export { LAYER_READER_VERSION } from './layer-reader-version.js';

/** Bytes a scanner's `sniff` sees before the file is read on. */
const SNIFF_BYTES = 512;
const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

const TYPES: Record<string, FileType> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
};

export class LayerFormatError extends Error {}

/** Reads a layer from a stream of its (possibly compressed) bytes. */
export async function readLayer(source: AsyncIterable<Buffer>, request: ContentRequest): Promise<LayerContents> {
  await prepareScanners(request);
  const { head, rest } = await peek(source, 4);
  return readWhole(rest, request, sniffCompression(head));
}

/**
 * Reads a tar known to be uncompressed (a container's export) straight from
 * its stream (no peek, which would iterate it and copy what it buffered).
 */
export async function readPlainTar(source: Readable, request: ContentRequest): Promise<LayerContents> {
  await prepareScanners(request);
  return readWhole(source, request, 'none');
}

/** A whole layer from its source, through a layer sink; the scanners are prepared. */
async function readWhole(source: AsyncIterable<Buffer>, request: ContentRequest, compression: Compression): Promise<LayerContents> {
  const gate = new Gate();
  const layer = layerSink(request, compression, gate);
  await feed(source, { take: (chunk) => layer.sink.data(chunk), gate });
  layer.sink.end();
  return layer.contents;
}

/** The scanners' asynchronous set-up, awaited before a layer's first byte (idempotent: paid by the first layer only). */
export function prepareScanners(request: ContentRequest): Promise<unknown> {
  return Promise.all((request.scanners ?? []).map((s) => s.prepare?.()));
}

/**
 * A layer read from bytes pushed into `sink` (by the archive reader, which
 * parses the outer tar the same way): a plain tar is parsed within each
 * push; a compressed one goes through its decompressor, whose backlog holds
 * `gate`. The scanners must be prepared (prepareScanners). A corrupt header
 * of a plain layer throws from `data`; any other failure rejects `contents`.
 */
export function layerSink(request: ContentRequest, compression: Compression, gate: Gate): { sink: EntrySink; contents: Promise<LayerContents> } {
  const result: LayerContents = {
    entries: [],
    whiteouts: [],
    opaqueDirs: [],
    contents: new Map(),
    hits: [],
    bytes: 0,
    compression,
  };
  // v7 headers (no ustar magic) too, as looksLikeTar accepts them; their checksums are still verified.
  const parser = new TarParser(entryReader(result, request), true);
  const parse = (chunk: Buffer) => {
    result.bytes += chunk.length;
    parser.write(chunk);
  };
  let settle: { resolve(r: LayerContents): void; reject(e: unknown): void } | undefined;
  const contents = new Promise<LayerContents>((resolve, reject) => (settle = { resolve, reject }));
  contents.catch(() => {}); // awaited by the caller, after the bytes are in
  // The layer's bytes are all in (or its decompressor failed): the tar must end there.
  const finish = (err?: unknown) => {
    if (err) return settle!.reject(err);
    try {
      parser.end();
      settle!.resolve(result);
    } catch (e) {
      settle!.reject(e);
    }
  };
  const decompressor = createDecompressor(compression);
  if (!decompressor) return { sink: { data: parse, end: () => finish() }, contents };
  decompressor.on('data', (chunk: Buffer) => {
    try {
      parse(chunk);
    } catch (err) {
      decompressor.destroy(err as Error);
    }
  });
  finished(decompressor, (err) => finish(err ?? undefined));
  const sink: EntrySink = {
    // A failed decompressor is destroyed: the rest of its bytes are dropped, and `contents` says why.
    data(chunk) {
      if (!decompressor.destroyed && !decompressor.write(chunk)) gate.hold(drained(decompressor));
    },
    end() {
      if (!decompressor.destroyed) decompressor.end();
    },
  };
  return { sink, contents };
}

/** What the layer reader does with each entry: records it, and reads the bytes a rule or scanner wants. */
function entryReader(result: LayerContents, request: ContentRequest): OnEntry {
  const scanners = request.scanners ?? [];
  const headerScanners = scanners.filter((s) => s.entry);
  return (header) => {
    const path = imagePath(header.name);
    for (const s of headerScanners) {
      addHits(result.hits, s, s.entry?.({ name: header.name, path, type: header.type ?? 'file', ...(header.linkname ? { linkname: header.linkname } : {}) }) ?? []);
    }
    const nameAt = path.lastIndexOf('/') + 1;
    if (path.startsWith(WHITEOUT_PREFIX, nameAt)) {
      const dir = parentOf(path);
      if (path.length - nameAt === OPAQUE_MARKER.length && path.endsWith(OPAQUE_MARKER)) result.opaqueDirs.push(dir);
      else result.whiteouts.push((dir === '/' ? '' : dir) + '/' + path.slice(nameAt + WHITEOUT_PREFIX.length));
      return undefined;
    }
    const type = TYPES[header.type ?? 'file'] ?? 'other';
    const size = header.size;
    const entry: LayerEntry = { path, type, mode: header.mode & 0o7777, uid: header.uid, gid: header.gid, size };
    if (header.linkname) entry.linkTarget = type === 'hardlink' ? imagePath(header.linkname) : header.linkname;
    result.entries.push(entry);
    const capture = type === 'file' && size <= request.maxBytes && request.wants(path);
    let readers = type === 'file' && scanners.length > 0 ? wanting(scanners, path, size) : NO_SCANNERS;
    // Streaming scanners read the file chunk by chunk; the rest get it whole.
    const streams: Array<{ scanner: FileScanner; stream: ScanStream }> = [];
    if (readers.length > 0) {
      for (const s of readers) {
        const stream = s.open?.(path, size);
        if (stream) streams.push({ scanner: s, stream });
      }
      readers = readers.filter((s) => !s.open);
      // Too big to read: the scanner judges by name alone.
      for (const s of readers) if (size > s.maxBytes) addHits(result.hits, s, s.scan(path, undefined));
      readers = readers.filter((s) => size <= s.maxBytes);
    }
    if (!capture && readers.length === 0 && streams.length === 0) return undefined;
    const chunks: Buffer[] = [];
    let have = 0;
    let buffering = capture || readers.length > 0;
    let open = streams;
    let sniffed = !readers.some((s) => s.sniff);
    const sniff = (head: Buffer) => {
      sniffed = true;
      readers = readers.filter((s) => !s.sniff || s.sniff(head, path));
    };
    const close = (done: Array<{ scanner: FileScanner; stream: ScanStream }>) => {
      for (const d of done) addHits(result.hits, d.scanner, d.stream.end());
    };
    return {
      data(chunk) {
        if (open.length > 0) {
          const stopped = open.filter((o) => !o.stream.write(chunk));
          if (stopped.length > 0) {
            close(stopped);
            open = open.filter((o) => !stopped.includes(o));
          }
        }
        if (!buffering) return; // every whole-file reader let go (a binary): drop the rest
        chunks.push(chunk);
        have += chunk.length;
        if (!sniffed && have >= SNIFF_BYTES) {
          sniff(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
          if (!capture && readers.length === 0) {
            chunks.length = 0;
            buffering = false;
          }
        }
      },
      end() {
        close(open);
        open = [];
        if (!buffering) return;
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        if (!sniffed) sniff(bytes);
        // A single chunk is a view of the (larger) chunk read: a kept file gets its own copy.
        if (capture) result.contents.set(path, chunks.length === 1 ? Buffer.from(bytes) : bytes);
        for (const s of readers) addHits(result.hits, s, s.scan(path, bytes));
      },
    };
  };
}

const NO_SCANNERS: FileScanner[] = [];

/** The scanners that want this file; most files are wanted by none, and then nothing is allocated. */
function wanting(scanners: FileScanner[], path: string, size: number): FileScanner[] {
  let found: FileScanner[] | undefined;
  for (const s of scanners) if (s.wants(path, size)) (found ??= []).push(s);
  return found ?? NO_SCANNERS;
}

function addHits(into: ScanHit[], scanner: FileScanner, hits: Array<Omit<ScanHit, 'scanner'>>): void {
  for (const h of hits) into.push({ ...h, scanner: scanner.id });
}

/** Waits for a writable to drain; false when it closed (failed) instead. */
export function drained(writable: NodeJS.EventEmitter): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => { writable.off('close', onClose); resolve(true); };
    const onClose = () => { writable.off('drain', onDrain); resolve(false); };
    writable.once('drain', onDrain);
    writable.once('close', onClose);
  });
}

/** Reads at least `n` bytes (or all there is) and returns them with an iterable of the whole stream. */
export async function peek(
  source: AsyncIterable<Buffer>,
  n: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const r = await iterator.next();
    if (r.done) {
      ended = true;
      break;
    }
    first.push(r.value);
    have += r.value.length;
  }
  const head = Buffer.concat(first);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (ended) return;
    for (;;) {
      const r = await iterator.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, rest: rest() };
}
