// GET /system/df: per image, its size, what it shares with other images and
// how many containers use it, which `docker system df` bases "reclaimable" on.
import { daemonError, withTimeout } from './errors.js';
import type { DaemonContext } from './inspect.js';

export interface ImageUsage {
  size: number;
  /** Bytes of layers this image shares with others (-1 when the engine did not compute it). */
  sharedSize: number;
  /** Containers (running or stopped) created from it (-1 when unknown). */
  containers: number;
}

interface RawDiskUsage {
  Images?: Array<{ Id: string; Size?: number; SharedSize?: number; Containers?: number }> | null;
}

export async function imageUsage(ctx: DaemonContext): Promise<Map<string, ImageUsage>> {
  let raw: RawDiskUsage;
  try {
    raw = (await withTimeout(ctx.docker.df() as Promise<RawDiskUsage>, ctx.timeoutMs, 'the disk usage')) ?? {};
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { what: 'the disk usage' });
  }
  const usage = new Map<string, ImageUsage>();
  for (const i of raw.Images ?? []) {
    usage.set(i.Id, { size: i.Size ?? 0, sharedSize: i.SharedSize ?? -1, containers: i.Containers ?? -1 });
  }
  return usage;
}
