// check --quick reads the filesystem of a container made from the image (never
// started) instead of its layers: the same files are judged; a file's layer is
// named only where the layer cache knows the layers below it, a file a later
// layer deleted is not seen, and the container is gone afterwards.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import anyTest from 'ava';
import Docker from 'dockerode';
import { checkJson, integrationTest, run } from './cli.js';
import { QUICK_CONTAINER_LABEL } from '../../src/daemon/container-export.js';
import { MERGED_LAYER } from '../../src/image/facts.js';
import type { JsonReport } from '../../src/report/json.js';

// Serial: a case that counts the daemon's --quick containers must not see another case's.
const test = integrationTest('quick').serial;
const exec = promisify(execFile);
const DOCKER = ['/usr/bin/docker', '/usr/local/bin/docker'].find((p) => existsSync(p)) ?? 'docker';

type Finding = JsonReport['results'][number]['findings'][number];
const setuidPaths = (findings: Finding[]) =>
  findings.filter((f) => f.policy === 'SQ40102').map((f) => (f.location.kind === 'file' ? f.location.path : '')).sort();

async function quickContainers(): Promise<string> {
  const { stdout } = await exec(DOCKER, ['ps', '-aq', '--filter', `label=${QUICK_CONTAINER_LABEL}`]);
  return stdout.trim();
}

const caches = mkdtempSync(join(tmpdir(), 'dsp-quick-test-'));
anyTest.after.always(() => rmSync(caches, { recursive: true, force: true }));
let cacheCount = 0;
/** A layer cache of the case's own: what it holds is what the case put there. */
const ownCache = () => ({ DSP_CACHE_DIR: join(caches, String(cacheCount++)) });

test('--quick without a cache finds the setuid files the layers have, names no layer, and leaves no container', async (t) => {
  const image = 'dsp-fixture/setuid-added:classic';
  const full = await checkJson(['--no-cache', image]);
  const quick = await checkJson(['--no-cache', '--quick', image]);
  t.true(quick.run.code < 2, quick.run.stderr);
  const [result] = quick.report.results;
  t.true(result!.layersMerged);
  t.deepEqual(setuidPaths(result!.findings), setuidPaths(full.report.results[0]!.findings));
  t.true(setuidPaths(result!.findings).length > 0);
  for (const f of result!.findings.filter((x) => x.location.kind === 'file')) {
    t.like(f.location, { layerIndex: MERGED_LAYER, layer: '' });
    if (f.policy === 'SQ40102') t.regex(f.message, /unknown layer \(checked with --quick\)/);
    t.false(f.inherited, 'not known to be the base image\'s: judged as the image\'s own');
  }
  t.is(await quickContainers(), '', 'the temporary container was removed');
});

test('--quick with the base image\'s layer cached: the same findings as the full check, each in its layer, inherited ones marked', async (t) => {
  const env = ownCache();
  const base = await checkJson(['dsp-fixture/busybox:base'], env);
  t.is(base.run.code < 2, true, base.run.stderr);
  const quick = await checkJson(['--quick', 'dsp-fixture/setuid-added:classic'], env);
  const full = await checkJson(['--no-cache', 'dsp-fixture/setuid-added:classic'], env);
  t.true(quick.report.results[0]!.layersMerged);
  t.is(quick.run.code, full.run.code);
  const shape = (r: JsonReport) =>
    r.results[0]!.findings.map((f) => [f.policy, f.action, f.inherited, f.location.kind === 'file' ? `${f.location.path} ${f.location.layerIndex}` : f.location.kind]).sort();
  t.deepEqual(shape(quick.report), shape(full.report));
});

test('--quick in the table: the note and each file finding say the layer is not known', async (t) => {
  const r = await run(['check', '--no-cache', '--quick', 'dsp-fixture/setuid-added:classic']);
  t.regex(r.stdout, /--quick: the container's filesystem was read, not the layers/);
  t.regex(r.stdout, /layer not known \(--quick\)/);
});

test('--quick does not see a secret a later layer deleted (the full check does), and no file the daemon adds to containers', async (t) => {
  const image = 'dsp-content/planted:classic';
  const quick = await checkJson(['--no-cache', '--quick', image]);
  const findings = quick.report.results[0]!.findings;
  const paths = findings.map((f) => (f.location.kind === 'file' ? f.location.path : ''));
  t.false(paths.includes('/root/.aws/credentials'), 'deleted by a later layer: not in the merged filesystem');
  t.true(paths.includes('/root/.ssh/id_rsa'), 'a secret still present is found');
  for (const added of ['/.dockerenv', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf']) t.false(paths.includes(added), added);
  const full = await checkJson(['--no-cache', image]);
  t.true(full.report.results[0]!.findings.some((f) => f.location.kind === 'file' && f.location.path === '/root/.aws/credentials'));
});

test('a --quick result is stored apart from a full one: neither answers for the other', async (t) => {
  const env = ownCache();
  const image = 'dsp-fixture/setuid-added:buildkit';
  const quick = await checkJson(['--quick', image], env);
  const full = await checkJson([image], env);
  const quickAgain = await checkJson(['--quick', image], env);
  t.true(quick.report.results[0]!.layersMerged);
  t.falsy(full.report.results[0]!.layersMerged, 'the full check read the layers');
  t.true(full.report.results[0]!.findings.some((f) => f.location.kind === 'file' && f.location.layerIndex === 1));
  t.deepEqual(quickAgain.report.results[0], quick.report.results[0], 'the stored --quick result');
});

test('Ctrl-C during a --quick read removes the container, and the check ends as interrupted (130)', async (t) => {
  const api = new Docker({ socketPath: (process.env.DOCKER_HOST ?? '').replace(/^unix:\/\//, '') });
  const filters = { label: [QUICK_CONTAINER_LABEL] };
  let seen = false;
  let finished = false;
  const running = run(['check', '--no-cache', '--quick', 'dsp-content/planted:buildkit'], {}, {
    onSpawn: (pid) => {
      const poll = async (): Promise<void> => {
        if ((await api.listContainers({ all: true, filters })).length > 0) {
          seen = true;
          process.kill(pid, 'SIGINT');
          return;
        }
        if (!finished) setTimeout(() => void poll(), 10);
      };
      void poll();
    },
  });
  const r = await running.finally(() => (finished = true));
  t.true(seen, 'the check made its container');
  t.is(r.code, -1, `ended by the signal (the shell reports 130); stderr: ${r.stderr}`);
  t.notRegex(r.stderr, /error|aborted|destroyed/i, 'nothing is reported for the read the removal broke');
  t.is((await api.listContainers({ all: true, filters })).length, 0, 'the container was removed');
});

test('--quick with --no-layers or --archive is a usage error (exit 2, one line)', async (t) => {
  const withoutLayers = await run(['check', '--quick', '--no-layers', 'dsp-fixture/clean:classic']);
  t.is(withoutLayers.code, 2);
  t.regex(withoutLayers.stderr, /^[^\n]*--quick[^\n]*--no-layers[^\n]*\n$/);
  const archive = await run(['check', '--quick', '--archive', '/nonexistent.tar']);
  t.is(archive.code, 2);
  t.regex(archive.stderr, /--quick/);
});

test('--quick on a missing image: one line, exit 2, no container made', async (t) => {
  const r = await run(['check', '--quick', 'dsp-fixture/none:missing']);
  t.is(r.code, 2);
  t.regex(r.stderr, /dsp-fixture\/none:missing/);
  t.is(await quickContainers(), '');
});
