// The content policies (DSP10xxx: secrets, accounts, remote logins, hygiene)
// on real images: a debootstrap'ed Debian bookworm minbase as it is, and the
// same base with one of each problem planted (scripts/content-fixtures.sh),
// built by both builders. Keys and tokens are generated per test daemon;
// ${DSP_CONTENT_FIXTURES}/secrets.txt lists them so no report may print one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/policies/engine.js';
import { checkJson, integrationTest, run } from './cli.js';

const test = integrationTest('image-content');
const BASE = 'dsp-bench/debian:bookworm';
const PLANTED = ['dsp-content/planted:classic', 'dsp-content/planted:buildkit'];

function plantedSecrets(): string[] {
  const dir = process.env.DSP_CONTENT_FIXTURES ?? '/tmp/dsp-test-daemon/content-fixtures';
  return readFileSync(join(dir, 'secrets.txt'), 'utf8').split('\n').filter((l) => l.length >= 8);
}

const content = (findings: Finding[]) => findings.filter((f) => /^DSP10\d{3}$/.test(f.policy));
const ids = (findings: Finding[]) => [...new Set(content(findings).map((f) => f.policy))].sort();
const pathOf = (f: Finding) => (f.location.kind === 'file' ? f.location.path : undefined);
const summary = (findings: Finding[]) => content(findings).map((f) => `${f.policy} ${pathOf(f) ?? f.location.kind}: ${f.message}`).join('\n');

test('on a clean Debian minbase only what is really there fires: password ageing and length rules, and the apt lists and archives debootstrap leaves', async (t) => {
  const { run: r, report } = await checkJson([BASE]);
  t.is(r.code < 2, true, r.stderr);
  const findings = report.results[0]!.findings;
  t.deepEqual(ids(findings), ['DSP10211', 'DSP10212', 'DSP10213', 'DSP10402'], summary(findings));
  t.deepEqual(
    content(findings).map((f) => `${f.policy} ${pathOf(f)}`).sort(),
    [
      'DSP10211 /etc/login.defs',
      'DSP10212 /etc/login.defs',
      'DSP10213 /etc/pam.d/common-password',
      'DSP10402 /var/cache/apt',
      'DSP10402 /var/lib/apt/lists',
    ],
    summary(findings),
  );
});

for (const image of PLANTED) {
  test(`${image}: every planted account, remote-login and hygiene problem is found where it was planted`, async (t) => {
    const { report } = await checkJson([image]);
    const findings = content(report.results[0]!.findings);
    const has = (policy: string, what: RegExp, path?: string) =>
      t.true(
        findings.some((f) => f.policy === policy && what.test(f.message) && (path === undefined || pathOf(f) === path)),
        `${policy} ${what} ${path ?? ''}\n${summary(findings)}`,
      );
    // Accounts (the RUN useradd step)
    has('DSP10206', /alice/, '/etc/shadow');
    has('DSP10201', /carol/);
    has('DSP10202', /admin2/, '/etc/passwd');
    // Remote logins
    has('DSP10301', /sshd/, '/usr/sbin/sshd');
    has('DSP10302', /sshd/);
    has('DSP10303', /PermitRootLogin yes/);
    has('DSP10305', /PasswordAuthentication yes/);
    has('DSP10306', /root/, '/root/.ssh/authorized_keys');
    has('DSP10307', /ssh_host_ed25519_key/, '/etc/ssh/ssh_host_ed25519_key');
    // Hygiene
    has('DSP10401', /sudo/, '/usr/bin/sudo');
    has('DSP10402', /MiB/, '/var/cache/apt');
    has('DSP10403', /\.git/, '/srv/app/.git');
    has('DSP10405', /apt-get upgrade/);
    has('DSP10407', /data\.json/, '/srv/app/data.json');
    // Secrets: in the config, the history and the files, including one a later layer deleted
    has('DSP10101', /AWS_SECRET_ACCESS_KEY/);
    has('DSP10103', /GitLab/);
    has('DSP10104', /NPM_TOKEN=npm_\*+/);
    has('DSP10109', /SSH private key/, '/root/.ssh/id_rsa');
    has('DSP10110', /deleted by a later layer, but layer \d+ still ships it/, '/root/.aws/credentials');
    has('DSP10112', /GitHub token/, '/srv/app/config.js');
    has('DSP10112', /npm access token/, '/root/.npmrc');
    has('DSP10114', /registry login/, '/root/.docker/config.json');
    has('DSP10116', /SECRET_KEY=/, '/srv/app/.env');
    has('DSP10117', /keystore/, '/srv/app/keystore.p12');
    t.is(findings.filter((f) => f.policy === 'DSP10104').length, 1, 'the build argument is reported once, not on every RUN after it');
    t.false(findings.some((f) => f.policy === 'DSP10107' && pathOf(f) === '/etc/ssh/ssh_host_ed25519_key'), 'the host key is DSP10307\'s');
    // Own problems are own; the base's password rules stay inherited.
    t.false(findings.find((f) => f.policy === 'DSP10206')!.inherited);
    t.true(findings.filter((f) => f.policy === 'DSP10211' && pathOf(f) === '/etc/login.defs').every((f) => f.inherited));
  });
}

for (const format of ['table', 'json', 'sarif']) {
  test(`no planted secret is printed whole in ${format} output`, async (t) => {
    const r = await run(['check', '--format', format, ...PLANTED]);
    t.is(r.code, 1, r.stderr);
    const leaked = plantedSecrets().filter((s) => r.stdout.includes(s) || r.stderr.includes(s));
    t.deepEqual(leaked.map((s) => s.slice(0, 4) + '…'), []);
  });
}
