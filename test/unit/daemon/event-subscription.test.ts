// Reconnection, backoff and replay of the events subscription, on a synthetic
// event source (streams we write to and end; no daemon).
import test from 'ava';
import { PassThrough } from 'node:stream';
import { backoffDelay, EventSubscription, type EventSource, type SubscriptionHooks } from '../../../src/daemon/event-subscription.js';
import { isImageId, parseEvent, responseDate, type ImageEvent, type LiveEvents } from '../../../src/daemon/events.js';

const ID = (n: number) => `sha256:${String(n).padStart(64, '0')}`;

function line(action: string, id: string, name: string, sec: number): string {
  const nano = `${sec}000000123`;
  return `${JSON.stringify({ status: action, id, Type: 'image', Action: action, Actor: { ID: id, Attributes: { name } }, time: sec, timeNano: Number(nano) })}\n`;
}

function event(action: string, id: string, name: string, sec: number): ImageEvent {
  const e = parseEvent(line(action, id, name, sec));
  if (!e) throw new Error('bad event');
  return e;
}

class FakeDaemon implements EventSource {
  streams: PassThrough[] = [];
  /** live() fails this many more times. */
  down = 0;
  /** between() fails this many more times. */
  replayFailures = 0;
  pingFails = false;
  daemonTime = 1_000;
  missed: ImageEvent[] = [];
  replays: Array<[number, number]> = [];

  async live(): Promise<LiveEvents> {
    if (this.down > 0) {
      this.down--;
      throw Object.assign(new Error('connect ECONNREFUSED /tmp/x.sock'), { code: 'ECONNREFUSED' });
    }
    const stream = new PassThrough();
    this.streams.push(stream);
    return { stream, daemonTime: this.daemonTime };
  }

  async between(since: number, until: number): Promise<ImageEvent[]> {
    this.replays.push([since, until]);
    if (this.replayFailures > 0) {
      this.replayFailures--;
      throw new Error('the daemon went away during the replay');
    }
    return this.missed.filter((e) => Number(e.timeNano / 1_000_000_000n) >= since);
  }

  async ping(): Promise<void> {
    if (this.pingFails) throw new Error('no answer');
  }

  get current(): PassThrough {
    return this.streams[this.streams.length - 1];
  }
}

interface Log {
  events: Array<{ e: ImageEvent; replayed: boolean }>;
  lost: string[];
  reconnected: Array<{ since: number; daemonTime: number }>;
  synced: boolean[];
  retries: number[];
}

function hooks(log: Log, extra: Partial<SubscriptionHooks> = {}): SubscriptionHooks {
  return {
    onEvent: (e, replayed) => log.events.push({ e, replayed }),
    onLost: ({ reason }) => log.lost.push(reason),
    onReconnected: ({ since, daemonTime }) => log.reconnected.push({ since, daemonTime }),
    onSynced: async ({ first }) => void log.synced.push(first),
    onRetry: ({ attempt }) => log.retries.push(attempt),
    ...extra,
  };
}

const newLog = (): Log => ({ events: [], lost: [], reconnected: [], synced: [], retries: [] });
const FAST = { initialMs: 5, maxMs: 20, factor: 2 };

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('backoff doubles from the initial wait and stops at the cap', (t) => {
  const b = { initialMs: 250, maxMs: 10_000, factor: 2 };
  t.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 100, 1e6].map((n) => backoffDelay(n, b)),
    [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000],
  );
  t.is(backoffDelay(0, b), 250);
});

test('live events are delivered; a lost stream reconnects and replays from the last event time', async (t) => {
  const daemon = new FakeDaemon();
  const log = newLog();
  const sub = new EventSubscription(daemon, hooks(log), { backoff: FAST });
  await sub.start();
  t.deepEqual(log.synced, [true]);
  t.true(sub.connected);
  daemon.current.write(line('tag', ID(1), 'app:1', 1_005));
  await until(() => log.events.length === 1, 'the live event');
  t.is(log.events[0].e.name, 'app:1');
  t.false(log.events[0].replayed);

  // The daemon restarts: the stream ends; an image is tagged before we are back.
  daemon.down = 2;
  daemon.daemonTime = 1_020;
  daemon.missed = [event('tag', ID(1), 'app:1', 1_005), event('tag', ID(2), 'app:2', 1_012)];
  daemon.current.end();
  await until(() => log.synced.length === 2, 'the reconnection');
  t.deepEqual(log.lost, ['the events stream ended']);
  t.deepEqual(log.retries, [1, 2]);
  t.deepEqual(log.reconnected, [{ since: 1_005, daemonTime: 1_020 }], 'replay from the last event seen');
  t.deepEqual(daemon.replays, [[1_005, 1_021]], 'up to one second past the new stream start');
  t.deepEqual(
    log.events.filter((x) => x.replayed).map((x) => x.e.name),
    ['app:1', 'app:2'],
    'the edge second comes again (the consumer dedupes)',
  );
  t.deepEqual(log.synced, [true, false]);
  t.true(sub.connected);
  t.is(sub.resumePoint, 1_020);
  sub.stop();
});

