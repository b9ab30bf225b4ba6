// A subscription to the daemon's image events that survives the daemon:
// when the stream ends (daemon stopped or restarted, connection dropped, or
// the liveness probe got no answer) it reconnects with exponential backoff,
// then replays what it missed.
//
// Each connection opens a live stream first (events from now on; the daemon's
// Date header says when "now" is on its clock), then asks for the closed window
// [resume point, that time + 1 s] — the events that happened while we were
// away — and hands both to onEvent. Whole seconds at both edges mean some
// events come twice; the consumer dedupes by image ID. The resume point only
// moves forward once a replay has been read to its end, so a replay cut short
// is asked for again on the next connection.
//
// The daemon keeps only its last 256 events (of every type; a daemon restart
// empties them), so a long outage can outrun the replay: onSynced runs after
// every (re)connection for the consumer to reconcile by other means (watch
// compares the image list).
import type { Readable } from 'node:stream';
import { decodeEvents, type ImageEvent, type LiveEvents } from './events.js';

/** The daemon calls the subscription needs (real ones in watch, fakes in tests). */
export interface EventSource {
  /** Opens the live stream. */
  live(): Promise<LiveEvents>;
  /** The events in [since, until] (seconds); the daemon closes the stream at `until`. */
  between(since: number, until: number): Promise<ImageEvent[]>;
  /** Resolves when the daemon answers; rejects when it does not. */
  ping(): Promise<void>;
}

export interface BackoffOptions {
  /** Wait before the first reconnection attempt. */
  initialMs: number;
  /** Longest wait between attempts. */
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, factor: 2 };

/** Wait before reconnection attempt `attempt` (from 1): initial × factor^(attempt−1), at most maxMs. */
export function backoffDelay(attempt: number, b: BackoffOptions = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  // Capped before the power can overflow.
  const exp = Math.min(n - 1, 64);
  return Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, exp));
}

export interface LostInfo {
  at: Date;
  reason: string;
}

export interface ReconnectedInfo {
  /** The replay window starts here (seconds since the epoch, daemon clock). */
  since: number;
  /** The daemon's clock at the new connection (seconds). */
  daemonTime: number;
  /** How long the daemon was away, in ms. */
  downMs: number;
}

export interface RetryInfo {
  attempt: number;
  /** Wait before the next attempt. */
  delayMs: number;
  reason: string;
  downMs: number;
}

export interface SubscriptionHooks {
  /** An image event, live or replayed. */
  onEvent(event: ImageEvent, replayed: boolean): void;
  /** The stream ended; reconnection starts. */
  onLost(info: LostInfo): void;
  /** A new stream is open; the replay follows. */
  onReconnected?(info: ReconnectedInfo): void;
  /** After the first connection and after each replay. Throwing counts as losing the connection again. */
  onSynced?(info: { first: boolean }): Promise<void>;
  /** A reconnection attempt failed. */
  onRetry?(info: RetryInfo): void;
}

export interface SubscriptionOptions {
  backoff?: BackoffOptions;
  /** Ping the daemon this often while connected (0: never); no answer counts as a loss. */
  probeIntervalMs?: number;
  /** A ping slower than this counts as no answer. */
  probeTimeoutMs?: number;
}

export class EventSubscription {
  private current: Readable | undefined;
  private connecting = false;
  /** Why the stream being set up ended, when it did. */
  private endedWhileConnecting: string | undefined;
  private stopped = false;
  private resumeFrom = 0;
  private lastEventSec = 0;
  private lostAt = 0;
  private probe: NodeJS.Timeout | undefined;
  private sleeping: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  private readonly backoff: BackoffOptions;
  connected = false;

  constructor(
    private readonly source: EventSource,
    private readonly hooks: SubscriptionHooks,
    private readonly options: SubscriptionOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** The first connection. Rejects when the daemon cannot be reached at all (then nothing more happens). */
  async start(): Promise<void> {
    await this.connectOnce(true);
  }

  /** Ends the stream and any reconnection; no more hooks are called. */
  stop(): void {
    this.stopped = true;
    this.connected = false;
    clearInterval(this.probe);
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
    const stream = this.current;
    this.current = undefined;
    stream?.destroy();
  }

  /** Where a replay would start now (seconds, daemon clock). */
  get resumePoint(): number {
    return Math.max(this.resumeFrom, this.lastEventSec);
  }

  private async connectOnce(first: boolean): Promise<void> {
    this.connecting = true;
    this.endedWhileConnecting = undefined;
    let live: LiveEvents | undefined;
    try {
      live = await this.source.live();
      if (this.stopped) {
        live.stream.destroy();
        return;
      }
      this.current = live.stream;
      this.attach(live.stream);
      if (!first) {
        const since = this.resumePoint;
        this.hooks.onReconnected?.({ since, daemonTime: live.daemonTime, downMs: Date.now() - this.lostAt });
        const missed = await this.source.between(since, live.daemonTime + 1);
        for (const e of missed) {
          if (this.stopped) return;
          this.hooks.onEvent(e, true);
        }
      }
      if (this.stopped) return;
      await this.hooks.onSynced?.({ first });
      if (this.endedWhileConnecting !== undefined) throw new Error(this.endedWhileConnecting);
      if (this.stopped) return;
      this.resumeFrom = Math.max(this.resumeFrom, live.daemonTime);
      this.connected = true;
      this.startProbe(live.stream);
    } catch (err) {
      if (live && this.current === live.stream) this.current = undefined;
      live?.stream.destroy();
      throw err;
    } finally {
      this.connecting = false;
    }
  }

  private attach(stream: Readable): void {
    decodeEvents(stream, (e) => {
      if (this.current !== stream || this.stopped) return;
      const sec = Number(e.timeNano / 1_000_000_000n);
      if (sec > this.lastEventSec) this.lastEventSec = sec;
      this.hooks.onEvent(e, false);
    });
    let ended = false;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      if (this.current !== stream || this.stopped) return;
      if (this.connecting) {
        this.endedWhileConnecting = reason;
        return;
      }
      this.lose(reason);
    };
    stream.on('end', () => end('the events stream ended'));
    stream.on('error', (err: Error) => end(describe(err)));
    stream.on('close', () => end('the connection closed'));
  }

  private startProbe(stream: Readable): void {
    clearInterval(this.probe);
    const every = this.options.probeIntervalMs ?? 0;
    if (!(every > 0)) return;
    let busy = false;
    this.probe = setInterval(() => {
      if (busy || this.current !== stream) return;
      busy = true;
      withDeadline(this.source.ping(), this.options.probeTimeoutMs ?? 10_000)
        .then(
          () => {},
          (err: unknown) => {
            if (this.current === stream) stream.destroy(new Error(`the daemon did not answer a ping (${describe(err)})`));
          },
        )
        .finally(() => (busy = false));
    }, every);
    this.probe.unref();
  }

  private lose(reason: string): void {
    this.connected = false;
    this.current = undefined;
    clearInterval(this.probe);
    this.lostAt = Date.now();
    this.hooks.onLost({ at: new Date(this.lostAt), reason });
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      await this.sleep(backoffDelay(attempt, this.backoff));
      if (this.stopped) return;
      try {
        await this.connectOnce(false);
        return;
      } catch (err) {
        if (this.stopped) return;
        this.hooks.onRetry?.({
          attempt,
          delayMs: backoffDelay(attempt + 1, this.backoff),
          reason: describe(err),
          downMs: Date.now() - this.lostAt,
        });
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping = undefined;
        resolve();
      }, ms);
      this.sleeping = { timer, wake: resolve };
    });
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET') return 'the connection was reset';
    return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
