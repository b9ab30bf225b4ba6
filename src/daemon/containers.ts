// Every container the daemon has, running or stopped, read through the API
// alone: GET /containers/json?all=1, then GET /containers/{id}/json for each
// (a few at a time), and for containers whose Config.User is empty the user
// their image configures (GET /images/{id}/json, once per image). A container
// removed between the list and its inspect is skipped; so is an image that is
// gone (its user then stays unknown). The never-started containers that
// check --quick makes for a few seconds are not the user's: they are skipped.
import type { ContainerInfo, ContainerInspectInfo } from 'dockerode';
import { containerFactsOf } from '../runtime/inspect-facts.js';
import type { ContainerFacts } from '../runtime/facts.js';
import { daemonError, withTimeout } from './errors.js';
import type { DaemonContext } from './inspect.js';
import { QUICK_CONTAINER_LABEL } from './container-export.js';

/** One entry of the container list, as much of it as a caller chooses by. */
export interface ContainerListEntry {
  id: string;
  /** Without the leading slash. */
  names: string[];
  image: string;
  state: string;
}

export interface ListContainersOptions {
  /** How many inspects run at once (default 4). */
  concurrency?: number;
  /** Keep only the containers this accepts (default: every container). */
  select?: (entry: ContainerListEntry) => boolean;
}

export const DEFAULT_CONCURRENCY = 4;

/** The runtime facts of every container (running and stopped), in the daemon's list order (newest first). */
export async function readContainers(ctx: DaemonContext, options: ListContainersOptions = {}): Promise<ContainerFacts[]> {
  let list: ContainerInfo[];
  try {
    list = await withTimeout(ctx.docker.listContainers({ all: true }), ctx.timeoutMs, 'the container list');
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { what: 'the container list' });
  }
  const entries = list
    .filter((c) => c.Labels?.[QUICK_CONTAINER_LABEL] === undefined)
    .map(listEntry)
    .filter((e) => options.select?.(e) ?? true);
  const imageUsers = new Map<string, Promise<string | undefined>>();
  const imageUser = (imageId: string): Promise<string | undefined> => {
    let pending = imageUsers.get(imageId);
    if (!pending) {
      pending = inspectImageUser(ctx, imageId);
      imageUsers.set(imageId, pending);
    }
    return pending;
  };
  const facts = await mapLimit(entries, options.concurrency ?? DEFAULT_CONCURRENCY, async (entry) => {
    const info = await inspectContainer(ctx, entry.id);
    if (!info) return undefined;
    const own = typeof info.Config?.User === 'string' ? info.Config.User : '';
    const user = own.trim() === '' && typeof info.Image === 'string' && info.Image !== '' ? await imageUser(info.Image) : undefined;
    return containerFactsOf(info, user);
  });
  return facts.filter((f): f is ContainerFacts => f !== undefined);
}

function listEntry(c: ContainerInfo): ContainerListEntry {
  return {
    id: c.Id,
    names: (c.Names ?? []).map((n) => n.replace(/^\//, '')),
    image: c.Image ?? '',
    state: c.State ?? '',
  };
}

/** The container's inspect, or undefined when it no longer exists. */
async function inspectContainer(ctx: DaemonContext, id: string): Promise<ContainerInspectInfo | undefined> {
  try {
    return await withTimeout(ctx.docker.getContainer(id).inspect(), ctx.timeoutMs, `inspect of container ${id.slice(0, 12)}`);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw daemonError(err, ctx.endpoint, { what: `container ${id.slice(0, 12)}` });
  }
}

/** The image's Config.User (`''` when it sets none), or undefined when the image is gone. */
async function inspectImageUser(ctx: DaemonContext, imageId: string): Promise<string | undefined> {
  try {
    const info = await withTimeout(ctx.docker.getImage(imageId).inspect(), ctx.timeoutMs, `inspect of image ${imageId}`);
    const user: unknown = info.Config?.User;
    return typeof user === 'string' ? user : '';
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw daemonError(err, ctx.endpoint, { image: imageId });
  }
}

function isNotFound(err: unknown): boolean {
  return err !== null && typeof err === 'object' && (err as { statusCode?: unknown }).statusCode === 404;
}

/** `fn` over `items`, at most `limit` at a time; results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(Math.floor(limit) || 1, items.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}
