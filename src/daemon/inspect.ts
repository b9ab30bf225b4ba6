// Inspect and history: the image config and build steps, without layers.
import type Docker from 'dockerode';
import type { ImageConfig } from '../image/facts.js';
import type { HistoryEntry } from '../image/history.js';
import { daemonError, NoSuchImageError, withTimeout } from './errors.js';

export interface DaemonImage {
  id: string;
  repoTags: string[];
  os: string;
  created: string;
  size: number;
  config: ImageConfig;
  diffIds: string[];
}

export interface DaemonContext {
  docker: Docker;
  /** How the endpoint is shown in errors. */
  endpoint: string;
  /** Per-call limit, in ms (0 = none). */
  timeoutMs: number;
}

/**
 * Whether a name can go into the daemon's URL paths as it is. Its router
 * answers a path it would clean (an empty, `.` or `..` segment: `/x`, `a//b`)
 * with a redirect, which docker-modem follows to a host named after the
 * path's first segment, and the process died on an unhandled 'error'. No
 * image reference or ID has such a segment.
 */
function routable(ref: string): boolean {
  return ref.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export async function inspectImage(ctx: DaemonContext, ref: string): Promise<DaemonImage> {
  if (!routable(ref)) throw new NoSuchImageError(`no such image: ${ref} (not an image name); see \`docker images\` for the images this daemon has`);
  try {
    const info = await withTimeout(ctx.docker.getImage(ref).inspect(), ctx.timeoutMs, `inspect of ${ref}`);
    return {
      id: info.Id,
      repoTags: (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      os: info.Os ?? 'linux',
      created: info.Created ?? '',
      size: info.Size ?? 0,
      config: (info.Config ?? {}) as ImageConfig,
      diffIds: info.RootFS?.Layers ?? [],
    };
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { image: ref });
  }
}

interface DaemonHistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** The build steps, oldest first (the daemon answers newest first). */
export async function imageHistory(ctx: DaemonContext, id: string): Promise<HistoryEntry[]> {
  try {
    const items = (await withTimeout(ctx.docker.getImage(id).history(), ctx.timeoutMs, `history of ${id}`)) as DaemonHistoryItem[];
    return items
      .slice()
      .reverse()
      .map((h) => ({
        created: h.Created ? new Date(h.Created * 1000).toISOString() : '',
        createdBy: h.CreatedBy ?? '',
        comment: h.Comment ?? '',
        size: h.Size ?? 0,
      }));
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { image: id });
  }
}

export interface LocalImageSummary {
  id: string;
  /** repo:tag names (`<none>:<none>` left out). */
  repoTags: string[];
  /** repo@digest names: set by a pull or a push, never by a local build, load or import. */
  repoDigests: string[];
  size: number;
  /** Seconds since the epoch. */
  created: number;
}

/** Top-level images, as `docker images` lists them (intermediate build images left out). */
export async function listImages(ctx: DaemonContext): Promise<LocalImageSummary[]> {
  try {
    const list = await withTimeout(ctx.docker.listImages(), ctx.timeoutMs, 'the image list');
    return list.map((i) => ({
      id: i.Id,
      repoTags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      repoDigests: (i.RepoDigests ?? []).filter((d) => d !== '<none>@<none>'),
      size: i.Size ?? 0,
      created: i.Created ?? 0,
    }));
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { what: 'the image list' });
  }
}
