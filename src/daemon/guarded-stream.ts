// A streamed daemon answer (an image's or a container's export) with an idle
// limit and a one-line error when the connection drops. The daemon may stage
// an export before its first byte, so the limit is on silence, not on the
// total time. The body is returned as is (no extra copy).
import type { Readable } from 'node:stream';
import type { DaemonContext } from './inspect.js';
import { DaemonError, TimeoutError, daemonError } from './errors.js';

/** `what` names the stream in errors (`the export of sha256:…`); `silence` is the idle limit's message. */
export function guardStream(ctx: DaemonContext, body: Readable, what: string, silence: string): Readable {
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
      body.destroy(daemonError(dropped, ctx.endpoint, { what }));
    }
  };
  // Node destroys the response itself with a bare Error('aborted') when the
  // socket closes mid-body, before 'aborted' reaches us: translate that one.
  const originalDestroy = body.destroy.bind(body);
  body.destroy = (error?: Error) => {
    if (error && !(error instanceof DaemonError) && (error as { code?: string }).code === 'ECONNRESET') {
      failed = true;
      disarm();
      return originalDestroy(daemonError(error, ctx.endpoint, { what }));
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
