// `watch`: checks each new image as the daemon reports it, until SIGINT/SIGTERM.
//
// Which events (Docker Engine 20.10, observed): the classic builder and
// BuildKit both end a `build -t NAME` with an image `tag` event naming
// NAME; `docker tag` emits `tag`; `docker import` emits `tag` (when given a
// name) then `import`; `docker load` emits only `load`, named by the image ID
// (the tags it sets emit nothing); `docker pull` emits `pull` named by the
// reference, not the ID (only with --include-pulls). Our own checks export
// images, which emits `save`: not subscribed to. `delete` is subscribed to so
// that an image removed while it waits is dropped from the queue.
//
// Each image ID is checked once per watch: events for an image that waits are
// merged into it (a burst settles for SETTLE_MS first); events for an image
// whose check has started or finished are ignored. See check-queue.ts for the
// bounds, event-subscription.ts for reconnection and replay.
import type { Argv } from 'yargs';
import { COMMAND } from '../plugin/metadata.js';
import type { GlobalOptions } from '../plugin/argv.js';
import type { Severity } from '../policies/rule.js';
import { imageMatches } from '../config/selectors.js';
import { imageEventsBetween, isImageId, openLiveEvents, type ImageEvent } from '../daemon/events.js';
import { EventSubscription, type EventSource } from '../daemon/event-subscription.js';
import { imageExists, pingDaemon } from '../daemon/image-list.js';
import { listImages } from '../daemon/inspect.js';
import { inspectImage } from '../daemon/inspect.js';
import { daemonError } from '../daemon/errors.js';
import { jsonReport } from '../report/json.js';
import { renderImageBlock } from '../report/table.js';
import { jsonText, printable } from '../report/terminal-text.js';
import { toolVersion } from '../version.js';
import { checkSetup, policyOptions } from './check-setup.js';
import { checkDaemonImage, type ImageResult } from './check-image.js';
import { CheckQueue, type Outcome } from './check-queue.js';
import { exposedGc } from '../memory.js';
import { connectDaemon } from './daemon-context.js';
import { terminalWidth, useColor } from './output.js';
import { UsageError } from './usage-error.js';
import { attachAdvisories } from './vuln-setup.js';

export interface WatchArgs {
  format: 'table' | 'json';
  filter?: string | string[];
  includePulls: boolean;
  failOn?: Severity;
  config?: string;
  policy?: string | string[];
  skip?: string | string[];
  layers: boolean;
  cache: boolean;
  timeout: number;
  jobs: number;
  maxPending: number;
  debug: boolean;
}

/** Quiet time after an image's latest event before its check starts (coalesces bursts). */
export const SETTLE_MS = 300;
/** Longest a burst can delay a check. */
export const MAX_SETTLE_MS = 2_000;
/** Image IDs remembered as checked (oldest forgotten first). */
export const REMEMBER_IDS = 10_000;
/** Attempts for a check cut short by the daemon going away. */
export const MAX_ATTEMPTS = 3;
/** Ping the daemon this often while watching: a dead TCP peer may never close the stream. */
export const PROBE_INTERVAL_MS = 30_000;
/** The longest one (re)connection attempt may take, whatever --timeout says. */
const CONNECT_LIMIT_MS = 30_000;
/** While the daemon is away, say so again this often. */
const STILL_DOWN_EVERY_MS = 60_000;
const MAX_NAMES = 16;

export function watchCommand(yargs: Argv): Argv<WatchArgs> {
  return policyOptions(yargs)
    .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'one block per image (table), or one JSON report per line (json)' })
    .option('filter', { type: 'string', describe: 'only images whose repo:tag matches this glob (repeat for several; `myorg/*` = any tag)' })
    .option('include-pulls', { type: 'boolean', default: false, describe: 'check pulled images too' })
    .option('timeout', { type: 'number', default: 120, describe: 'seconds of daemon silence before one check gives up' })
    .option('jobs', { type: 'number', default: 2, describe: 'checks at once (1-4)' })
    .option('max-pending', { type: 'number', default: 100, describe: 'images waiting at most; when full, the oldest waiting one is skipped (and named)' })
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces and every event' }) as unknown as Argv<WatchArgs>;
}

