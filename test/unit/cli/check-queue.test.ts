// The bounded dedupe queue behind `watch`, on synthetic offers (no daemon).
import test from 'ava';
import { CheckQueue, type Outcome, type QueueOptions } from '../../../src/cli/check-queue.js';

interface Harness {
  queue: CheckQueue<string[]>;
  /** Worker calls in order: key, value, attempt. */
  calls: Array<{ key: string; value: string[]; attempt: number }>;
  dropped: string[];
  /** Lets the running check of `key` finish with `outcome`. */
  finish(key: string, outcome?: Outcome): void;
  /** Resolves when `n` worker calls have happened. */
  started(n: number): Promise<void>;
}

function harness(overrides: Partial<QueueOptions<string[]>> = {}, autoFinish = false): Harness {
  const calls: Harness['calls'] = [];
  const dropped: string[] = [];
  const waiting = new Map<string, (o: Outcome) => void>();
  const startWaiters: Array<{ n: number; resolve: () => void }> = [];
  const queue = new CheckQueue<string[]>({
    concurrency: 2,
    maxPending: 100,
    settleMs: 10,
    maxSettleMs: 1_000,
    remember: 1_000,
    merge: (a, b) => [...a, ...b],
    onOverflow: (key) => dropped.push(key),
    worker: (key, value, attempt) => {
      calls.push({ key, value, attempt });
      for (const w of startWaiters.filter((s) => calls.length >= s.n)) w.resolve();
      if (autoFinish) return new Promise((resolve) => setTimeout(() => resolve('done'), 5));
      return new Promise((resolve) => waiting.set(key, resolve));
    },
    ...overrides,
  });
  return {
    queue,
    calls,
    dropped,
    finish: (key, outcome = 'done') => {
      const resolve = waiting.get(key);
      if (!resolve) throw new Error(`${key} is not running`);
      waiting.delete(key);
      resolve(outcome);
    },
    started: (n) => (calls.length >= n ? Promise.resolve() : new Promise((resolve) => startWaiters.push({ n, resolve }))),
  };
}

test('a burst of offers for one image is one check, with every name', async (t) => {
  const h = harness({}, true);
  t.is(h.queue.offer('sha256:a', ['app:1']), 'queued');
  t.is(h.queue.offer('sha256:a', ['app:latest']), 'merged');
  t.is(h.queue.offer('sha256:a', []), 'merged');
  await h.queue.idle();
  t.deepEqual(h.calls, [{ key: 'sha256:a', value: ['app:1', 'app:latest'], attempt: 1 }]);
  t.is(h.queue.stateOf('sha256:a'), 'done');
});

test('an image whose check started or finished is not checked again', async (t) => {
  const h = harness();
  h.queue.offer('sha256:a', ['app:1']);
  await h.started(1);
  t.is(h.queue.offer('sha256:a', ['app:2']), 'running', 'a tag after the check started is ignored');
  h.finish('sha256:a');
  await h.queue.idle();
  t.is(h.queue.offer('sha256:a', ['app:3']), 'done');
  t.is(h.calls.length, 1);
});

test('a burst of 100 images never runs more than `concurrency` checks at once, and checks each once', async (t) => {
  const h = harness({ concurrency: 2 }, true);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 100; i++) h.queue.offer(`sha256:${i}`, [`app:${round}`]);
  }
  t.true(h.queue.pendingCount <= 100);
  await h.queue.idle();
  t.is(h.calls.length, 100);
  t.is(new Set(h.calls.map((c) => c.key)).size, 100);
  t.is(h.queue.peakRunning, 2);
});

test('onIdle: called when the last running check finishes and nothing waits, not while others run or wait', async (t) => {
  let idle = 0;
  const h = harness({ concurrency: 1, onIdle: () => idle++ });
  h.queue.offer('sha256:a', ['a:1']);
  h.queue.offer('sha256:b', ['b:1']);
  await h.started(1);
  h.finish('sha256:a');
  await h.started(2);
  t.is(idle, 0, 'b was waiting when a finished');
  h.finish('sha256:b');
  await h.queue.idle();
  t.is(idle, 1, 'called once b finished with nothing left');
  h.queue.offer('sha256:c', ['c:1']);
  await h.started(3);
  h.finish('sha256:c', 'forget');
  await h.queue.idle();
  t.is(idle, 2, 'any outcome counts: the check ran');
});

test('a full queue drops the oldest waiting image, names it, and keeps the newest', async (t) => {
  const h = harness({ concurrency: 1, maxPending: 3, settleMs: 30 });
  for (const k of ['a', 'b', 'c', 'd', 'e']) h.queue.offer(k, [k]);
  t.deepEqual(h.dropped, ['a', 'b']);
  t.is(h.queue.pendingCount, 3);
  await h.started(1);
  t.is(h.calls[0].key, 'c', 'oldest surviving first');
  t.is(h.queue.stateOf('a'), undefined, 'a dropped image is not remembered: a later event queues it again');
  t.is(h.queue.offer('a', ['a']), 'queued');
  h.finish('c');
  await h.started(2);
  h.finish('d');
  await h.started(3);
  h.finish('e');
  await h.started(4);
  h.finish('a');
  await h.queue.idle();
  t.deepEqual(
    h.calls.map((c) => c.key),
    ['c', 'd', 'e', 'a'],
  );
});

