import test from 'ava';
import type { ImageFacts } from '../../../src/image/facts.js';
import { fileIndexOf } from '../../../src/image/merge.js';
import { UNKNOWN_BOUNDARY } from '../../../src/image/boundary.js';
import type { PolicyEntry } from '../../../src/policies/catalog.js';
import { combinedNeeds, evaluate, selectRules } from '../../../src/policies/engine.js';
import type { RawFinding, Rule, Severity } from '../../../src/policies/rule.js';
import { makeFacts } from '../helpers/facts.js';

function facts(): ImageFacts {
  return {
    id: 'sha256:' + 'a'.repeat(64),
    repoTags: ['app:1'],
    os: 'linux',
    config: {},
    history: [],
    layers: [],
    files: fileIndexOf([]),
    layersRead: true,
    contents: new Map(),
    scanHits: [],
    baseBoundary: UNKNOWN_BOUNDARY,
    dockerfileLines: new Map([[3, { path: 'Dockerfile', line: 7 }]]),
  };
}

function entry(id: string, severity: Severity): PolicyEntry {
  return {
    id,
    title: `title of ${id}`,
    severity,
    priority: 'P1',
    effort: 'low',
    category: 'Container Security',
    description: 'd',
    remediation: `fix ${id}`,
    references: [],
  };
}

const catalog = new Map([
  ['HIGH1', entry('HIGH1', 'high')],
  ['MED1', entry('MED1', 'medium')],
  ['LOW1', entry('LOW1', 'low')],
]);

function ruleEmitting(raws: RawFinding[], needs: Rule['needs'] = {}): Rule {
  return { ids: [...new Set(raws.map((r) => r.policy))], needs, evaluate: () => raws };
}

const at = { kind: 'history' as const, index: 3, instruction: 'EXPOSE 22/tcp' };

test('an own high finding fails at the default threshold; medium and low warn', (t) => {
  const rule = ruleEmitting([
    { policy: 'HIGH1', message: 'h', location: at, inherited: false },
    { policy: 'MED1', message: 'm', location: at, inherited: false },
    { policy: 'LOW1', message: 'l', location: at, inherited: false },
  ]);
  const findings = evaluate(facts(), [rule], catalog, { failOn: 'high' });
  t.deepEqual(
    findings.map((f) => [f.policy, f.action]),
    [['HIGH1', 'fail'], ['MED1', 'warn'], ['LOW1', 'warn']],
  );
});

test('--fail-on low makes every own finding fail', (t) => {
  const rule = ruleEmitting([{ policy: 'LOW1', message: 'l', location: at, inherited: false }]);
  t.is(evaluate(facts(), [rule], catalog, { failOn: 'low' })[0].action, 'fail');
});

test('inherited findings and warn-only findings never fail, but are reported', (t) => {
  const rule = ruleEmitting([
    { policy: 'HIGH1', message: 'from base', location: at, inherited: true },
    { policy: 'HIGH1', message: 'boundary unknown', location: at, inherited: false, warnOnly: true },
  ]);
  const findings = evaluate(facts(), [rule], catalog, { failOn: 'low' });
  t.deepEqual(findings.map((f) => f.action), ['warn', 'warn']);
  t.true(findings.some((f) => f.inherited));
});

test('findings carry the catalog words and the Dockerfile line of their step', (t) => {
  const rule = ruleEmitting([{ policy: 'MED1', message: 'm', location: at, inherited: false }]);
  const [f] = evaluate(facts(), [rule], catalog, { failOn: 'high' });
  t.is(f.title, 'title of MED1');
  t.is(f.remediation, 'fix MED1');
  t.deepEqual(f.location, { ...at, dockerfile: { path: 'Dockerfile', line: 7 } });
});

test('--policy and --skip select rules and drop findings of other policies', (t) => {
  const family = ruleEmitting([
    { policy: 'HIGH1', message: 'h', location: at, inherited: false },
    { policy: 'MED1', message: 'm', location: at, inherited: false },
  ]);
  const low = ruleEmitting([{ policy: 'LOW1', message: 'l', location: at, inherited: false }]);
  t.deepEqual(selectRules([family, low], { only: new Set(['MED1']) }), [family]);
  const findings = evaluate(facts(), [family], catalog, { failOn: 'high', skip: new Set(['HIGH1']) });
  t.deepEqual(findings.map((f) => f.policy), ['MED1']);
});

test('the needs of the selected rules are merged', (t) => {
  const a = ruleEmitting([], { contents: ['/etc/passwd'] });
  const b = ruleEmitting([], { files: true, contents: ['/etc/passwd', '/etc/group'] });
  const scanner = { id: 'secrets', version: 1, maxBytes: 10, wants: () => true, scan: () => [] };
  const c = ruleEmitting([], { scanners: [scanner] });
  const d = ruleEmitting([], { scanners: [scanner] });
  t.deepEqual(combinedNeeds([a, b, c, d]), { files: true, contents: ['/etc/passwd', '/etc/group'], scanners: [scanner] });
  t.deepEqual(combinedNeeds([]), { files: false, contents: [], scanners: [] });
});

test('a rule reporting a policy without catalog words is a programming error', (t) => {
  const rule = ruleEmitting([{ policy: 'NOPE', message: 'x', location: at, inherited: false }]);
  t.throws(() => evaluate(facts(), [rule], catalog, { failOn: 'high' }), { message: /NOPE/ });
});

test('a secret the image shows in its history is masked in every finding, whichever rule prints the step', (t) => {
  const step = 'RUN |1 NPM_TOKEN=npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c /bin/sh -c npm ci # buildkit';
  const facts = makeFacts({ history: [step] });
  const rule = ruleEmitting([
    { policy: 'HIGH1', message: `step 0 (${facts.history[0]!.createdBy})`, location: { kind: 'history', index: 0, instruction: facts.history[0]!.createdBy }, inherited: false },
  ]);
  const [f] = evaluate(facts, [rule], catalog, { failOn: 'high' });
  t.false(JSON.stringify(f).includes('npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c'));
  t.regex(f!.message, /NPM_TOKEN=npm_\*+ /);
  t.regex(f!.location.kind === 'history' ? f!.location.instruction : '', /NPM_TOKEN=npm_\*+ /);
});
