// The `go-buildinfo` scanner: the modules a Go executable was built from, read
// from the build info the Go toolchain embeds (format: go-buildinfo-format.ts).
// Emits the main module, every dependency (replacements applied) and the Go
// standard library as `stdlib` at the toolchain's version (vulnerability
// databases file Go runtime advisories under `stdlib`), type `golang`, origin
// `binary`.
//
// Which files: the layer reader only gives a path and a size, and a Go binary
// can be named anything and live anywhere, so wants() takes every file of at
// least 512 KiB (a Go hello-world is ~1.5 MiB) except shared libraries
// (`*.so*`). The price of the wide net is one chunk per large non-ELF file
// (rejected at the first 4 bytes) and an indexOf pass over large non-Go ELF
// files (GB/s); the layer is decompressed anyway.
//
// Memory: the binary is never held. While searching, only the last 13 bytes of
// the previous chunk are kept (the magic may straddle two chunks); from the
// magic on, bytes are kept until the build info parses (a few KiB), then the
// read stops. Pre-1.18 binaries (pointer format) yield nothing.
import type { FileScanner, ScanStream } from '../../image/file-scanner.js';
import { packageHit, type ScanHitBody } from '../package-record.js';
import { BUILDINFO_MAGIC, parseBuildInfo, type GoBuildInfo } from './go-buildinfo-format.js';

/** Smallest file looked at. */
export const GO_MIN_BYTES = 512 * 1024;
/** Longest build-info string accepted (a module list of thousands of deps is ~200 KiB). */
const MAX_STRING = 1024 * 1024;
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const OVERLAP = BUILDINFO_MAGIC.length - 1;
const EMPTY = Buffer.alloc(0);

/** Searches a stream for the build info; see the header for what it keeps. */
export class GoBuildInfoStream implements ScanStream {
  private head: Buffer | undefined = EMPTY; // until the ELF check is done
  private tail = EMPTY;
  private collected: Buffer | undefined;
  private info: GoBuildInfo | undefined;
  private done = false;

  constructor(private readonly path: string) {}

  write(chunk: Buffer): boolean {
    if (this.done) return false;
    if (this.head) {
      const head = this.head.length ? Buffer.concat([this.head, chunk]) : chunk;
      if (head.length < ELF.length) {
        this.head = head;
        return true;
      }
      this.head = undefined;
      if (!head.subarray(0, ELF.length).equals(ELF)) return this.stop(); // not an ELF executable
      chunk = head;
    }
    if (this.collected) {
      this.collected = Buffer.concat([this.collected, chunk]);
      return this.tryParse();
    }
    return this.search(chunk);
  }

  end(): ScanHitBody[] {
    this.done = true;
    return this.info ? buildInfoHits(this.path, this.info) : [];
  }

  private stop(): false {
    this.done = true;
    this.collected = undefined;
    this.tail = EMPTY;
    return false;
  }

  private search(chunk: Buffer): boolean {
    if (this.tail.length > 0) {
      // A magic that starts in the tail ends in the chunk's first 13 bytes.
      const seam = Buffer.concat([this.tail, chunk.subarray(0, OVERLAP)]);
      const at = seam.indexOf(BUILDINFO_MAGIC);
      if (at >= 0) return this.collect(Buffer.concat([this.tail.subarray(at), chunk]));
    }
    const at = chunk.indexOf(BUILDINFO_MAGIC);
    if (at >= 0) return this.collect(chunk.subarray(at));
    this.tail =
      chunk.length >= OVERLAP ? Buffer.from(chunk.subarray(chunk.length - OVERLAP)) : Buffer.concat([this.tail, chunk]).subarray(-OVERLAP);
    return true;
  }

  private collect(fromMagic: Buffer): boolean {
    this.tail = EMPTY;
    this.collected = fromMagic;
    return this.tryParse();
  }

  private tryParse(): boolean {
    const bytes = this.collected!;
    const result = parseBuildInfo(bytes, MAX_STRING);
    if (result === 'more' && bytes.length <= 2 * MAX_STRING + 64) return true;
    if (result === 'pointer-format') return this.stop();
    if (typeof result === 'object') {
      this.info = result.info;
      return this.stop();
    }
    // Not build info (the magic as a literal in some code): search on after it.
    this.collected = undefined;
    return this.search(bytes.subarray(1));
  }
}

/** The hits for one binary's build info. */
export function buildInfoHits(path: string, info: GoBuildInfo): ScanHitBody[] {
  const hits: ScanHitBody[] = [];
  const add = (name: string, version: string) => hits.push(packageHit(path, { type: 'golang', name, version, origin: 'binary' }));
  if (info.main) add(info.main.path, info.main.version);
  for (const d of info.deps) add(d.path, d.version);
  // `go1.21.5`, `go1.20.12 X:boringcrypto`; a `devel …` toolchain has no release version.
  if (info.goVersion.startsWith('go')) add('stdlib', info.goVersion.slice(2).split(' ')[0]!);
  return hits;
}

/** Cheap: a size check for most entries, then one lastIndexOf and one indexOf. */
export function wantsGoBinary(path: string, size: number): boolean {
  return size >= GO_MIN_BYTES && path.indexOf('.so', path.lastIndexOf('/')) < 0;
}

export const goBuildinfoScanner: FileScanner = {
  id: 'go-buildinfo',
  version: 1,
  maxBytes: 0, // unused: `open` streams every wanted file
  wants: wantsGoBinary,
  scan: () => [],
  open: (path) => new GoBuildInfoStream(path),
};