test('running checks do not count against the pending cap', async (t) => {
  const h = harness({ concurrency: 1, maxPending: 1, settleMs: 0 });
  h.queue.offer('a', []); // settled at once: starts now
  t.is(h.queue.stateOf('a'), 'running');
  h.queue.offer('b', []);
  h.queue.offer('c', []);
  t.deepEqual(h.dropped, ['b']);
  h.finish('a');
  await h.started(2);
  t.is(h.calls[1].key, 'c');
  h.finish('c');
  await h.queue.idle();
});

test('checks wait for the burst to settle, but no longer than maxSettleMs', async (t) => {
  const h = harness({ settleMs: 80, maxSettleMs: 300 }, true);
  const began = Date.now();
  const offers = [began];
  h.queue.offer('a', ['0']);
  const trickle = setInterval(() => {
    offers.push(Date.now());
    h.queue.offer('a', ['more']);
  }, 20);
  await h.started(1);
  clearInterval(trickle);
  const waited = Date.now() - began;
  t.true(waited < 3_000, `a trickle cannot starve it (started after ${waited} ms)`);
  t.true(h.calls[0].value.length > 1, 'the trickle was coalesced');
  // A loaded machine may leave a gap longer than settleMs in the trickle; only without one must it wait for maxSettleMs.
  const maxGap = Math.max(...offers.slice(1).map((at, i) => at - offers[i]));
  if (maxGap < 75) t.true(waited >= 290, `started after ${waited} ms with no gap in the trickle`);
  await h.queue.idle();
});

test('retry puts the image back at the front with the next attempt number; forget lets a later event queue it', async (t) => {
  const h = harness({ concurrency: 1, settleMs: 0 });
  h.queue.offer('a', []);
  await h.started(1);
  h.queue.offer('b', []);
  h.finish('a', 'retry');
  await h.started(2);
  t.deepEqual(
    h.calls.map((c) => [c.key, c.attempt]),
    [
      ['a', 1],
      ['a', 2],
    ],
  );
  h.finish('a', 'forget');
  await h.started(3);
  t.is(h.calls[2].key, 'b');
  h.finish('b');
  await h.queue.idle();
  t.is(h.queue.stateOf('a'), undefined);
  t.is(h.queue.offer('a', []), 'queued');
  await h.started(4);
  h.finish('a');
  await h.queue.idle();
});

test('paused: nothing starts until resume', async (t) => {
  const h = harness({ settleMs: 0 }, true);
  h.queue.pause();
  h.queue.offer('a', []);
  await new Promise((r) => setTimeout(r, 50));
  t.is(h.calls.length, 0);
  h.queue.resume();
  await h.queue.idle();
  t.is(h.calls.length, 1);
});

test('remove drops a waiting image (deleted before its check)', async (t) => {
  const h = harness({ settleMs: 50 }, true);
  h.queue.offer('a', []);
  t.true(h.queue.remove('a'));
  t.false(h.queue.remove('a'));
  await h.queue.idle();
  t.is(h.calls.length, 0);
});

test('adopt: a check queued by reference takes over its image ID', async (t) => {
  const h = harness({ settleMs: 0 });
  h.queue.offer('ref:app:1', ['app:1']);
  await h.started(1);
  t.true(h.queue.adopt('ref:app:1', 'sha256:a'));
  t.is(h.queue.stateOf('sha256:a'), 'running');
  t.is(h.queue.offer('sha256:a', []), 'running');
  h.finish('ref:app:1'); // the worker's own call, started under the reference
  await h.queue.idle();
  t.is(h.queue.stateOf('sha256:a'), 'done');
  t.is(h.queue.stateOf('ref:app:1'), undefined, 'the reference itself is not remembered');
  h.queue.offer('ref:app:1', ['app:1']);
  await h.started(2);
  t.false(h.queue.adopt('ref:app:1', 'sha256:a'), 'already checked');
  h.finish('ref:app:1', 'forget');
  await h.queue.idle();
});

test('the memory of checked images is bounded (oldest forgotten first)', async (t) => {
  const h = harness({ remember: 2, settleMs: 0 }, true);
  for (const k of ['a', 'b', 'c']) {
    h.queue.offer(k, []);
    await h.queue.idle();
  }
  t.is(h.queue.stateOf('a'), undefined);
  t.is(h.queue.stateOf('b'), 'done');
  t.is(h.queue.stateOf('c'), 'done');
});

test('close drops what waits and refuses new offers; a worker that throws counts as done', async (t) => {
  const errors: string[] = [];
  const h = harness({ settleMs: 0, worker: () => Promise.reject(new Error('boom')), onWorkerError: (k) => errors.push(k) });
  h.queue.offer('a', []);
  await h.queue.idle();
  t.deepEqual(errors, ['a']);
  t.is(h.queue.stateOf('a'), 'done');
  h.queue.pause();
  h.queue.offer('b', []);
  h.queue.close();
  t.is(h.queue.pendingCount, 0);
  t.is(h.queue.offer('c', []), 'closed');
  await h.queue.idle();
});
