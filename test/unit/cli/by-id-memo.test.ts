// One daemon answer per image ID for a run; misses and failures are asked again.
import test from 'ava';
import { ByIdMemo } from '../../../src/cli/by-id-memo.js';

test('the same ID is loaded once, even when asked concurrently', async (t) => {
  const memo = new ByIdMemo<string[]>();
  let loads = 0;
  const load = async () => (loads++, ['sha256:a']);
  const answers = await Promise.all([memo.get('x', load), memo.get('x', load), memo.get('x', load)]);
  t.is(loads, 1);
  t.deepEqual(answers, [['sha256:a'], ['sha256:a'], ['sha256:a']]);
  await memo.get('y', load);
  t.is(loads, 2, 'another ID is its own question');
});

test('a miss or a failure is not kept: the next ask loads again', async (t) => {
  const memo = new ByIdMemo<number>();
  let loads = 0;
  t.is(await memo.get('gone', async () => (loads++, undefined)), undefined);
  t.is(await memo.get('gone', async () => (loads++, 7)), 7);
  await t.throwsAsync(memo.get('flaky', async () => Promise.reject(new Error('timeout'))), { message: 'timeout' });
  t.is(await memo.get('flaky', async () => (loads++, 3)), 3);
  t.is(loads, 3);
});
