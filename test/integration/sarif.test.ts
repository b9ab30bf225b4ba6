// SARIF on real images, as a CI job would upload it: valid against the SARIF
// 2.1.0 schema, findings on the Dockerfile line that caused them, exceptions
// as suppressions.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log, Result } from 'sarif';
import { integrationTest, run } from './cli.js';
import { repoRoot, validateSarif } from '../unit/helpers/sarif-schema.js';

const test = integrationTest('sarif');
const ROOT = repoRoot();

async function sarif(args: string[], cwd = ROOT): Promise<{ code: number; log: Log; stderr: string }> {
  const r = await run(['check', '--format', 'sarif', ...args], {}, { cwd });
  let log: Log;
  try {
    log = JSON.parse(r.stdout) as Log;
  } catch {
    throw new Error(`check did not print SARIF (exit ${r.code}): ${r.stderr}`);
  }
  return { code: r.code, log, stderr: r.stderr };
}

/** 1-based line of the first Dockerfile line that starts with `prefix`. */
function lineOf(dockerfile: string, prefix: string): number {
  const index = readFileSync(join(ROOT, dockerfile), 'utf8').split('\n').findIndex((l) => l.startsWith(prefix));
  if (index < 0) throw new Error(`${dockerfile} has no line starting with ${prefix}`);
  return index + 1;
}

const physical = (r: Result) => r.locations?.[0]?.physicalLocation;

for (const builder of ['classic', 'buildkit']) {
  test(`${builder}: port findings point at the EXPOSE line of the Dockerfile, and the log is valid SARIF 2.1.0`, async (t) => {
    const dockerfile = 'scripts/fixtures/ports-remote/Dockerfile';
    const { code, log } = await sarif([`dsp-fixture/ports-remote:${builder}`, '--dockerfile', dockerfile]);
    t.is(code, 1, 'the exit code is the same whatever the format');
    t.deepEqual(validateSarif(log), []);
    const [runLog] = log.runs;
    const ruleIds = runLog.tool.driver.rules?.map((r) => r.id) ?? [];
    t.deepEqual(ruleIds, [...ruleIds].sort(), 'rules in ID order');
    t.true(['SQ40101', 'SQ40102', 'SQ40104', 'DSP10109'].every((id) => ruleIds.includes(id)), 'every image policy is a rule');
    const ssh = runLog.results?.find((r) => r.ruleId === 'SQ40104');
    t.truthy(ssh);
    t.is(ssh?.level, 'error');
    t.is(physical(ssh!)?.artifactLocation?.uri, dockerfile);
    t.is(physical(ssh!)?.region?.startLine, lineOf(dockerfile, 'EXPOSE'));
  });
}

test('file findings without a Dockerfile point into the image, and stay valid', async (t) => {
  const { log } = await sarif(['dsp-fixture/setuid-added:classic']);
  t.deepEqual(validateSarif(log), []);
  const suid = log.runs[0].results?.find((r) => r.ruleId === 'SQ40102' && physical(r)?.artifactLocation?.uriBaseId === 'IMAGEROOT');
  t.truthy(suid, 'a setuid file located by its path inside the image');
});

test('exceptions from the configuration become SARIF suppressions with the reason as justification', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'dsp-sarif-it-'));
  writeFileSync(join(cwd, 'docker-security-policy.yaml'), 'exceptions:\n  - policy: SQ40104\n    port: 22\n    reason: SSH fixture\n');
  const { code, log } = await sarif(['dsp-fixture/ports-remote:classic'], cwd);
  t.is(code, 1, 'the other ports still fail');
  t.deepEqual(validateSarif(log), []);
  const ssh = log.runs[0].results?.find((r) => r.ruleId === 'SQ40104');
  t.deepEqual(
    ssh?.suppressions?.map((s) => [s.kind, s.status, s.justification]),
    [['external', 'accepted', 'SSH fixture']],
  );
});

test('an image that cannot be checked: a notification, executionSuccessful false, exit 2', async (t) => {
  const { code, log } = await sarif(['dsp-fixture/ports-remote:classic', 'no-such-image:never']);
  t.is(code, 2);
  t.deepEqual(validateSarif(log), []);
  t.false(log.runs[0].invocations?.[0].executionSuccessful);
  t.regex(log.runs[0].invocations?.[0].toolExecutionNotifications?.[0].message.text ?? '', /no such image/);
});
