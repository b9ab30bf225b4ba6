// The garbage collector, when node runs with --expose-gc as the installed
// launcher runs it (package.json config.nodeFlags); undefined otherwise.
// The launcher also turns V8's memory reducer off (--no-memory-reducer): it
// shrank the heap's limits while check waited for the export's first byte,
// and V8 then ran a full collection every few MB of the export (a second of
// CPU on a 1 GB image). Long-running commands give memory back themselves.

export type Collect = (options?: { type: 'minor' | 'major' }) => void;

export function exposedGc(): Collect | undefined {
  return (globalThis as { gc?: Collect }).gc;
}

/** Bytes read between two minor collections (see `collectingEvery`). */
const COLLECT_EVERY = 2 * 1024 * 1024;

/**
 * A stream's reader that calls this with each chunk's size runs a minor
 * collection every COLLECT_EVERY bytes (feeding.ts `feed` does, for every
 * archive, layer and container export). Each socket chunk is memory outside V8's heap,
 * freed only by a collection, and our tar parser makes little garbage of its
 * own to trigger one: without this, V8 let the chunks pile up and then ran
 * full collections (57 on the 1.1 GB bench image, 145 MB RSS). Every 8 MB
 * still left 34–57 of them; every 2 MB, 2 (91 MB RSS); every 1 MB gains
 * nothing more. A minor collection costs well under a millisecond.
 * Undefined without --expose-gc.
 */
export function collectingEvery(): ((n: number) => void) | undefined {
  const gc = exposedGc();
  if (!gc) return undefined;
  let since = 0;
  return (n) => {
    since += n;
    if (since < COLLECT_EVERY) return;
    since = 0;
    gc({ type: 'minor' });
  };
}
