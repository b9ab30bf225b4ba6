// `check --archive FILE` reads a `docker save` file with the same reader the
// daemon export goes through, and needs no daemon.
import path from 'node:path';
import { checkJson, integrationTest } from './cli.js';
import type { Finding } from '../../src/policies/engine.js';

const test = integrationTest('archive');
const archive = path.join(process.env.DSP_TEST_DAEMON_DIR ?? '/tmp/dsp-test-daemon', 'archives', 'legacy.tar');
const IMAGE = 'dsp-fixture/setuid-removed:classic';
// Policies judged on the effective config and the merged filesystem: the same with or without a base boundary.
const BOUNDARY_FREE = new Set(['SQ40101', 'SQ40102', 'SQ40103', 'SQ40104', 'SQ40105', 'SQ40106', 'SQ40107', 'SQ40108', 'SQ41101', 'SQ41103']);

function comparable(findings: Finding[]): string[] {
  return findings
    .filter((f) => BOUNDARY_FREE.has(f.policy))
    // Messages differ on purpose (the daemon run knows the base image), locations must not.
    .map((f) => JSON.stringify([f.policy, f.subject ?? null, { ...f.location, dockerfile: undefined }]))
    .sort();
}

test('a docker save archive gives the same config and file findings as the daemon, without a daemon', async (t) => {
  const fromArchive = await checkJson(['--archive', archive], { DOCKER_HOST: 'unix:///tmp/dsp-no-daemon-here.sock' });
  const fromDaemon = await checkJson([IMAGE]);
  t.not(fromArchive.run.code, 2, fromArchive.run.stderr);
  const [a] = fromArchive.report.results;
  const [d] = fromDaemon.report.results;
  t.is(a.id, d.id);
  t.deepEqual(a.repoTags, [IMAGE]);
  t.deepEqual(comparable(a.findings), comparable(d.findings));
  t.is(a.baseBoundary?.source, 'unknown', 'no daemon to find the base with');
});

test('whiteouts and opaque directories in the archive hide the base image setuid files', async (t) => {
  const { report } = await checkJson(['--archive', archive, '--policy', 'SQ40102']);
  t.deepEqual(report.results[0].findings, []);
});

test('a missing archive file is a one-line error with exit 2', async (t) => {
  const { run } = await import('./cli.js').then((m) => m.run(['check', '--archive', '/nonexistent/x.tar']).then((r) => ({ run: r })));
  t.is(run.code, 2);
  t.regex(run.stderr, /x\.tar/);
});
