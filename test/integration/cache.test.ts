// The layer cache against the real daemon: cold, warm and --no-cache runs give
// identical reports, and a warm run exports nothing (the daemon's `save`
// events prove it: each export emits one).
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import tar from 'tar-stream';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageEventsBetween } from '../../src/daemon/events.js';
import type { DaemonContext } from '../../src/daemon/inspect.js';
import type { JsonReport } from '../../src/report/json.js';
import { checkJson, integrationTest } from './cli.js';

const test = integrationTest('cache.test');

const IMAGES = [
  'dsp-fixture/setuid-added:classic',
  'dsp-fixture/setuid-added:buildkit',
  'dsp-fixture/setuid-removed:classic',
  'dsp-fixture/setuid-removed:buildkit',
  'dsp-fixture/add-files:classic',
  'dsp-fixture/add-files:buildkit',
  'dsp-fixture/multistage:buildkit',
  'dsp-fixture/user-app:classic',
  'dsp-fixture/scratch-rootfs:buildkit',
];

function daemon(): DaemonContext {
  const host = process.env.DOCKER_HOST ?? '';
  const docker = new Docker({ socketPath: host.replace(/^unix:\/\//, '') });
  return { docker, endpoint: host, timeoutMs: 30_000 };
}

/**
 * Children of fixtures that differ only by a LABEL (same layers, new image
 * ID), so that their `save` events can only come from this file's runs, not
 * from other test files checking the fixtures at the same time.
 */
async function uniqueChildren(parents: string[]): Promise<string[]> {
  const docker = daemon().docker;
  const run = randomBytes(4).toString('hex');
  const tags: string[] = [];
  for (const parent of parents) {
    const tag = `dsp-cache-test/${parent.replace(/^dsp-fixture\//, '').replace(':', '-')}:${run}`;
    const pack = tar.pack();
    pack.entry({ name: 'Dockerfile' }, `FROM ${parent}\nLABEL dsp.cache-test=${run}\n`);
    pack.finalize();
    const stream = await docker.buildImage(pack as unknown as NodeJS.ReadableStream, { t: tag });
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
    tags.push(tag);
  }
  return tags;
}

async function removeImages(tags: string[]): Promise<void> {
  const docker = daemon().docker;
  for (const tag of tags) await docker.getImage(tag).remove().catch(() => undefined);
}

/** Runs check with the cache in `dir` (or none) and counts the daemon's `save` events for these images in the run's window. */
async function timedCheck(
  images: string[],
  env: Record<string, string>,
  counted: string[],
  extra: string[] = [],
): Promise<{ report: JsonReport; code: number; saves: number; ms: number }> {
  const ctx = daemon();
  const ids = new Set<string>();
  for (const ref of counted) ids.add((await ctx.docker.getImage(ref).inspect()).Id);
  const since = Date.now() / 1000;
  const started = performance.now();
  const { run, report } = await checkJson([...extra, ...images], env);
  const ms = performance.now() - started;
  const until = Date.now() / 1000;
  // The daemon's clock is this machine's (a local socket): the query rounds `since` down to the
  // second, so events are kept by their own nanosecond stamps within the run's window.
  const events = await imageEventsBetween(ctx, { since, until: until + 1, actions: ['save'] });
  const from = BigInt(Math.floor(since * 1000)) * 1_000_000n;
  const to = BigInt(Math.ceil(until * 1000)) * 1_000_000n;
  const saves = events.filter((e) => ids.has(e.id) && e.timeNano >= from && e.timeNano <= to).length;
  return { report, code: run.code, saves, ms };
}

async function duSize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const kind of ['layers', 'configs']) {
    const base = join(dir, kind, 'v1');
    for (const name of await readdir(base).catch(() => [] as string[])) {
      files++;
      bytes += (await stat(join(base, name))).size;
    }
  }
  return { files, bytes };
}

test.serial('cold, warm and --no-cache runs give the same report; the warm run exports nothing', async (t) => {
  t.timeout(240_000);
  const dir = await mkdtemp(join(tmpdir(), 'dsp-cache-it-'));
  const env = { DSP_CACHE_DIR: dir };
  const children = await uniqueChildren(IMAGES.slice(0, 4));
  try {
    const images = [...IMAGES, ...children];
    const cold = await timedCheck(images, env, children);
    t.is(cold.saves, children.length, `the cold run exported every image`);
    const stored = await duSize(dir);
    t.true(stored.files > 0, 'the cold run filled the cache');

    const warm = await timedCheck(images, env, children);
    t.is(warm.saves, 0, 'the warm run exported nothing');

    const noCache = await timedCheck(images, env, children, ['--no-cache']);
    t.is(noCache.saves, children.length, '--no-cache exports');
    t.deepEqual(await duSize(dir), stored, '--no-cache neither reads nor writes the cache');

    t.deepEqual(warm.report, cold.report);
    t.deepEqual(noCache.report, cold.report);
    t.is(warm.code, cold.code);
    t.is(noCache.code, cold.code);
    t.is(cold.report.results.length, images.length);
    t.false(cold.report.results.some((r) => r.error), 'no image failed to check');
    // The file facts came through: the setuid policy fires on setuid-added, naming its layer.
    const added = cold.report.results.find((r) => r.image === 'dsp-fixture/setuid-added:classic');
    t.true(JSON.stringify(added?.findings).includes('"kind":"file"'), 'setuid-added has file findings');
    t.log(`${images.length} images: cold ${cold.ms.toFixed(0)} ms, warm ${warm.ms.toFixed(0)} ms, --no-cache ${noCache.ms.toFixed(0)} ms; cache ${stored.files} files, ${stored.bytes} bytes`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await removeImages(children);
  }
});

test.serial('a partly cached image (its base layer known) is exported once, read until its own layers are in, and then fully cached', async (t) => {
  t.timeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), 'dsp-cache-it-'));
  const env = { DSP_CACHE_DIR: dir };
  const [child] = await uniqueChildren(['dsp-fixture/setuid-removed:buildkit']);
  try {
    const base = await timedCheck(['dsp-fixture/busybox:base'], env, []);
    const first = await timedCheck([child], env, [child]);
    t.is(first.saves, 1, 'the child has layers the cache lacks: exported');
    const second = await timedCheck([child], env, [child]);
    t.is(second.saves, 0);
    t.deepEqual(second.report, first.report);
    // The first run read the export only until the child's own layers were in (the rest came from the cache).
    const fresh = await timedCheck([child], env, [child], ['--no-cache']);
    t.deepEqual(first.report, fresh.report, 'the same report as a full read');
    t.false(base.report.results.some((r) => r.error));
  } finally {
    await rm(dir, { recursive: true, force: true });
    await removeImages([child]);
  }
});

test.serial('a narrower content request is served by a wider cached one; a wider request is not served by a narrower one', async (t) => {
  t.timeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), 'dsp-cache-it-'));
  const env = { DSP_CACHE_DIR: dir };
  const image = await uniqueChildren(['dsp-fixture/setuid-added:buildkit']);
  try {
    // SQ40102 (setuid) needs file metadata only: the layers are cached capturing no contents.
    const narrow = await timedCheck(image, env, image, ['--policy', 'SQ40102']);
    t.is(narrow.saves, 1);
    const full = await timedCheck(image, env, image);
    t.is(full.saves, 1, 'the full rule set wants /etc/passwd (SQ40101), which the narrow run did not capture');
    const narrowAgain = await timedCheck(image, env, image, ['--policy', 'SQ40102']);
    t.is(narrowAgain.saves, 0);
    t.deepEqual(narrowAgain.report, narrow.report);
    const fullAgain = await timedCheck(image, env, image);
    t.is(fullAgain.saves, 0);
    t.deepEqual(fullAgain.report, full.report);
    const noCache = await timedCheck(image, env, image, ['--no-cache']);
    t.deepEqual(noCache.report, full.report);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await removeImages(image);
  }
});
