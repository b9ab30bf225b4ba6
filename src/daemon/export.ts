// The image export (`GET /images/{id}/get`) as a stream, with an idle limit:
// the daemon may stage the whole export before the first byte, so the limit
// is on silence, not on the total time. The response body is returned as is
// (no extra copy); failures are turned into one-line DaemonErrors on it.
import type { Readable } from 'node:stream';
import type { DaemonContext } from './inspect.js';
import { DaemonError, TimeoutError, daemonError, withTimeout } from './errors.js';

export async function exportImage(ctx: DaemonContext, id: string): Promise<Readable> {
  const silence = `the Docker daemon sent nothing of the export of ${id} for ${ctx.timeoutMs / 1000} s; raise --timeout for very large images`;
  let body: Readable;
  try {
    // Until the headers arrive the daemon is staging: that wait is bounded too.
    body = (await withTimeout(ctx.docker.getImage(id).get(), ctx.timeoutMs, `the export of ${id}`)) as Readable;
  } catch (err) {
    if (err instanceof TimeoutError) throw new TimeoutError(silence);
    throw daemonError(err, ctx.endpoint, { image: id });
  }
  let timer: NodeJS.Timeout | undefined;
  // Runs per chunk: refresh() restarts the one timer instead of making a new one.
  let disarmed = false;
  const disarm = () => {
    disarmed = true;
    clearTimeout(timer);
  };
  const arm = () => {
    if (!(ctx.timeoutMs > 0) || disarmed) return;
    if (timer) timer.refresh();
    else timer = setTimeout(() => body.destroy(new TimeoutError(silence)), ctx.timeoutMs).unref();
  };
  arm();
  // Re-arm on each chunk without consuming: a 'data' listener would switch the
  // stream to flowing mode, so watch reads instead.
  const originalPush = body.push.bind(body);
  body.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk !== null) arm();
    return originalPush(chunk, encoding);
  };
  // The connection dropped mid-export (daemon stopped or killed): say so on the stream.
  let failed = false;
  const fail = () => {
    disarm();
    if (failed) return;
    failed = true;
    if (!body.destroyed) {
      const dropped = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      body.destroy(daemonError(dropped, ctx.endpoint, { what: `the export of ${id}` }));
    }
  };
  // Node destroys the response itself with a bare Error('aborted') when the
  // socket closes mid-body, before 'aborted' reaches us: translate that one.
  const originalDestroy = body.destroy.bind(body);
  body.destroy = (error?: Error) => {
    if (error && !(error instanceof DaemonError) && (error as { code?: string }).code === 'ECONNRESET') {
      failed = true;
      disarm();
      return originalDestroy(daemonError(error, ctx.endpoint, { what: `the export of ${id}` }));
    }
    return originalDestroy(error);
  };
  body.on('end', disarm);
  body.on('aborted', () => fail());
  body.on('close', () => {
    disarm();
    if (!body.readableEnded && !failed) fail();
  });
  return body;
}
