// The configuration file: what it accepts, how files merge, and how every
// mistake is reported (FILE:LINE:COL and what is expected).
import test from 'ava';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/errors.js';
import { configFiles, loadConfig, mergeConfigs, parseConfig, userConfigPath } from '../../../src/config/load.js';
import { loadCatalog } from '../../../src/policies/catalog.js';

const IDS = [...loadCatalog().keys()];
const parse = (text: string) => parseConfig(text, 'dsp.yaml', IDS);

function errorOf(text: string): string {
  const err = (() => {
    try {
      parse(text);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError for:\n${text}`);
  return err.message;
}

test('an empty file, or one with only comments, changes nothing', (t) => {
  for (const text of ['', '# nothing yet\n', 'version: 1\npolicies:\nexceptions:\n']) {
    const c = parse(text);
    t.deepEqual(c.policies, {});
    t.deepEqual(c.exceptions, []);
    t.is(c.failOn, undefined);
    t.is(c.inherited, undefined);
  }
});

test('failOn, inherited and per-policy action and severity are read', (t) => {
  const c = parse(`failOn: medium
inherited: off
policies:
  SQ41101: { action: off }
  SQ40101:
    severity: critical
    action: fail
`);
  t.is(c.failOn, 'medium');
  t.is(c.inherited, 'off');
  t.deepEqual(c.policies, { SQ41101: { action: 'off' }, SQ40101: { severity: 'critical', action: 'fail' } });
});

test('an exception keeps its policies, image, path or port, reason, expiry and where it is written', (t) => {
  const c = parse(`exceptions:
  - policy: SQ40103-SQ40108
    image: "myorg/bastion:*"
    port: 22/tcp
    reason: SSH is the product
    expires: 2027-03-31
  - policy: [SQ40102, SQ41102]
    path: /usr/bin/*
    reason: base image tools
`);
  t.is(c.exceptions.length, 2);
  const [ssh, files] = c.exceptions;
  t.deepEqual(ssh.policies, [{ prefix: 'SQ', from: 40103, to: 40108 }]);
  t.is(ssh.image, 'myorg/bastion:*');
  t.deepEqual(ssh.port, { from: 22, to: 22, protocol: 'tcp' });
  t.is(ssh.reason, 'SSH is the product');
  t.is(ssh.expires, '2027-03-31');
  t.is(ssh.source, 'dsp.yaml:2');
  t.is(files.policyText, 'SQ40102, SQ41102');
  t.is(files.path, '/usr/bin/*');
  t.is(files.source, 'dsp.yaml:7');
});

test('YAML syntax errors give the line and column', (t) => {
  t.regex(errorOf('failOn: high\npolicies:\n  SQ41101: { action: off\n'), /^dsp\.yaml:\d+:\d+: invalid YAML: /);
  t.regex(errorOf('failOn: high\nfailOn: low\n'), /^dsp\.yaml:2:1: invalid YAML: .*unique/i);
});

test('an unknown policy ID under policies is an error at its key, pointing at the list of policies', (t) => {
  t.regex(errorOf('policies:\n  SQ41101: { action: off }\n  SQ49999: { action: off }\n'), /^dsp\.yaml:3:3: unknown policy ID "SQ49999"; `docker securitypolicy policies` lists them$/);
});

test('an unknown policy ID in an exception is an error at the ID', (t) => {
  t.regex(errorOf('exceptions:\n  - policy: SQ49999\n    reason: r\n'), /^dsp\.yaml:2:13: unknown policy ID SQ49999/);
  t.regex(errorOf('exceptions:\n  - policy: [SQ40104, SQ49999]\n    reason: r\n'), /^dsp\.yaml:2:23: unknown policy ID SQ49999/);
});

test('a range must run upwards, within one prefix, and cover a known policy', (t) => {
  t.regex(errorOf('exceptions:\n  - policy: SQ40108-SQ40103\n    reason: r\n'), /^dsp\.yaml:2:13: the range SQ40108-SQ40103 runs backwards/);
  t.regex(errorOf('exceptions:\n  - policy: SQ50000-SQ50100\n    reason: r\n'), /^dsp\.yaml:2:13: the range SQ50000-SQ50100 covers no known policy/);
  t.regex(errorOf('exceptions:\n  - policy: SQ40103-XY40108\n    reason: r\n'), /^dsp\.yaml:2:13: "SQ40103-XY40108" is not a policy ID or range/);
});

test('a bad date is an error at the date, saying the format', (t) => {
  t.regex(errorOf('exceptions:\n  - policy: SQ40104\n    reason: r\n    expires: 2027-02-30\n'), /^dsp\.yaml:4:14: expected a date as YYYY-MM-DD \(got "2027-02-30"\)/);
  t.regex(errorOf('exceptions:\n  - policy: SQ40104\n    reason: r\n    expires: next week\n'), /^dsp\.yaml:4:14: expected a date as YYYY-MM-DD/);
});

test('wrong types and values say what is expected', (t) => {
  t.regex(errorOf('failOn: severe\n'), /^dsp\.yaml:1:9: expected the severity from which findings fail: critical, high, medium, low \(got "severe"\)/);
  t.regex(errorOf('inherited: yes\n'), /^dsp\.yaml:1:12: expected how base-image findings count: fail, warn, off/);
  t.regex(errorOf('policies:\n  SQ41101: { action: ignore }\n'), /^dsp\.yaml:2:22: expected an action: fail, warn, off \(got "ignore"\)/);
  t.regex(errorOf('policies:\n  SQ41101: { severity: 3 }\n'), /^dsp\.yaml:2:24: expected a severity: critical, high, medium, low \(got 3\)/);
  t.regex(errorOf('policies: [SQ41101]\n'), /^dsp\.yaml:1:11: expected a mapping from policy ID/);
  t.regex(errorOf('exceptions:\n  policy: SQ40104\n'), /^dsp\.yaml:2:3: expected a list of exceptions/);
  t.regex(errorOf('- a\n- b\n'), /^dsp\.yaml:1:1: expected a mapping with failOn/);
  t.regex(errorOf('failon: high\n'), /^dsp\.yaml:1:1: unknown key "failon"; expected one of: version, failOn, inherited, policies, exceptions/);
});

test('an exception needs a policy and a reason, and takes path or port but not both', (t) => {
  t.regex(errorOf('exceptions:\n  - policy: SQ40104\n'), /^dsp\.yaml:2:5: missing "reason"/);
  t.regex(errorOf('exceptions:\n  - reason: r\n'), /^dsp\.yaml:2:5: missing "policy"/);
  t.regex(errorOf('exceptions:\n  - policy: SQ40104\n    reason: "  "\n'), /^dsp\.yaml:3:13: expected a reason/);
  t.regex(errorOf('exceptions:\n  - policy: SQ40104\n    reason: r\n    port: 22\n    path: /x\n'), /^dsp\.yaml:2:5: expected either path .* or port .*, not both/);
  t.regex(errorOf('exceptions:\n  - policy: SQ40104\n    reason: r\n    port: 70000\n'), /^dsp\.yaml:4:11: expected a port such as 22/);
  t.regex(errorOf('exceptions:\n  - policy: SQ40104\n    reason: r\n    path: usr/bin\n'), /^dsp\.yaml:4:11: expected an absolute path glob/);
  t.regex(errorOf('exceptions:\n  - policy: SQ40104\n    reason: r\n    ports: 22\n'), /^dsp\.yaml:4:5: unknown key "ports"; expected one of: policy, image, path, port, advisory, package, reason, expires/);
});

test('several mistakes: the first in the file is reported, with a count of the rest', (t) => {
  t.regex(errorOf('failOn: severe\ninherited: yes\n'), /^dsp\.yaml:1:9: .*\(and 1 more problem\)$/);
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dsp-config-'));
}

test('merge order: the user file under the project file; exceptions from both apply, project first', (t) => {
  const home = tempDir();
  const cwd = tempDir();
  const env = { XDG_CONFIG_HOME: join(home, 'xdg') };
  mkdirSync(join(home, 'xdg', 'docker-security-policy'), { recursive: true });
  writeFileSync(
    userConfigPath(env),
    'failOn: medium\ninherited: fail\npolicies:\n  SQ41101: { action: off, severity: low }\nexceptions:\n  - policy: SQ40101\n    reason: user-wide\n',
  );
  writeFileSync(join(cwd, 'docker-security-policy.yaml'), 'failOn: critical\npolicies:\n  SQ41101: { action: warn }\nexceptions:\n  - policy: SQ40104\n    reason: project\n');
  const c = loadConfig({ cwd, env }, IDS);
  t.is(c.failOn, 'critical', 'project wins over user');
  t.is(c.inherited, 'fail', 'what the project does not say comes from the user file');
  t.deepEqual(c.policies.SQ41101, { action: 'warn', severity: 'low' }, 'per-field merge');
  t.deepEqual(c.exceptions.map((e) => e.reason), ['project', 'user-wide']);
  t.is(c.files.length, 2);
});

test('--config replaces the working-directory file; a missing --config file is an error, missing defaults are not', (t) => {
  const cwd = tempDir();
  const env = { XDG_CONFIG_HOME: join(tempDir(), 'none') };
  writeFileSync(join(cwd, 'docker-security-policy.yaml'), 'failOn: low\n');
  writeFileSync(join(cwd, 'ci.yaml'), 'failOn: critical\n');
  t.is(loadConfig({ cwd, env, explicit: 'ci.yaml' }, IDS).failOn, 'critical');
  t.deepEqual(configFiles({ cwd, env, explicit: 'ci.yaml' }), [join(cwd, 'ci.yaml')]);
  t.throws(() => loadConfig({ cwd, env, explicit: 'missing.yaml' }, IDS), { message: /^missing\.yaml:1:1: no such file/ });
  t.deepEqual(loadConfig({ cwd: tempDir(), env }, IDS).files, []);
});

test('errors in a file found in the working directory name it relative to it', (t) => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'docker-security-policy.yaml'), 'failOn: nope\n');
  t.throws(() => loadConfig({ cwd, env: { XDG_CONFIG_HOME: join(cwd, 'x') } }, IDS), {
    message: /^docker-security-policy\.yaml:1:9: expected the severity/,
  });
});

test('mergeConfigs keeps the lower layer where the upper says nothing', (t) => {
  const under = parse('failOn: low\n');
  const over = parse('inherited: off\n');
  const m = mergeConfigs(under, over);
  t.is(m.failOn, 'low');
  t.is(m.inherited, 'off');
});

test('the hook section: budget and showClean, validated, merged field by field', (t) => {
  const c = parse('hook:\n  budgetSeconds: 4.5\n  showClean: true\n');
  t.deepEqual(c.hook, { budgetSeconds: 4.5, showClean: true });
  t.is(parse('hook:\n').hook, undefined);
  t.regex(errorOf('hook:\n  budgetSeconds: 0\n'), /^dsp\.yaml:2:18: expected the seconds the post-build hook may take: a number above 0, at most 600 \(got 0\)/);
  t.regex(errorOf('hook:\n  showClean: yes please\n'), /^dsp\.yaml:2:14: expected true or false/);
  t.regex(errorOf('hook:\n  budget: 3\n'), /^dsp\.yaml:2:3: unknown key "budget"; expected one of: budgetSeconds, showClean/);
  const user = parse('hook:\n  budgetSeconds: 20\n  showClean: true\n');
  const project = parse('hook:\n  budgetSeconds: 5\n');
  t.deepEqual(mergeConfigs(user, project).hook, { budgetSeconds: 5, showClean: true });
  t.is(mergeConfigs(parse(''), parse('')).hook, undefined);
});
