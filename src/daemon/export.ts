// The image export (`GET /images/{id}/get`) as a stream, with an idle limit
// (guarded-stream.ts); failures are turned into one-line DaemonErrors on it.
import type { Readable } from 'node:stream';
import type { DaemonContext } from './inspect.js';
import { TimeoutError, daemonError, withTimeout } from './errors.js';
import { guardStream } from './guarded-stream.js';

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
  return guardStream(ctx, body, `the export of ${id}`, silence);
}
