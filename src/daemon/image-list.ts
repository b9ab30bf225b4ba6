// The daemon calls `watch` needs besides inspect/export/events/list: whether an
// image still exists, and a liveness ping.
import { daemonError, NoSuchImageError, withTimeout } from './errors.js';
import type { DaemonContext } from './inspect.js';

/** False when the daemon says 404 for this image; throws on anything else that is not an answer. */
export async function imageExists(ctx: DaemonContext, id: string): Promise<boolean> {
  try {
    await withTimeout(ctx.docker.getImage(id).inspect(), ctx.timeoutMs, `inspect of ${id}`);
    return true;
  } catch (err) {
    const e = daemonError(err, ctx.endpoint, { image: id });
    if (e instanceof NoSuchImageError) return false;
    throw e;
  }
}

/** Resolves when the daemon answers GET /_ping within `ms`. */
export async function pingDaemon(ctx: DaemonContext, ms: number): Promise<void> {
  try {
    await withTimeout(ctx.docker.ping(), ms, 'a ping');
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { what: 'a ping' });
  }
}
