// The image export (`GET /images/{id}/get`) as a stream, with an idle limit:
// the daemon may stage the whole export before the first byte, so the limit
// is on silence, not on the total time.
import { PassThrough, type Readable } from 'node:stream';
import type { DaemonContext } from './inspect.js';
import { TimeoutError, daemonError } from './errors.js';

export async function exportImage(ctx: DaemonContext, id: string): Promise<Readable> {
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (!(ctx.timeoutMs > 0)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      out.destroy(new TimeoutError(`the Docker daemon sent nothing of the export of ${id} for ${ctx.timeoutMs / 1000} s; raise --timeout for very large images`));
    }, ctx.timeoutMs);
    timer.unref();
  };
  arm();
  let source: NodeJS.ReadableStream;
  try {
    source = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      out.once('error', reject);
      ctx.docker.getImage(id).get().then(resolve, reject);
    });
  } catch (err) {
    clearTimeout(timer);
    throw daemonError(err, ctx.endpoint, `image "${id}"`);
  }
  const body = source as Readable;
  body.on('data', (chunk: Buffer) => {
    arm();
    if (!out.write(chunk)) {
      body.pause();
      out.once('drain', () => body.resume());
    }
  });
  body.on('end', () => {
    clearTimeout(timer);
    out.end();
  });
  const fail = (err?: Error) => {
    clearTimeout(timer);
    if (!out.destroyed) out.destroy(daemonError(err ?? Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), ctx.endpoint, `the export of ${id}`));
  };
  body.on('error', fail);
  body.on('aborted', () => fail());
  body.on('close', () => {
    if (!body.readableEnded) fail();
  });
  out.on('close', () => {
    clearTimeout(timer);
    if (!body.readableEnded) body.destroy();
  });
  return out;
}
