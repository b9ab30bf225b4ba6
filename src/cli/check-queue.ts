// The bounded work queue behind `watch`: one entry per image, checked at most
// once, a few at a time.
//
// - Dedupe: an image is keyed by its ID. Offers for a key that is waiting are
//   merged into that entry; offers for a key whose check has started or
//   finished are ignored (an image ID names fixed content, so a second check
//   would say the same thing). The finished keys are remembered up to a limit
//   (oldest forgotten first).
// - Coalescing: an entry becomes eligible `settleMs` after its latest offer,
//   but never later than `maxSettleMs` after its first, so a burst of tags
//   (`docker build -t a -t b`, the tag+import pair of `docker import`) is one
//   check, and a steady trickle cannot starve it.
// - Bounded: at most `concurrency` checks run; at most `maxPending` entries
//   wait. When a new key arrives at a full queue the oldest waiting entry is
//   dropped and handed to `onOverflow` (the newest images are the ones the user
//   is working on; the dropped one is named so it can be checked by hand). A
//   dropped key is not remembered, so a later event queues it again.
// - Paused while the daemon is away: nothing starts; entries keep waiting.
//
// The worker says what became of an entry: `done` (remember the key), `retry`
// (back to the front of the queue, e.g. the daemon went away mid-check) or
// `forget` (not checked, not remembered: a later event may queue it again).

export type Outcome = 'done' | 'retry' | 'forget';

/** What became of an offer. */
export type OfferResult = 'queued' | 'merged' | 'running' | 'done' | 'closed';

export interface QueueOptions<T> {
  /** Checks running at once (≥ 1). */
  concurrency: number;
  /** Entries waiting at most (≥ 1); running ones do not count. */
  maxPending: number;
  /** Quiet time after an entry's latest offer before it may start. */
  settleMs: number;
  /** Longest an entry waits for its burst to end, from its first offer. */
  maxSettleMs: number;
  /** How many finished keys are remembered for dedupe. */
  remember: number;
  /** Checks one entry. `attempt` counts from 1. Throwing counts as `done`. */
  worker: (key: string, value: T, attempt: number) => Promise<Outcome>;
  /** Folds a new offer into a waiting entry's value. */
  merge: (existing: T, incoming: T) => T;
  /** A waiting entry was dropped because the queue was full. */
  onOverflow: (key: string, value: T) => void;
  /** A check finished and nothing runs or waits any more (watch gives back the memory its checks used). */
  onIdle?: () => void;
  /** The worker threw (it should not; reported, then treated as done). */
  onWorkerError?: (key: string, err: unknown) => void;
  /** Milliseconds clock (tests). */
  now?: () => number;
}

interface Entry<T> {
  key: string;
  value: T;
  firstAt: number;
  lastAt: number;
  attempt: number;
}

export class CheckQueue<T> {
  private readonly pending = new Map<string, Entry<T>>(); // insertion order = arrival order
  private readonly running = new Map<string, Entry<T>>();
  private readonly finished = new Set<string>(); // insertion order = age
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private paused = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  /** Highest number of checks that ran at once (tests, diagnostics). */
  peakRunning = 0;

