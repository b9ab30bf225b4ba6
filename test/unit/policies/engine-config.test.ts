// The configuration applied by the engine, on a realistic image: its own step
// exposes SSH and Telnet, its base image (inherited) exposes FTP, it runs as
// root and has no HEALTHCHECK. What the user sees changes with each setting.
import test from 'ava';
import { engineOptions, type FlagChoices } from '../../../src/config/effective.js';
import { parseConfig } from '../../../src/config/load.js';
import { loadCatalog } from '../../../src/policies/catalog.js';
import { judge, selectRules, type Judged } from '../../../src/policies/engine.js';
import { allRules } from '../../../src/policies/rules/index.js';
import { DEBIAN_BASE, makeFacts } from '../helpers/facts.js';

const catalog = loadCatalog();
const IDS = [...catalog.keys()];
const now = new Date('2026-11-23T12:00:00Z');

const image = makeFacts({
  repoTags: ['myorg/bastion:2.1'],
  config: { ExposedPorts: { '21/tcp': {}, '22/tcp': {}, '23/tcp': {} } },
  history: [
    ...DEBIAN_BASE,
    { createdBy: '/bin/sh -c #(nop)  EXPOSE 21/tcp', inherited: true },
    '/bin/sh -c #(nop)  EXPOSE 22/tcp 23/tcp',
  ],
});

function check(yaml: string, flags: FlagChoices = {}): Judged {
  const options = engineOptions(parseConfig(yaml, 'dsp.yaml', IDS), { now, ...flags });
  return judge(image, selectRules(allRules, options), catalog, options, 'myorg/bastion:2.1');
}

const verdicts = (j: Judged) => Object.fromEntries(j.findings.map((f) => [`${f.policy}${f.inherited ? ' (inherited)' : ''}`, `${f.severity} ${f.action}`]));

test('with no configuration: own high findings fail, medium warn, inherited warn', (t) => {
  t.deepEqual(verdicts(check('')), {
    SQ40104: 'high fail',
    SQ40105: 'high fail',
    'SQ40103 (inherited)': 'high warn',
    SQ40101: 'medium warn',
    SQ41101: 'low warn',
  });
});

test('action: off removes a policy; --policy on the command line brings it back', (t) => {
  t.false('SQ41101' in verdicts(check('policies:\n  SQ41101: { action: off }\n')));
  t.deepEqual(Object.keys(verdicts(check('policies:\n  SQ41101: { action: off }\n', { only: ['SQ41101'] }))), ['SQ41101']);
});

test('action: fail makes a medium policy fail; action: warn keeps a high one from failing', (t) => {
  const v = verdicts(check('policies:\n  SQ40101: { action: fail }\n  SQ40104: { action: warn }\n'));
  t.is(v.SQ40101, 'medium fail');
  t.is(v.SQ40104, 'high warn');
});

test('severity overrides change the reported severity and, through failOn, the action', (t) => {
  const v = verdicts(check('policies:\n  SQ40101: { severity: critical }\n  SQ40105: { severity: low }\n'));
  t.is(v.SQ40101, 'critical fail');
  t.is(v.SQ40105, 'low warn');
});

test('failOn from the file; --fail-on on the command line wins', (t) => {
  t.is(verdicts(check('failOn: low\n')).SQ41101, 'low fail');
  t.is(verdicts(check('failOn: low\n', { failOn: 'critical' })).SQ40104, 'high warn');
});

test('inherited: fail counts base-image findings like own ones; off drops them', (t) => {
  t.is(verdicts(check('inherited: fail\n'))['SQ40103 (inherited)'], 'high fail');
  t.false('SQ40103 (inherited)' in verdicts(check('inherited: off\n')));
  t.is(verdicts(check('inherited: off\n')).SQ40104, 'high fail', 'own findings are untouched');
});

test('--skip drops a policy whatever the file says', (t) => {
  t.false('SQ40104' in verdicts(check('policies:\n  SQ40104: { action: fail }\n', { skip: ['SQ40104'] })));
});

test('a matching exception moves the finding to suppressed, with its reason and where it is written', (t) => {
  const j = check('exceptions:\n  - policy: SQ40103-SQ40108\n    image: "myorg/bastion:*"\n    port: 22\n    reason: SSH is the product\n    expires: 2027-01-31\n');
  t.false('SQ40104' in verdicts(j));
  t.is(j.suppressed.length, 1);
  const [s] = j.suppressed;
  t.is(s.policy, 'SQ40104');
  t.deepEqual(s.exception, { reason: 'SSH is the product', expires: '2027-01-31', expired: false, source: 'dsp.yaml:2' });
  t.is(verdicts(j).SQ40105, 'high fail', 'port 23 is not covered');
});

test('an expired exception no longer applies: the finding fails again and says the exception expired', (t) => {
  const j = check('exceptions:\n  - policy: SQ40104\n    reason: temporary\n    expires: 2026-11-01\n');
  t.is(j.suppressed.length, 0);
  const f = j.findings.find((x) => x.policy === 'SQ40104');
  t.is(f?.action, 'fail');
  t.deepEqual(f?.exception, { reason: 'temporary', expires: '2026-11-01', expired: true, source: 'dsp.yaml:2' });
});

test('an exception for a different image leaves the finding alone', (t) => {
  const j = check('exceptions:\n  - policy: SQ40104\n    image: "myorg/web:*"\n    reason: r\n');
  t.is(j.suppressed.length, 0);
  t.is(j.findings.find((x) => x.policy === 'SQ40104')?.exception, undefined);
});
