// A stored check result is reused only while everything it came from is the
// same: these cases change one input each and expect another slot or key.
import test from 'ava';
import { loadCatalog } from '../../../src/policies/catalog.js';
import type { EngineOptions } from '../../../src/policies/engine.js';
import { resultKeyOf, resultSlotOf, type ResultSlotInputs } from '../../../src/cli/result-key.js';
import { UNKNOWN_BOUNDARY } from '../../../src/image/boundary.js';
import type { BoundaryResult } from '../../../src/cli/find-boundary.js';

const catalog = loadCatalog();
const engine: EngineOptions = { failOn: 'high', now: new Date('2026-11-23T10:00:00Z') };
const inputs: ResultSlotInputs = {
  imageId: 'sha256:' + 'ab'.repeat(32),
  repoTags: ['app:1'],
  ref: 'app:1',
  policyIds: ['SQ40101', 'SQ40102'],
  catalog,
  engine,
  noLayers: false,
};
const slot = resultSlotOf(inputs);

test('the same inputs: the same slot (a re-check finds its result)', (t) => {
  t.is(resultSlotOf({ ...inputs, engine: { ...engine } }), slot);
  t.regex(slot, /^[0-9a-f]{64}$/);
});

const changes: Array<[string, Partial<ResultSlotInputs>]> = [
  ['another image', { imageId: 'sha256:' + 'cd'.repeat(32) }],
  ['another name given', { ref: 'app:latest' }],
  ['a tag added', { repoTags: ['app:1', 'app:latest'] }],
  ['a policy turned off', { policyIds: ['SQ40101'] }],
  ['--no-layers', { noLayers: true }],
  ['--quick (the merged filesystem, not the layers)', { quick: true }],
  ['--base-image', { baseImage: 'debian:12' }],
  ['a stricter --fail-on', { engine: { ...engine, failOn: 'medium' } }],
  ['inherited findings failing', { engine: { ...engine, inherited: 'fail' } }],
  ['a severity set in the configuration', { engine: { ...engine, policies: { SQ40101: { severity: 'low' } } } }],
  [
    'an exception added',
    { engine: { ...engine, exceptions: [{ policyText: 'SQ40101', policies: [{ from: 'SQ40101', to: 'SQ40101' }], reason: 'base image', source: 'x.yaml:3' }] as unknown as EngineOptions['exceptions'] } },
  ],
  ['the next day (exceptions expire by the day)', { engine: { ...engine, now: new Date('2026-11-24T00:00:01Z') } }],
  ['the catalog changed', { catalog: new Map([...catalog].map(([id, e]) => [id, id === 'SQ40101' ? { ...e, remediation: 'new words' } : e])) }],
];
for (const [what, change] of changes) {
  test(`${what}: another slot`, (t) => {
    t.not(resultSlotOf({ ...inputs, ...change }), slot);
  });
}

test('the boundary found this time is in the key: a new local base image makes the stored result stale', (t) => {
  const guessed: BoundaryResult = { boundary: UNKNOWN_BOUNDARY };
  const found: BoundaryResult = { boundary: { source: 'local-image', ownFrom: 3, base: 'debian:12' } };
  t.is(resultKeyOf(slot, guessed), resultKeyOf(slot, { boundary: UNKNOWN_BOUNDARY }));
  t.not(resultKeyOf(slot, guessed), resultKeyOf(slot, found));
});
