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
