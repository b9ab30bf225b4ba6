// The configuration file on a real image, run as a user would: from a
// directory holding docker-security-policy.yaml, or with --config.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJson, integrationTest, run } from './cli.js';

const test = integrationTest('config');
const PORTS = 'dsp-fixture/ports-remote:classic';

function projectWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-config-it-'));
  writeFileSync(join(dir, 'docker-security-policy.yaml'), yaml);
  return dir;
}

test('without configuration the remote-access ports fail the check', async (t) => {
  const { run: r, report } = await checkJson([PORTS], {}, { cwd: projectWith('') });
  t.is(r.code, 1);
  t.true(report.results[0].findings.some((f) => f.policy === 'SQ40104' && f.action === 'fail'));
});

test('an exception for the port policies suppresses them with the reason, and the check passes', async (t) => {
  const cwd = projectWith(`exceptions:
  - policy: SQ40103-SQ40108
    image: "dsp-fixture/ports-remote"
    reason: remote-access fixture, ports are the point
    expires: 2999-12-31
`);
  const { run: r, report } = await checkJson([PORTS], {}, { cwd });
  const [result] = report.results;
  t.is(r.code, 0, r.stderr);
  t.true(result.passed);
  t.false(result.findings.some((f) => /^SQ4010[3-8]$/.test(f.policy)));
  t.true(result.suppressed.length >= 6);
  for (const s of result.suppressed) {
    t.is(s.exception?.reason, 'remote-access fixture, ports are the point');
    t.is(s.exception?.source, 'docker-security-policy.yaml:2');
  }
  const table = await run(['check', PORTS], {}, { cwd });
  t.regex(table.stdout, /PASS {2}0 failing, .*, 6 suppressed/);
  t.regex(table.stdout, /suppressed by exceptions:\n {2}SQ4010\d high: .* — remote-access fixture, ports are the point \(docker-security-policy\.yaml:2, until 2999-12-31\)/);
});

test('an expired exception no longer applies and the table says when it expired', async (t) => {
  const cwd = projectWith('exceptions:\n  - policy: SQ40104\n    reason: was temporary\n    expires: 2020-01-01\n');
  const r = await run(['check', PORTS], {}, { cwd });
  t.is(r.code, 1);
  t.regex(r.stdout, /exception expired on[\s│]*2020-01-01/);
  const { report } = await checkJson([PORTS], {}, { cwd });
  const ssh = report.results[0].findings.find((f) => f.policy === 'SQ40104');
  t.deepEqual(ssh?.exception, { reason: 'was temporary', expires: '2020-01-01', expired: true, source: 'docker-security-policy.yaml:2' });
});

test('--config names the file; --fail-on on the command line wins over failOn in it', async (t) => {
  const cwd = projectWith('failOn: low\n');
  writeFileSync(join(cwd, 'lenient.yaml'), 'failOn: critical\n');
  t.is((await run(['check', PORTS, '--config', 'lenient.yaml'], {}, { cwd })).code, 0, 'high findings warn under failOn critical');
  t.is((await run(['check', PORTS, '--config', 'lenient.yaml', '--fail-on', 'high'], {}, { cwd })).code, 1);
});

test('a mistake in the file stops the run with exit 2 and FILE:LINE:COL on one line', async (t) => {
  const cwd = projectWith('exceptions:\n  - policy: SQ40104\n    reason: r\n    expires: 31/12/2027\n');
  const r = await run(['check', PORTS], {}, { cwd });
  t.is(r.code, 2);
  t.is(r.stdout, '', 'no report from a configuration nobody meant');
  t.regex(r.stderr, /docker-security-policy\.yaml:4:14: expected a date as YYYY-MM-DD \(got "31\/12\/2027"\)\n$/);
  t.is(r.stderr.trim().split('\n').length, 1);
});

test('policies init writes a starter that checks exactly like no configuration, and never overwrites', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'dsp-init-it-'));
  const init = await run(['policies', 'init'], {}, { cwd });
  t.is(init.code, 0, init.stderr);
  t.regex(readFileSync(join(cwd, 'docker-security-policy.yaml'), 'utf8'), /# SQ41106: \{ severity: /);
  const withStarter = await checkJson([PORTS], {}, { cwd });
  const without = await checkJson([PORTS], {}, { cwd: projectWith('') });
  t.deepEqual(withStarter.report.results, without.report.results);
  const again = await run(['policies', 'init'], {}, { cwd });
  t.is(again.code, 2);
  t.regex(again.stderr, /already exists; edit it, or pass --force/);
});

test('policies shows the configured severity and action', async (t) => {
  const cwd = projectWith('policies:\n  SQ41101: { action: fail, severity: high }\n  SQ41102: { action: off }\n');
  const r = await run(['policies', '--format', 'json'], {}, { cwd });
  t.is(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<{ id: string; effective: { severity: string; action: string; configured: boolean } }>;
  t.deepEqual(rows.find((x) => x.id === 'SQ41101')?.effective, { severity: 'high', action: 'fail', configured: true });
  t.is(rows.find((x) => x.id === 'SQ41102')?.effective.action, 'off');
  t.deepEqual(rows.find((x) => x.id === 'SQ40101')?.effective, { severity: 'medium', action: 'warn', configured: false });
});