  constructor(private readonly options: QueueOptions<T>) {
    if (!(options.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
    if (!(options.maxPending >= 1)) throw new RangeError('maxPending must be at least 1');
    this.now = options.now ?? Date.now;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Where a key stands. */
  stateOf(key: string): 'pending' | 'running' | 'done' | undefined {
    if (this.pending.has(key)) return 'pending';
    if (this.running.has(key)) return 'running';
    if (this.finished.has(key)) return 'done';
    return undefined;
  }

  offer(key: string, value: T): OfferResult {
    if (this.closed) return 'closed';
    const now = this.now();
    const waiting = this.pending.get(key);
    if (waiting) {
      waiting.value = this.options.merge(waiting.value, value);
      waiting.lastAt = now;
      this.schedule();
      return 'merged';
    }
    if (this.running.has(key)) return 'running';
    if (this.finished.has(key)) return 'done';
    if (this.pending.size >= this.options.maxPending) {
      const oldest = this.pending.values().next().value as Entry<T>;
      this.pending.delete(oldest.key);
      this.options.onOverflow(oldest.key, oldest.value);
    }
    this.pending.set(key, { key, value, firstAt: now, lastAt: now, attempt: 0 });
    this.schedule();
    return 'queued';
  }

  /** Drops a waiting entry (the image was deleted). True when there was one. */
  remove(key: string): boolean {
    const had = this.pending.delete(key);
    if (had) this.settleIfIdle();
    return had;
  }

  /**
   * Records `key` as running on behalf of the running entry `from` (a pull
   * event names a reference; its worker learns the image ID). False when
   * `key` is already waiting, running or done: then the caller skips it.
   */
  adopt(from: string, key: string): boolean {
    if (from === key) return true;
    const entry = this.running.get(from);
    if (!entry || this.stateOf(key) !== undefined) return false;
    this.running.delete(from);
    entry.key = key;
    this.running.set(key, entry);
    return true;
  }

  /** Nothing starts until resume(); running checks go on. */
  pause(): void {
    this.paused = true;
    this.clearTimer();
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Drops everything waiting and starts nothing more. Running checks go on (their outcome is ignored). */
  close(): void {
    this.closed = true;
    this.pending.clear();
    this.clearTimer();
    this.settleIfIdle();
  }

  /** Resolves when nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.paused || this.closed) return;
    const now = this.now();
    while (this.running.size < this.options.concurrency) {
      const next = this.nextEligible(now);
      if (!next) break;
      this.start(next);
    }
    if (this.running.size >= this.options.concurrency || this.pending.size === 0) {
      this.clearTimer();
      return;
    }
    let earliest = Infinity;
    for (const e of this.pending.values()) earliest = Math.min(earliest, this.readyAt(e));
    if (earliest === this.timerAt && this.timer) return;
    this.clearTimer();
    this.timerAt = earliest;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.schedule();
      },
      Math.max(0, earliest - now),
    );
  }

  private readyAt(e: Entry<T>): number {
    return Math.min(e.lastAt + this.options.settleMs, e.firstAt + this.options.maxSettleMs);
  }

  /** The first-arrived entry whose burst has settled. */
  private nextEligible(now: number): Entry<T> | undefined {
    for (const e of this.pending.values()) if (this.readyAt(e) <= now) return e;
    return undefined;
  }

  private start(entry: Entry<T>): void {
    this.pending.delete(entry.key);
    this.running.set(entry.key, entry);
    this.peakRunning = Math.max(this.peakRunning, this.running.size);
    entry.attempt++;
    let outcome: Promise<Outcome>;
    try {
      outcome = this.options.worker(entry.key, entry.value, entry.attempt);
    } catch (err) {
      outcome = Promise.reject(err);
    }
    outcome
      .catch((err: unknown) => {
        this.options.onWorkerError?.(entry.key, err);
        return 'done' as const;
      })
      .then((result) => this.finish(entry, result));
  }

  private finish(entry: Entry<T>, outcome: Outcome): void {
    this.running.delete(entry.key);
    if (outcome === 'done') this.rememberKey(entry.key);
    else if (outcome === 'retry' && !this.closed && !this.pending.has(entry.key)) {
      // Back to the front, eligible at once (when not paused).
      const rest = [...this.pending.values()];
      this.pending.clear();
      entry.firstAt = entry.lastAt = -Infinity;
      this.pending.set(entry.key, entry);
      for (const e of rest) this.pending.set(e.key, e);
    }
    this.schedule();
    if (this.running.size === 0 && this.pending.size === 0) this.options.onIdle?.();
    this.settleIfIdle();
  }

  private rememberKey(key: string): void {
    this.finished.delete(key);
    this.finished.add(key);
    while (this.finished.size > this.options.remember) {
      const oldest = this.finished.values().next().value as string;
      this.finished.delete(oldest);
    }
  }

  private settleIfIdle(): void {
    if (this.running.size > 0 || (this.pending.size > 0 && !this.closed)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}
