// Where the own build starts: --dockerfile (with line numbers), --base-image,
// and the errors when they do not fit the image.
import { fileURLToPath } from 'node:url';
import { checkJson, integrationTest, run } from './cli.js';

const test = integrationTest('boundary');
const dockerfile = fileURLToPath(new URL('../../../scripts/fixtures/copy-relative/Dockerfile', import.meta.url));

for (const builder of ['classic', 'buildkit']) {
  test(`--dockerfile lines the ${builder} history up with the Dockerfile and gives each finding its line`, async (t) => {
    const { report } = await checkJson(['--dockerfile', dockerfile, `dsp-fixture/copy-relative:${builder}`]);
    const [r] = report.results;
    t.is(r.baseBoundary?.source, 'dockerfile');
    const lines = r.findings
      .filter((f) => f.policy === 'SQ41106')
      .map((f) => f.location.dockerfile?.line)
      .sort();
    t.deepEqual(lines, [5, 6, 8], 'COPY app.txt app.txt, COPY --chown … conf/, COPY app.txt ${REL}/');
  });
}

test('--base-image sets the boundary; an image that is not a base is refused with exit 2', async (t) => {
  const ok = await checkJson(['--base-image', 'dsp-fixture/busybox:base', 'dsp-fixture/copy-relative:classic']);
  t.deepEqual(ok.report.results[0].baseBoundary, { source: 'base-image', ownFrom: 1, base: 'dsp-fixture/busybox:base' });
  const bad = await run(['check', '--base-image', 'dsp-fixture/clean:classic', 'dsp-fixture/copy-relative:classic']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /is not a base of dsp-fixture\/copy-relative:classic/);
});
