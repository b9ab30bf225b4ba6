// Which image a build that just finished produced, asked of the daemon
// after the fact (the build hook gets no image ID): the `tag` events of the
// build's time window name it (the classic builder, and BuildKit on engines
// that log its tags); else the tag the build command named, inspected; else,
// for an untagged build, the newest image created in the window.
import { imageEventsBetween, type ImageEvent } from './events.js';
import { inspectImage, listImages, type DaemonContext } from './inspect.js';

export interface BuiltImageQuery {
  /** The build's window, ms since the epoch: from (at latest) its start to now. */
  sinceMs: number;
  untilMs: number;
  /**
   * The `-t` tags of the build command when its command line is known (`[]`:
   * an untagged build, so other images' tag events are not ours); undefined
   * when it is not known.
   */
  tags?: string[];
  /**
   * A tag the command named counts even when no event in the window names
   * it and its image is older than the window (a fully cached build on an
   * engine whose BuildKit logs no tag events). False when the build may not
   * have loaded its result into the daemon (a container builder without
   * --load), where the tag may still name an older image.
   */
  trustTags: boolean;
}

export interface BuiltImage {
  /** sha256:… */
  id: string;
  /** The name to show: the tag, when one names it. */
  name?: string;
  source: 'tag-event' | 'tag' | 'created';
}

export interface CreatedImage {
  id: string;
  repoTags: string[];
  /** Seconds since the epoch, as the image list gives it. */
  created: number;
}

export async function findBuiltImage(ctx: DaemonContext, query: BuiltImageQuery): Promise<BuiltImage | undefined> {
  const tags = query.tags?.map(familiarName);
  if (tags === undefined || tags.length > 0) {
    const events = await imageEventsBetween(ctx, { since: query.sinceMs / 1000, until: query.untilMs / 1000, actions: ['tag'] });
    const fromEvents = chooseFromEvents(events, tags, query);
    if (fromEvents) return fromEvents;
  }
  for (const tag of tags ?? []) {
    const info = await inspectImage(ctx, tag).catch(() => undefined);
    if (!info) continue;
    const createdMs = Date.parse(info.created);
    if (query.trustTags || createdMs >= query.sinceMs - 1000) return { id: info.id, name: tag, source: 'tag' };
  }
  if (tags === undefined || tags.length === 0) {
    return chooseNewestCreated(await imagesWithCreated(ctx), query.sinceMs);
  }
  return undefined;
}

/**
 * The newest tag event in the window whose name is one of `tags` (any name
 * when the tags are not known).
 */
export function chooseFromEvents(
  events: readonly ImageEvent[],
  tags: readonly string[] | undefined,
  window: Pick<BuiltImageQuery, 'sinceMs' | 'untilMs'>,
): BuiltImage | undefined {
  const since = BigInt(Math.floor(window.sinceMs)) * 1_000_000n;
  const until = BigInt(Math.ceil(window.untilMs)) * 1_000_000n;
  const wanted = tags === undefined ? undefined : new Set(tags);
  let best: ImageEvent | undefined;
  for (const e of events) {
    if (e.action !== 'tag' || e.timeNano < since || e.timeNano > until) continue;
    if (wanted && (e.name === undefined || !wanted.has(familiarName(e.name)))) continue;
    if (!best || e.timeNano >= best.timeNano) best = e;
  }
  if (!best) return undefined;
  return best.name === undefined ? { id: best.id, source: 'tag-event' } : { id: best.id, name: best.name, source: 'tag-event' };
}

/** The newest image created at or after `sinceMs` (the image list counts whole seconds). */
export function chooseNewestCreated(images: readonly CreatedImage[], sinceMs: number): BuiltImage | undefined {
  const since = Math.floor(sinceMs / 1000);
  let best: CreatedImage | undefined;
  for (const image of images) {
    if (image.created < since) continue;
    if (!best || image.created > best.created) best = image;
  }
  if (!best) return undefined;
  const name = best.repoTags[0];
  return name === undefined ? { id: best.id, source: 'created' } : { id: best.id, name, source: 'created' };
}

/**
 * A reference as the daemon names it in events and `RepoTags`: Docker Hub's
 * `docker.io/library/` and `docker.io/` prefixes dropped, `:latest` added
 * when there is no tag (and no digest).
 */
export function familiarName(ref: string): string {
  let name = ref.trim();
  for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/']) {
    if (name.startsWith(prefix)) {
      name = name.slice(prefix.length);
      break;
    }
  }
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && !name.includes('@')) name += ':latest';
  return name;
}

async function imagesWithCreated(ctx: DaemonContext): Promise<CreatedImage[]> {
  return (await listImages(ctx)).map(({ id, repoTags, created }) => ({ id, repoTags, created }));
}
