import test from 'ava';
import { GO } from '../../../../src/vulns/versions/go.js';
import { InvalidVersion } from '../../../../src/vulns/versions/scheme.js';
import { assertAllEqual, assertAscending } from './vectors.js';

// golang.org/x/mod semver/semver_test.go `tests`: valid versions in
// ascending order; versions with the same canonical form are grouped (equal).
// https://github.com/golang/mod/blob/master/semver/semver_test.go
const ASCENDING_GROUPS: string[][] = [
  ['v1.0.0-alpha'],
  ['v1.0.0-alpha.1'],
  ['v1.0.0-alpha.beta'],
  ['v1.0.0-beta'],
  ['v1.0.0-beta.2'],
  ['v1.0.0-beta.11'],
  ['v1.0.0-rc.1'],
  ['v1', 'v1.0', 'v1.0.0'],
  ['v1.2', 'v1.2.0'],
  ['v1.2.3-456'],
  ['v1.2.3-456.789'],
  ['v1.2.3-456-789'],
  ['v1.2.3-456a'],
  ['v1.2.3-pre', 'v1.2.3-pre+meta'],
  ['v1.2.3-pre.1'],
  ['v1.2.3-zzz'],
  ['v1.2.3', 'v1.2.3+meta', 'v1.2.3+meta-pre', 'v1.2.3+meta-pre.sha.256a'],
];
const INVALID = ['bad', 'v1-alpha.beta.gamma', 'v1-pre', 'v1+meta', 'v1-pre+meta', 'v1.2-pre', 'v1.2+meta', 'v1.2-pre+meta'];

// golang.org/x/mod module/pseudo_test.go `pseudoTests`: each pseudo-version
// (right) follows the tagged version it was derived from (left).
// https://github.com/golang/mod/blob/master/module/pseudo_test.go
const PSEUDO: Array<[older: string, pseudo: string]> = [
  ['v0.0.0', 'v0.0.1-0.20060102150405-hash'],
  ['v1.2.3', 'v1.2.4-0.20060102150405-hash'],
  ['v1.2.3-pre', 'v1.2.3-pre.0.20060102150405-hash'],
  ['v1.3.0-pre', 'v1.3.0-pre.0.20060102150405-hash'],
  ['v1.0.0+metadata', 'v1.0.1-0.20060102150405-hash+metadata'],
  ['v2.0.0+incompatible', 'v2.0.1-0.20060102150405-hash+incompatible'],
  ['v2.3.0-pre+incompatible', 'v2.3.0-pre.0.20060102150405-hash+incompatible'],
];

test('go orders versions as golang.org/x/mod/semver, shorthands equal to their canonical form', (t) => {
  assertAscending(t, GO, ASCENDING_GROUPS.map((group) => group[0] ?? ''));
  for (const group of ASCENDING_GROUPS) assertAllEqual(t, GO, group);
});

test('go pseudo-versions sort after the version they derive from and before the next release', (t) => {
  for (const [older, pseudo] of PSEUDO) t.true(GO.compare(older, pseudo) < 0, `${older} < ${pseudo}`);
  t.true(GO.compare('v1.2.4-0.20060102150405-hash', 'v1.2.4') < 0);
  t.true(GO.compare('v0.0.0-20060102150405-hash', 'v0.0.1') < 0);
  t.true(GO.compare('v0.0.0-20060102150405-abcdef', 'v0.0.0-20070102150405-abcdef') < 0, 'later commits are newer');
});

test('go accepts the versions OSV writes without v, and refuses what x/mod/semver refuses', (t) => {
  t.is(GO.compare('1.2.3', 'v1.2.3'), 0);
  t.true(GO.compare('0.0.0-20220315160706-3147a52a75dd', 'v0.0.0-20220314234659-1baeb1ce4c0b') > 0);
  for (const bad of INVALID) t.false(GO.valid(bad), bad);
  t.throws(() => GO.compare('v1.2-pre', 'v1.2.0'), { instanceOf: InvalidVersion });
});
