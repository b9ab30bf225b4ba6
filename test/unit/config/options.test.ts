// Policy options: declared with defaults in policies/<ID>.yaml, set per policy
// in the configuration, validated with the file's line and column, read by rules.
import test from 'ava';
import { mergeConfigs, parseConfig } from '../../../src/config/load.js';
import { parseEntry } from '../../../src/policies/catalog.js';
import { ruleContext } from '../../../src/policies/engine.js';
import type { OptionSpecs } from '../../../src/policies/options.js';

const SPECS: OptionSpecs = {
  DSP10210: {
    maxDays: { default: 90, description: 'Longest a password may stay valid, in days.', min: 1 },
    ignore: { default: [], description: 'Account names not to judge.' },
  },
};
const IDS = ['SQ40101', 'DSP10210'];
const parse = (text: string) => parseConfig(text, 'dsp.yaml', IDS, SPECS);

test('a policy\'s options are read from the configuration', (t) => {
  const c = parse('policies:\n  DSP10210:\n    action: warn\n    options:\n      maxDays: 60\n      ignore: [svc]\n');
  t.deepEqual(c.policies.DSP10210, { action: 'warn', options: { maxDays: 60, ignore: ['svc'] } });
});

test('a wrong option value names the line, the column and what is expected', (t) => {
  t.throws(() => parse('policies:\n  DSP10210:\n    options:\n      maxDays: soon\n'), {
    message: 'dsp.yaml:4:16: expected Longest a password may stay valid, in days (an integer, at least 1) (got "soon")',
  });
  t.throws(() => parse('policies:\n  DSP10210:\n    options:\n      maxDays: 0\n'), { message: /^dsp\.yaml:4:16: expected .*at least 1/ });
});

test('an unknown option is an error that lists the policy\'s options; a policy without options takes none', (t) => {
  t.throws(() => parse('policies:\n  DSP10210:\n    options:\n      maxAge: 60\n'), {
    message: 'dsp.yaml:4:7: unknown key "maxAge"; expected one of: maxDays, ignore',
  });
  t.throws(() => parse('policies:\n  SQ40101:\n    options:\n      x: 1\n'), { message: /^dsp\.yaml:3:5: unknown key "options"; expected one of: action, severity$/ });
});

test('a later file overrides single options and keeps the rest', (t) => {
  const user = parse('policies:\n  DSP10210:\n    options:\n      maxDays: 60\n      ignore: [svc]\n');
  const project = parse('policies:\n  DSP10210:\n    severity: low\n    options:\n      maxDays: 30\n');
  t.deepEqual(mergeConfigs(user, project).policies.DSP10210, { severity: 'low', options: { maxDays: 30, ignore: ['svc'] } });
});

const YAML_HEAD = `id: DSP10210
title: Passwords stay valid too long
severity: medium
priority: P2
effort: low
category: Accounts
description: x
remediation: y
references: [https://example.com]
`;

test('rules read the declared defaults, overridden by the configuration', (t) => {
  const entry = parseEntry('DSP10210.yaml', 'DSP10210.yaml', YAML_HEAD + 'options:\n  maxDays:\n    default: 90\n    description: Days.\n  strict:\n    default: false\n    description: Strict.\n');
  const context = ruleContext(new Map([[entry.id, entry]]), { policies: { DSP10210: { options: { maxDays: 30 } } } });
  t.deepEqual(context.options('DSP10210'), { maxDays: 30, strict: false });
  t.deepEqual(context.options('SQ40101'), {}, 'a policy without options has none');
});

for (const [what, options, message] of [
  ['a default of no known type', 'options:\n  a:\n    default: {x: 1}\n    description: d\n', /"options\.a\.default" must be a number, string, boolean or list of strings/],
  ['no description', 'options:\n  a:\n    default: 1\n', /"options\.a\.description" must be a non-empty string/],
  ['bounds on a string', 'options:\n  a:\n    default: x\n    description: d\n    min: 1\n', /"options\.a\.min" must be a number, on a number option/],
  ['an unknown field', 'options:\n  a:\n    default: 1\n    description: d\n    step: 2\n', /"options\.a" has unknown field step/],
  ['a name that is not camelCase', 'options:\n  max-days:\n    default: 1\n    description: d\n', /option "max-days" must be a camelCase name/],
] as const) {
  test(`a catalog option with ${what} is rejected, naming the file`, (t) => {
    t.throws(() => parseEntry('DSP10210.yaml', 'DSP10210.yaml', YAML_HEAD + options), { message: new RegExp('^DSP10210\\.yaml: ' + message.source.replace(/^\^/, '')) });
  });
}
