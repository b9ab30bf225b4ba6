// Pushes a byte stream, chunk by chunk, into synchronous parsers (tar-parser.ts)
// and pauses it while something downstream waits: a cache lookup that decides
// what an entry is, a decompressor's backlog, the scanners' set-up.
import { Readable, finished } from 'node:stream';
import { collectingEvery } from '../memory.js';

/** Where parsers say "wait for this before the next chunk". */
export class Gate {
  private waits: Array<Promise<unknown>> = [];

  /** The next chunk waits for `wait` (its failure is reported where it is awaited, not here). */
  hold(wait: Promise<unknown>): void {
    this.waits.push(wait.then(noop, noop));
  }

  get open(): boolean {
    return this.waits.length === 0;
  }

  /** Resolves once nothing holds the gate (waits added meanwhile included). */
  async passed(): Promise<void> {
    while (this.waits.length > 0) await Promise.all(this.waits.splice(0));
  }
}

function noop(): void {}

export interface Feeding {
  /** Parses one chunk; may hold the gate; a throw fails the feeding. */
  take(chunk: Buffer): void;
  gate: Gate;
  /** True once no more bytes are wanted: the source is closed (the daemon stops sending). */
  stopped?: () => boolean;
}

/**
 * Feeds `source` to `take` until it ends (or `stopped`), with a minor
 * collection every few MB (memory.ts). A Node stream (the daemon's response,
 * a file) is fed from its 'data' events: async iteration would concatenate
 * (copy) whatever it has buffered. `finished` also catches a close without
 * end (a dropped connection).
 */
export function feed(source: AsyncIterable<Buffer>, feeding: Feeding): Promise<void> {
  const collect = collectingEvery();
  if (!collect) return feedSource(source, feeding);
  const take = (chunk: Buffer) => {
    collect(chunk.length);
    feeding.take(chunk);
  };
  return feedSource(source, { ...feeding, take });
}

function feedSource(source: AsyncIterable<Buffer>, feeding: Feeding): Promise<void> {
  return source instanceof Readable ? feedReadable(source, feeding) : feedIterable(source, feeding);
}

async function feedIterable(source: AsyncIterable<Buffer>, { take, gate, stopped }: Feeding): Promise<void> {
  for await (const chunk of source) {
    take(chunk);
    if (!gate.open) await gate.passed();
    if (stopped?.()) return; // leaving the loop closes the source
  }
}

function feedReadable(source: Readable, { take, gate, stopped }: Feeding): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      resolve();
      source.destroy();
    };
    source.on('data', (chunk: Buffer) => {
      try {
        take(chunk);
      } catch (err) {
        source.destroy(err as Error);
        return;
      }
      if (stopped?.()) return stop();
      if (gate.open) return;
      source.pause();
      void gate.passed().then(() => (stopped?.() ? stop() : source.resume()));
    });
    finished(source, (err) => (err ? reject(err) : resolve()));
  });
}
