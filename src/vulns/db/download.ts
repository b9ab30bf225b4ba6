// Downloading one file over HTTP(S) to disk, streamed, with byte progress, a
// stall timeout, and a check that the whole body arrived.
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface DownloadOptions {
  onBytes?: (bytes: number, total: number | undefined) => void;
  /** Give up after this long without a byte (default 60 s). */
  stallMs?: number;
}

/** Writes the body of `url` to `file`; returns its size. Throws a one-line reason. */
export async function download(url: string, file: string, options: DownloadOptions = {}): Promise<number> {
  const stallMs = options.stallMs ?? 60_000;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), stallMs);
  const kick = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), stallMs);
  };
  try {
    const res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${url}`);
    }
    // With a content-encoding, fetch decodes and content-length no longer counts what we see.
    const declared = res.headers.get('content-encoding') ? NaN : Number(res.headers.get('content-length') ?? NaN);
    const total = Number.isFinite(declared) ? declared : undefined;
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        kick();
        options.onBytes?.(bytes, total);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), counter, createWriteStream(file));
    } catch (err) {
      if (controller.signal.aborted) throw new Error(`no data for ${stallMs / 1000} s from ${url} after ${bytes} bytes`);
      throw new Error(`download cut short after ${bytes}${total !== undefined ? ` of ${total}` : ''} bytes (${describe(err)})`);
    }
    if (total !== undefined && bytes !== total) throw new Error(`download cut short after ${bytes} of ${total} bytes`);
    return bytes;
  } catch (err) {
    if (controller.signal.aborted && !(err instanceof Error && err.message.startsWith('no data'))) {
      throw new Error(`no answer for ${stallMs / 1000} s from ${url}`);
    }
    throw err instanceof Error && /^(HTTP|download|no data)/.test(err.message) ? err : new Error(`${describe(err)} (${url})`);
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message}: ${cause}` : err.message;
}
