// What a reader asks of node's exposed collector (`gc`, present with
// --expose-gc) while `work` runs: the calls' options, in order.
export async function gcCallsDuring(work: () => Promise<unknown>): Promise<unknown[]> {
  const calls: unknown[] = [];
  const holder = globalThis as { gc?: unknown };
  const before = holder.gc;
  holder.gc = (options: unknown) => calls.push(options);
  try {
    await work();
  } finally {
    holder.gc = before;
  }
  return calls;
}
