// Layer compression, told by magic bytes rather than media types or names:
// legacy `docker save` layers are plain tar, OCI blobs gzip or zstd.
import zlib from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import { Decompress as ZstdDecompress } from 'fzstd';

export type Compression = 'none' | 'gzip' | 'zstd';

export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/** True when the bytes look like the start of a tar archive (ustar magic, an old-style header checksum, or an empty tar). */
export function looksLikeTar(head: Buffer): boolean {
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return true;
  if (head.length < 512) return false;
  // An empty tar (Docker's empty layer, sha256:5f70bf18…) is only its end-of-archive zero blocks.
  if (head.subarray(0, 512).every((b) => b === 0)) return true;
  // v7 tar: no magic; verify the header checksum instead.
  const stored = parseInt(head.toString('latin1', 148, 156).replace(/\0.*$/s, '').trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 8 * 32;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += head[i];
  return sum === stored;
}

type NativeZstd = (options?: object) => Transform;

/** zlib's native zstd (Node ≥ 22.15 / 23.8) when present; fzstd, pure JS, on Node 20. */
export function createDecompressor(kind: Compression): Transform | null {
  if (kind === 'gzip') return zlib.createGunzip({ chunkSize: 128 * 1024 });
  if (kind === 'zstd') {
    const native = (zlib as unknown as { createZstdDecompress?: NativeZstd }).createZstdDecompress;
    return native ? native() : new PureZstdDecompress();
  }
  return null;
}

class PureZstdDecompress extends Transform {
  private readonly decoder: ZstdDecompress;

  constructor() {
    super();
    this.decoder = new ZstdDecompress((chunk) => {
      // Copy: fzstd may reuse its window buffer for later output.
      this.push(Buffer.from(chunk));
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      callback();
    } catch (err) {
      callback(asError(err, 'corrupt zstd stream'));
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      callback();
    } catch (err) {
      callback(asError(err, 'truncated zstd stream'));
    }
  }
}

function asError(err: unknown, what: string): Error {
  return new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
}