test('with no event yet, the replay starts at the daemon time of the first connection', async (t) => {
  const daemon = new FakeDaemon();
  const log = newLog();
  const sub = new EventSubscription(daemon, hooks(log), { backoff: FAST });
  await sub.start();
  daemon.daemonTime = 1_050;
  daemon.current.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
  await until(() => log.synced.length === 2, 'the reconnection');
  t.deepEqual(log.lost, ['the connection was reset']);
  t.deepEqual(daemon.replays, [[1_000, 1_051]]);
  sub.stop();
});

test('a replay cut short is asked for again from the same point', async (t) => {
  const daemon = new FakeDaemon();
  const log = newLog();
  const sub = new EventSubscription(daemon, hooks(log), { backoff: FAST });
  await sub.start();
  daemon.current.write(line('tag', ID(1), 'app:1', 1_003));
  await until(() => log.events.length === 1, 'the live event');
  daemon.replayFailures = 1;
  daemon.daemonTime = 1_030;
  daemon.current.end();
  await until(() => log.synced.length === 2, 'the reconnection');
  t.deepEqual(
    daemon.replays.map(([since]) => since),
    [1_003, 1_003],
  );
  t.is(daemon.streams.length, 3, 'the stream opened for the failed replay was closed and a new one opened');
  t.true(daemon.streams[1].destroyed);
  t.deepEqual(log.lost.length, 1, 'one outage, one "lost" report');
  sub.stop();
});

test('a failing reconcile (onSynced) counts as another loss and is retried', async (t) => {
  const daemon = new FakeDaemon();
  const log = newLog();
  let failSync = 1;
  const sub = new EventSubscription(
    daemon,
    hooks(log, {
      onSynced: async ({ first }) => {
        if (!first && failSync-- > 0) throw new Error('image list failed');
        log.synced.push(first);
      },
    }),
    { backoff: FAST },
  );
  await sub.start();
  daemon.current.end();
  await until(() => log.synced.length === 2, 'the reconnection');
  t.deepEqual(log.retries, [1]);
  t.is(log.reconnected.length, 2);
  sub.stop();
});

test('the first connection failing rejects start and tries nothing more', async (t) => {
  const daemon = new FakeDaemon();
  daemon.down = 1;
  const log = newLog();
  const sub = new EventSubscription(daemon, hooks(log), { backoff: FAST });
  await t.throwsAsync(() => sub.start(), { message: /ECONNREFUSED/ });
  await new Promise((r) => setTimeout(r, 50));
  t.is(daemon.streams.length, 0);
  t.deepEqual(log.lost, []);
});

test('stop ends the stream and any reconnection; no hook runs after it', async (t) => {
  const daemon = new FakeDaemon();
  const log = newLog();
  const sub = new EventSubscription(daemon, hooks(log), { backoff: { initialMs: 30, maxMs: 30, factor: 1 } });
  await sub.start();
  daemon.down = 1_000;
  daemon.current.end();
  await until(() => log.lost.length === 1, 'the loss');
  sub.stop();
  const retries = log.retries.length;
  await new Promise((r) => setTimeout(r, 120));
  t.is(log.retries.length, retries);
  t.false(sub.connected);

  const sub2 = new EventSubscription(new FakeDaemon(), hooks(newLog()), { backoff: FAST });
  await sub2.start();
  sub2.stop();
  t.pass();
});

test('a daemon that stops answering pings is treated as lost', async (t) => {
  const daemon = new FakeDaemon();
  const log = newLog();
  const sub = new EventSubscription(daemon, hooks(log), { backoff: FAST, probeIntervalMs: 10, probeTimeoutMs: 50 });
  await sub.start();
  daemon.pingFails = true;
  await until(() => log.lost.length === 1, 'the loss');
  t.regex(log.lost[0], /did not answer a ping/);
  daemon.pingFails = false;
  await until(() => log.synced.length === 2, 'the reconnection');
  sub.stop();
});

test('events helpers: image IDs, Date headers', (t) => {
  t.true(isImageId(ID(7)));
  t.false(isImageId('busybox:latest'));
  t.false(isImageId('sha256:abc'));
  const s = Object.assign(new PassThrough(), { headers: { date: 'Mon, 23 Nov 2026 15:26:23 GMT' } });
  t.is(responseDate(s), Date.UTC(2026, 10, 23, 15, 26, 23) / 1000);
  t.is(responseDate(new PassThrough()), undefined);
});
