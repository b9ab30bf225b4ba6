// The base-image scan's outlines of local images, remembered across runs.
import test from 'ava';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutlineStore } from '../../../src/cache/outline-store.js';
import { LayerCache } from '../../../src/cache/layer-cache.js';

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dsp-outlines-'));
}

test('what one run learned, the next run knows; images gone from the daemon are dropped', async (t) => {
  const dir = await tempDir();
  const first = new OutlineStore(new LayerCache({ dir }));
  t.is(await first.get(A), undefined);
  await first.set(A, { diffIds: ['sha256:1'] });
  await first.set(B, { diffIds: ['sha256:1', 'sha256:2'], createdBy: ['ADD x', 'RUN y'] });
  await first.save([A, B]);
  const second = new OutlineStore(new LayerCache({ dir }));
  t.deepEqual(await second.get(B), { diffIds: ['sha256:1', 'sha256:2'], createdBy: ['ADD x', 'RUN y'] });
  await second.set(A, { diffIds: ['sha256:1'], createdBy: ['ADD x'] });
  await second.save([A]); // B was removed from the daemon
  const third = new OutlineStore(new LayerCache({ dir }));
  t.deepEqual(await third.get(A), { diffIds: ['sha256:1'], createdBy: ['ADD x'] });
  t.is(await third.get(B), undefined);
});

test('nothing learned: nothing written', async (t) => {
  const dir = await tempDir();
  await new OutlineStore(new LayerCache({ dir })).save([A]);
  t.deepEqual(await readdir(dir), []);
});

test('a damaged file is a fresh start, never an error', async (t) => {
  const dir = await tempDir();
  await mkdir(join(dir, 'outlines', 'v1'), { recursive: true });
  await writeFile(join(dir, 'outlines', 'v1', 'outlines'), 'not a cache entry');
  const store = new OutlineStore(new LayerCache({ dir }));
  t.is(await store.get(A), undefined);
  await store.set(A, { diffIds: ['sha256:1'] });
  await store.save([A]);
  t.deepEqual(await new OutlineStore(new LayerCache({ dir })).get(A), { diffIds: ['sha256:1'] });
});

test.after.always('temp dirs', async () => {
  for (const name of await readdir(tmpdir())) if (name.startsWith('dsp-outlines-')) await rm(join(tmpdir(), name), { recursive: true, force: true });
});
