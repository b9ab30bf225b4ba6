// Rules that must look inside many files (secrets, keys) cannot name them in
// advance, and what they find must survive a later layer deleting the file
// (the deleted layer still ships). So they bring a scanner: the layer reader
// hands it each wanted file of each layer, one file at a time, as it streams
// by, and keeps only the hits. Nothing else is buffered, and the hits are
// cached per layer with the scanner's id and version.

/** What a scanner reports about one file of one layer. */
export interface ScanHit {
  /** The scanner's id (filled in by the reader). */
  scanner: string;
  /** What was found, in the scanner's own words: `aws-access-key`, `private-key`, … */
  kind: string;
  /** Absolute image path of the file. */
  path: string;
  /** 1-based line within the file, for text. */
  line?: number;
  /** A masked excerpt that is safe to print (never the whole secret). */
  excerpt?: string;
  /** Structured findings (a package's name and version, an OS release): flat strings, cached as they are. */
  data?: Record<string, string>;
}

/** A hit located in the image: the layer (bottom = 0) whose tar holds the file. */
export interface LayerScanHit extends ScanHit {
  layerIndex: number;
}

export interface FileScanner {
  /** Stable name; with `version` it keys cached results. */
  id: string;
  /** Bump when what `scan` reports for the same bytes changes. */
  version: number;
  /** Files larger than this are passed to `scan` with `bytes` undefined (name-only). */
  maxBytes: number;
  /** Decided from the path and size alone, before any byte is read. */
  wants(path: string, size: number): boolean;
  /**
   * Optional early look at the first bytes (at least 512 or the whole file):
   * false stops reading the file (e.g. a binary), and `scan` is not called.
   */
  sniff?(head: Buffer, path: string): boolean;
  /** The file's bytes (undefined when it exceeded `maxBytes`); returns the hits without `scanner`. */
  scan(path: string, bytes: Buffer | undefined): Array<Omit<ScanHit, 'scanner'>>;
  /**
   * Optional: read a wanted file chunk by chunk instead of whole (Go binaries,
   * Java archives: too big to hold). When present, `open` replaces `sniff`,
   * `maxBytes` and `scan` for that file; undefined declines the file.
   */
  open?(path: string, size: number): ScanStream | undefined;
  /**
   * Optional: asynchronous set-up the synchronous methods rely on (sql.js
   * compiles its WebAssembly), awaited before a layer is read with this
   * scanner; a run that reads no layer never pays it. Must be idempotent.
   */
  prepare?(): Promise<void>;
  /**
   * Optional: every entry of every layer (whiteouts too) by its header alone, with the name and
   * link target exactly as the tar wrote them, before the name becomes an image path (which
   * clamps `../` at the root): for what names themselves say. Returns the hits without `scanner`.
   */
  entry?(header: EntryHeader): Array<Omit<ScanHit, 'scanner'>>;
}

/** What `FileScanner.entry` sees of a layer tar entry. */
export interface EntryHeader {
  /** The name as written in the tar (`./etc/x`, `../../etc/x`, `/etc/x`). */
  name: string;
  /** The image path it lands at (`/etc/x`). */
  path: string;
  /** The tar entry type (`file`, `symlink`, `link`, `directory`, …). */
  type: string;
  /** Symlink or hardlink target as written, when the entry has one. */
  linkname?: string;
}

/** One file being read by a streaming scanner, in order, without holding it. */
export interface ScanStream {
  /** Next chunk of the file; false when the scanner has seen enough (the rest is skipped). */
  write(chunk: Buffer): boolean;
  /** The file ended (or the scanner stopped it): the hits without `scanner`. */
  end(): Array<Omit<ScanHit, 'scanner'>>;
}

/** `id@version` of each scanner, sorted: what a cached layer was scanned with. */
export function scannerKeys(scanners: readonly FileScanner[]): string[] {
  return [...new Set(scanners.map((s) => `${s.id}@${s.version}`))].sort();
}