/** What the events said about one image while it waited. */
interface Sighting {
  /** repo:tag names from tag/pull events (newest last). */
  names: string[];
  /** tag, load, import, pull; `listing` when found by the reconcile after an outage. */
  actions: string[];
  /** Daemon time (ns) of the first event, for the latency note under --debug. */
  firstEventNs?: bigint;
}

interface Stats {
  checked: number;
  failing: number;
  errors: number;
  skipped: number;
}

export async function runWatch(args: WatchArgs, global: GlobalOptions, control: { signal?: AbortSignal } = {}): Promise<number> {
  if (!Number.isFinite(args.timeout) || args.timeout < 0) throw new UsageError('--timeout takes a number of seconds (0 = no limit)');
  if (!Number.isInteger(args.jobs) || args.jobs < 1 || args.jobs > 4) throw new UsageError('--jobs takes 1, 2, 3 or 4');
  if (!Number.isInteger(args.maxPending) || args.maxPending < 1) throw new UsageError('--max-pending takes a whole number ≥ 1');
  const filters = ([] as string[]).concat(args.filter ?? []).map((f) => f.trim()).filter(Boolean);
  const setup = checkSetup({ ...args, imagePoliciesOnly: true });
  await attachAdvisories(setup);
  const { options } = setup;
  const connection = connectDaemon(global, args.timeout * 1000);
  const ctx = connection.context;
  const actions = ['tag', 'load', 'import', ...(args.includePulls ? ['pull'] : []), 'delete'];

  const say = (line: string) => void process.stderr.write(`${COMMAND}: ${printable(line)}\n`);
  const debug = (line: string) => args.debug && say(`${new Date().toISOString()} ${line}`);
  const stats: Stats = { checked: 0, failing: 0, errors: 0, skipped: 0 };
  const color = useColor(process.stdout);
  const width = terminalWidth(process.stdout);
  let stopping = false;
  /** Bumped on each lost connection: a check that spans one is retried, not reported. */
  let epoch = 0;

  const print = (result: ImageResult) => {
    if (stopping) return;
    if (args.format === 'json') {
      process.stdout.write(jsonText(jsonReport([result], toolVersion())) + '\n');
      return;
    }
    process.stdout.write(renderImageBlock(result, { width, color }));
  };

  /** --filter: a glob on repo:tag (without a tag: any tag), or an image ID prefix. */
  const matches = (image: { id?: string; repoTags: string[] }) => filters.length === 0 || filters.some((f) => imageMatches(f, image));

  let subscription: EventSubscription | undefined;
  const queue: CheckQueue<Sighting> = new CheckQueue<Sighting>({
    concurrency: args.jobs,
    maxPending: args.maxPending,
    settleMs: SETTLE_MS,
    maxSettleMs: MAX_SETTLE_MS,
    remember: REMEMBER_IDS,
    merge: (a, b) => ({
      names: [...new Set([...a.names, ...b.names])].slice(-MAX_NAMES),
      actions: [...new Set([...a.actions, ...b.actions])],
      firstEventNs: a.firstEventNs ?? b.firstEventNs,
    }),
    onOverflow: (key, s) => {
      stats.skipped++;
      const name = s.names[0] ?? key;
      say(`queue full (${args.maxPending} images waiting): skipped ${name}${name === key ? '' : ` (${key})`}; check it with \`${COMMAND} check ${isImageId(key) ? key : name}\``);
    },
    onWorkerError: (key, err) => say(`${key}: ${err instanceof Error ? (args.debug ? (err.stack ?? err.message) : err.message) : String(err)}`),
    worker: (key, sighting, attempt) => checkOne(key, sighting, attempt),
    // A watcher can wait for hours between checks, and V8's memory reducer is off (memory.ts): collect now.
    onIdle: () => exposedGc()?.(),
  });

  async function checkOne(key: string, sighting: Sighting, attempt: number): Promise<Outcome> {
    if (stopping) return 'forget';
    const startedEpoch = epoch;
    const label = sighting.names[0] ?? key;
    let id = isImageId(key) ? key : undefined;
    try {
      const info = await inspectImage(ctx, key.startsWith('ref:') ? key.slice(4) : key);
      id = info.id;
      if (key !== info.id && !queue.adopt(key, info.id)) {
        debug(`${label}: ${info.id} is already checked or queued`);
        return 'forget';
      }
      if (!matches({ id: info.id, repoTags: [...sighting.names, ...info.repoTags] })) {
        debug(`${label}: no tag matches --filter (${info.repoTags.join(', ') || 'untagged'})`);
        return 'forget';
      }
      const result = await checkDaemonImage(ctx, info.id, { ...options });
      if (stopping) return 'forget';
      const trigger = sighting.names.find((n) => result.repoTags.includes(n));
      if (trigger) result.repoTags = [trigger, ...result.repoTags.filter((t) => t !== trigger)];
      result.image = trigger ?? result.repoTags[0] ?? info.id;
      stats.checked++;
      if (!result.passed) stats.failing++;
      print(result);
      if (sighting.firstEventNs !== undefined) {
        const ms = Number(BigInt(Date.now()) * 1_000_000n - sighting.firstEventNs) / 1e6;
        debug(`${result.image}: verdict ${ms.toFixed(0)} ms after its first event (${sighting.actions.join(', ')})`);
      }
      return 'done';
    } catch (err) {
      return failed(id ?? key.slice(4), label, err, attempt, startedEpoch);
    }
  }

  /** `target`: the image ID, or the reference a pull event named when inspect could not resolve it. */
  async function failed(target: string, label: string, err: unknown, attempt: number, startedEpoch: number): Promise<Outcome> {
    if (stopping) return 'forget';
    const message = err instanceof Error ? err.message : String(err);
    // The daemon went away during the check: not the image's fault; check it again once it is back.
    let away = startedEpoch !== epoch || subscription?.connected === false;
    if (!away) away = await pingDaemon(ctx, 5_000).then(() => false, () => true);
    if (away && attempt < MAX_ATTEMPTS) {
      debug(`${label}: interrupted (${message}); will check it again when the daemon is back`);
      return 'retry';
    }
    if (!away) {
      const exists = await imageExists(ctx, target).catch(() => true);
      if (!exists) {
        say(`${label} was removed before it could be checked`);
        return 'done';
      }
    }
    if (args.debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    say(`${label}: ${message}`);
    stats.errors++;
    print({ image: label, ...(isImageId(target) ? { id: target } : {}), repoTags: [], passed: false, findings: [], suppressed: [], error: message });
    return 'done';
  }

  const onEvent = (e: ImageEvent, replayed: boolean) => {
    if (stopping) return;
    debug(`${replayed ? 'replayed' : 'event'}: ${e.action} ${e.name ?? ''} ${e.id}`);
    if (e.action === 'delete') {
      if (queue.remove(e.id)) debug(`${e.id}: deleted while waiting; dropped`);
      return;
    }
    if (!actions.includes(e.action)) return;
    // tag and pull events name a repo:tag; load and import name the ID.
    const name = e.name && !isImageId(e.name) ? e.name : undefined;
    // An event that names a tag is judged by that tag (no inspect for other people's images).
    if (name && !matches({ ...(isImageId(e.id) ? { id: e.id } : {}), repoTags: [name] })) return;
    const key = isImageId(e.id) ? e.id : `ref:${name ?? e.id}`;
    const result = queue.offer(key, { names: name ? [name] : [], actions: [e.action], firstEventNs: e.timeNano });
    if (result === 'running' || result === 'done') debug(`${name ?? key}: already ${result === 'done' ? 'checked' : 'being checked'}; not again`);
  };

  // Images on the daemon at the last listing: after an outage, a tagged image
  // that was not there before and that no event brought is checked too (the
  // daemon replays only its last 256 events, and none from before a restart).
  let known = new Set<string>();
  const reconcile = async (first: boolean) => {
    const images = await listImages(ctx);
    if (!first) {
      let found = 0;
      for (const image of images) {
        if (known.has(image.id) || queue.stateOf(image.id) !== undefined) continue;
        if (image.repoTags.length === 0) continue; // untagged: only load/import events bring those
        if (!args.includePulls && image.repoDigests.length > 0) continue; // pulled (or pushed): not ours to check without --include-pulls
        if (!matches(image)) continue;
        const names = filters.length ? image.repoTags.filter((t) => matches({ repoTags: [t] })) : image.repoTags;
        if (queue.offer(image.id, { names, actions: ['listing'] }) === 'queued') found++;
      }
      if (found > 0) debug(`${found} new image${found === 1 ? '' : 's'} found by listing (beyond the replayed events)`);
    }
    known = new Set(images.map((i) => i.id));
  };

  const limit = (ms: number) => (ctx.timeoutMs > 0 ? Math.min(ctx.timeoutMs, ms) : ms);
  const source: EventSource = {
    live: () => openLiveEvents({ ...ctx, timeoutMs: limit(CONNECT_LIMIT_MS) }, actions),
    between: (since, until) => imageEventsBetween({ ...ctx, timeoutMs: limit(CONNECT_LIMIT_MS) }, { since, until, actions }),
    ping: () => pingDaemon(ctx, 10_000),
  };
  let lastStillDown = 0;
  subscription = new EventSubscription(
    source,
    {
      onEvent,
      onLost: ({ at, reason }) => {
        epoch++;
        queue.pause();
        lastStillDown = at.getTime();
        say(`lost the daemon at ${isoSeconds(at)} (${reason}); reconnecting`);
      },
      onReconnected: ({ since, downMs }) => {
        say(`reconnected after ${seconds(downMs)}; replaying events since ${isoSeconds(new Date(since * 1000))}`);
      },
      onSynced: async ({ first }) => {
        await reconcile(first);
        queue.resume(); // checks wait for the replay and the listing: they would fail while the daemon is away
      },
      onRetry: ({ attempt, delayMs, reason, downMs }) => {
        debug(`reconnection attempt ${attempt} failed (${reason}); next in ${seconds(delayMs)}`);
        if (Date.now() - lastStillDown >= STILL_DOWN_EVERY_MS) {
          lastStillDown = Date.now();
          say(`still no daemon after ${seconds(downMs)} (${reason}); retrying`);
        }
      },
    },
    { probeIntervalMs: PROBE_INTERVAL_MS, probeTimeoutMs: 10_000 },
  );

  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = () => stop();
  const onStdoutError = () => stop(); // the reader went away (EPIPE): nothing more to say
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stdout.on('error', onStdoutError);
  control.signal?.addEventListener('abort', onSignal, { once: true });
  if (control.signal?.aborted) stop();

  try {
    try {
      await subscription.start();
    } catch (err) {
      throw daemonError(err, ctx.endpoint, { what: 'events' });
    }
    const what = actions.filter((a) => a !== 'delete').join(', ');
    say(`watching ${ctx.endpoint} for new images (${what} events${filters.length ? `; --filter ${filters.join(' ')}` : ''}); Ctrl-C stops`);
    await stopped;
  } finally {
    stopping = true;
    subscription.stop();
    queue.close();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.stdout.removeListener('error', onStdoutError);
    control.signal?.removeEventListener('abort', onSignal);
  }
  const running = queue.runningCount;
  const parts = [`${stats.checked} image${stats.checked === 1 ? '' : 's'} checked`, `${stats.failing} failing`];
  if (stats.errors) parts.push(`${stats.errors} not checked (errors)`);
  if (stats.skipped) parts.push(`${stats.skipped} skipped (queue full)`);
  if (running) parts.push(`${running} check${running === 1 ? '' : 's'} abandoned`);
  say(`stopped: ${parts.join(', ')}`);
  return 0;
}

/** 2026-11-23T15:26:23Z */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
