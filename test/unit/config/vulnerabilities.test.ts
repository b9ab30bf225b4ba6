// The configuration's vulnerability settings and the exceptions that name an advisory or a package.
import test from 'ava';
import { mergeConfigs, parseConfig } from '../../../src/config/load.js';
import { matchException } from '../../../src/config/exceptions.js';

const IDS = ['SQ40101', 'DSP10501', 'DSP10502'];
const parse = (text: string, file = '/work/proj/dsp.yaml') => parseConfig(text, file, IDS);
const NOW = new Date('2026-11-23T12:00:00Z');
const IMAGE = { repoTags: ['app:1'] };
const lodash = { policy: 'DSP10501', subject: { path: '/app/node_modules/lodash/package.json', package: 'lodash', purl: 'pkg:npm/lodash@4.17.20', advisory: 'CVE-2021-23337', aliases: ['GHSA-35jh-r3h4-6jhm'] } };

test('vulnerabilities: enabled and db are read; a relative db is resolved against the file', (t) => {
  const c = parse('vulnerabilities:\n  enabled: true\n  db: osv\n');
  t.deepEqual(c.vulnerabilities, { enabled: true, db: '/work/proj/osv' });
});

test('a later file overrides vulnerabilities field by field', (t) => {
  const merged = mergeConfigs(parse('vulnerabilities:\n  enabled: true\n  db: /a\n'), parse('vulnerabilities:\n  db: /b\n'));
  t.deepEqual(merged.vulnerabilities, { enabled: true, db: '/b' });
});

test('a wrong vulnerabilities value names the line and what is expected', (t) => {
  t.throws(() => parse('vulnerabilities:\n  enabled: yes please\n', 'dsp.yaml'), { message: /^dsp\.yaml:2:12: expected true or false/ });
  t.throws(() => parse('vulnerabilities:\n  db2: x\n', 'dsp.yaml'), { message: /^dsp\.yaml:2:3: .*db2/ });
});

test('an exception by advisory ID covers the finding whether it names the ID or an alias, case-insensitively', (t) => {
  for (const advisory of ['CVE-2021-23337', 'ghsa-35jh-r3h4-6jhm']) {
    const c = parse(`exceptions:\n  - policy: DSP10501\n    advisory: ${advisory}\n    reason: not reachable\n`);
    t.truthy(matchException(lodash, IMAGE, c.exceptions, NOW).active, advisory);
  }
  const other = parse('exceptions:\n  - policy: DSP10501\n    advisory: CVE-2020-1\n    reason: x\n');
  t.falsy(matchException(lodash, IMAGE, other.exceptions, NOW).active);
});

test('an exception by package takes a name glob or a purl prefix, and never covers findings without a package', (t) => {
  const covers = (selector: string) => {
    const c = parse(`exceptions:\n  - policy: [DSP10501, DSP10502]\n    package: "${selector}"\n    reason: x\n`);
    return matchException(lodash, IMAGE, c.exceptions, NOW).active !== undefined;
  };
  t.true(covers('lodash'));
  t.true(covers('lod*'));
  t.true(covers('pkg:npm/lodash'));
  t.true(covers('pkg:npm/lodash@4.17.20'));
  t.false(covers('pkg:npm/lodash-es'));
  t.false(covers('pkg:npm/lo'));
  t.false(covers('underscore'));
  const c = parse('exceptions:\n  - policy: SQ40101\n    package: "*"\n    reason: x\n');
  t.falsy(matchException({ policy: 'SQ40101' }, IMAGE, c.exceptions, NOW).active);
});

test('an expired vulnerability exception stops applying and is reported as expired', (t) => {
  const c = parse('exceptions:\n  - policy: DSP10501\n    advisory: CVE-2021-23337\n    reason: x\n    expires: 2026-01-01\n');
  const m = matchException(lodash, IMAGE, c.exceptions, NOW);
  t.falsy(m.active);
  t.truthy(m.expired);
});
