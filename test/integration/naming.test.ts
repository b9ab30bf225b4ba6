// An image can be named by name:tag, by full or short ID, several per call,
// and the JSON says which name each result answers.
import { checkJson, integrationTest } from './cli.js';

const test = integrationTest('naming');
const IMAGE = 'dsp-fixture/clean:buildkit';

test('name:tag, full ID and short ID give the same result, in the order given', async (t) => {
  const first = await checkJson([IMAGE]);
  const id = first.report.results[0].id!;
  t.regex(id, /^sha256:[0-9a-f]{64}$/);
  const short = id.slice('sha256:'.length, 'sha256:'.length + 12);
  const { run, report } = await checkJson([id, short, IMAGE]);
  t.is(run.code, 0, run.stderr);
  t.deepEqual(report.results.map((r) => r.image), [id, short, IMAGE]);
  t.true(report.results.every((r) => r.id === id && r.passed));
  t.deepEqual(report.results[1].findings, first.report.results[0].findings);
});

test('one bad name among good ones: the others are still checked, the bad one has an error, exit 2', async (t) => {
  const { run, report } = await checkJson([IMAGE, 'dsp-fixture/none:missing', 'dsp-fixture/ports-remote:classic']);
  t.is(run.code, 2);
  t.deepEqual(report.results.map((r) => Boolean(r.error)), [false, true, false]);
  t.false(report.results[2].passed, 'the failing image is still reported as failing');
});

test('--no-layers checks config and history only, and says file policies did not run', async (t) => {
  const { report } = await checkJson(['--no-layers', 'dsp-fixture/setuid-added:classic']);
  const [r] = report.results;
  t.true(r.layersSkipped);
  t.false(r.findings.some((f) => f.policy === 'SQ40102'));
});

test('--fail-on low makes own low findings fail; --skip removes a policy', async (t) => {
  const strict = await checkJson(['--fail-on', 'low', 'dsp-fixture/copy-relative:classic']);
  t.is(strict.run.code, 1);
  t.true(strict.report.results[0].findings.some((f) => f.policy === 'SQ41106' && f.action === 'fail'));
  const skipped = await checkJson(['--fail-on', 'low', '--skip', 'SQ41106', 'dsp-fixture/copy-relative:classic']);
  t.false(skipped.report.results[0].findings.some((f) => f.policy === 'SQ41106'));
});
