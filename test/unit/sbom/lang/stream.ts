// Drives a scanner over one file without a layer: `open` streams in chunks of
// the given sizes (cycled), else `scan` with the bytes (within maxBytes).
import type { FileScanner, ScanHit } from '../../../../src/image/file-scanner.js';

export interface Fed {
  hits: Array<Omit<ScanHit, 'scanner'>>;
  /** Bytes handed to write() before it said "enough" (or all of them). */
  read: number;
  wanted: boolean;
}

export function feed(scanner: FileScanner, path: string, bytes: Buffer | string, chunkSizes: number[] = [64 * 1024]): Fed {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const wanted = scanner.wants(path, buf.length);
  if (!wanted) return { hits: [], read: 0, wanted };
  if (!scanner.open) return { hits: scanner.scan(path, buf.length <= scanner.maxBytes ? buf : undefined), read: buf.length, wanted };
  const stream = scanner.open(path, buf.length);
  if (!stream) return { hits: [], read: 0, wanted };
  let read = 0;
  for (let k = 0; read < buf.length; k++) {
    const size = chunkSizes[k % chunkSizes.length]!;
    const chunk = buf.subarray(read, read + size);
    read += chunk.length;
    if (!stream.write(chunk)) break;
  }
  return { hits: stream.end(), read, wanted };
}

/** The `data` of each hit (what the inventory reads). */
export function dataOf(fed: Fed): Array<Record<string, string> | undefined> {
  return fed.hits.map((h) => h.data);
}
