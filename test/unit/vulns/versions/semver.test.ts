import test from 'ava';
import { SEMVER } from '../../../../src/vulns/versions/semver.js';
import { InvalidVersion } from '../../../../src/vulns/versions/scheme.js';
import { assertVectors, type Vector } from './vectors.js';

// node-semver's test/fixtures/comparisons.js ([greater, lesser] pairs; the
// loose-only spellings are left out except for a leading `v`, which we accept),
// https://github.com/npm/node-semver/blob/main/test/fixtures/comparisons.js
const COMPARISONS: Vector[] = [
  ['0.0.0', '>', '0.0.0-foo'],
  ['0.0.1', '>', '0.0.0'],
  ['1.0.0', '>', '0.9.9'],
  ['0.10.0', '>', '0.9.0'],
  ['0.99.0', '>', '0.10.0'],
  ['2.0.0', '>', '1.2.3'],
  ['v0.0.0', '>', '0.0.0-foo'],
  ['v0.0.1', '>', '0.0.0'],
  ['v1.0.0', '>', '0.9.9'],
  ['v0.10.0', '>', '0.9.0'],
  ['v0.99.0', '>', '0.10.0'],
  ['v2.0.0', '>', '1.2.3'],
  ['0.0.0', '>', 'v0.0.0-foo'],
  ['0.0.1', '>', 'v0.0.0'],
  ['1.0.0', '>', 'v0.9.9'],
  ['0.10.0', '>', 'v0.9.0'],
  ['0.99.0', '>', 'v0.10.0'],
  ['2.0.0', '>', 'v1.2.3'],
  ['1.2.3', '>', '1.2.3-asdf'],
  ['1.2.3', '>', '1.2.3-4'],
  ['1.2.3', '>', '1.2.3-4-foo'],
  ['1.2.3-5-foo', '>', '1.2.3-5'],
  ['1.2.3-5', '>', '1.2.3-4'],
  ['1.2.3-5-foo', '>', '1.2.3-5-Foo'],
  ['3.0.0', '>', '2.7.2+asdf'],
  ['1.2.3-a.10', '>', '1.2.3-a.5'],
  ['1.2.3-a.b', '>', '1.2.3-a.5'],
  ['1.2.3-a.b', '>', '1.2.3-a'],
  ['1.2.3-a.b.c.10.d.5', '>', '1.2.3-a.b.c.5.d.100'],
  ['1.2.3-r2', '>', '1.2.3-r100'],
  ['1.2.3-r100', '>', '1.2.3-R2'],
];

// node-semver's test/fixtures/equality.js, strict entries and `v` prefixes,
// https://github.com/npm/node-semver/blob/main/test/fixtures/equality.js
const EQUALITY: Vector[] = [
  ['1.2.3', '=', 'v1.2.3'],
  ['1.2.3-0', '=', 'v1.2.3-0'],
  ['1.2.3-1', '=', 'v1.2.3-1'],
  ['1.2.3-beta', '=', 'v1.2.3-beta'],
  ['1.2.3-beta+build', '=', '1.2.3-beta+otherbuild'],
  ['1.2.3+build', '=', '1.2.3+otherbuild'],
];

test('semver orders versions as node-semver (comparisons.js vectors)', (t) => {
  assertVectors(t, SEMVER, COMPARISONS);
});

test('semver ignores build metadata and a leading v (equality.js vectors)', (t) => {
  assertVectors(t, SEMVER, EQUALITY);
});

test('semver is strict: loose spellings and partial versions are not versions', (t) => {
  for (const bad of ['=1.2.3', 'v 1.2.3', ' 1.2.3', '1.2', '1', '01.2.3', '1.2.3-01', 'not a version', '']) t.false(SEMVER.valid(bad), JSON.stringify(bad));
  t.true(SEMVER.valid('v1.2.3-rc.1+build.5'));
  t.throws(() => SEMVER.compare('1.2', '1.2.0'), { instanceOf: InvalidVersion });
});
