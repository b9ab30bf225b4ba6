import test from 'ava';
import { PEP440 } from '../../../../src/vulns/versions/pep440.js';
import { InvalidVersion } from '../../../../src/vulns/versions/scheme.js';
import { assertAscending, assertVectors, type Vector } from './vectors.js';

// pypa/packaging tests/test_version.py `VERSIONS` ("This list must be in the
// correct sorting order"), the epoch-0 half and the epoch-1 half joined,
// https://github.com/pypa/packaging/blob/main/tests/test_version.py
const RELEASES = [
  '1.0.dev0', '1.0.dev456', '1.0.dev456+local', '1.0a0', '1.0a0.post0.dev0', '1.0a0.post0', '1.0a1.dev1', '1.0a1.dev1+local',
  '1.0a1', '1.0a1+local', '1.0b0', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456', '1.0b2.post345', '1.0b2-346', '1.0rc0',
  '1.0rc1.dev1', '1.0c1', '1.0rc2', '1.0', '1.0.post0.dev0', '1.0.post0', '1.0.post456.dev34', '1.0.post456', '1.0.post456+local',
  '1.0.1.dev1', '1.0.1a1', '1.0.1', '1.0.1+local', '1.0.1.post1', '1.1.dev1', '1.2+a', '1.2+abc', '1.2+abcdef', '1.2+def', '1.2+0',
  '1.2+1', '1.2+1.abc', '1.2+1.1', '1.2+1.1.0', '1.2+2', '1.2+123', '1.2+123456', '1.2.r32+123456', '1.2.rev33+123456',
];
const VERSIONS = [...RELEASES, ...RELEASES.map((v) => `1!${v}`)];

// test_normalized_versions in the same file: each spelling equals its normal form.
const NORMALISED: Vector[] = [
  ['1.0dev', '=', '1.0.dev0'],
  ['1.0-DEV1', '=', '1.0.dev1'],
  ['1.0.alpha1', '=', '1.0a1'],
  ['1.0-B', '=', '1.0b0'],
  ['1.0c', '=', '1.0rc0'],
  ['1.0-C1', '=', '1.0rc1'],
  ['1.0post', '=', '1.0.post0'],
  ['1.0-5', '=', '1.0.post5'],
  ['1.0-rev5', '=', '1.0.post5'],
  ['1.0+AbC', '=', '1.0+abc'],
  ['1.01', '=', '1.1'],
  ['1.0c056', '=', '1.0rc56'],
  ['00!1.2', '=', '1.2'],
  ['v1.0', '=', '1.0'],
];

test('pep440 orders the packaging VERSIONS list ascending, epochs over everything', (t) => {
  assertAscending(t, PEP440, VERSIONS);
});

test('pep440 spellings equal their normal forms (test_normalized_versions)', (t) => {
  assertVectors(t, PEP440, [...NORMALISED, ['1.0', '=', '1.0.0'], ['2.0.0', '>', '2.0rc1']]);
});

// test_invalid_versions in the same file.
test('pep440 refuses what packaging refuses', (t) => {
  for (const bad of ['french toast', '1.0+a+', '1.0++', '1.0+_foobar', '1.0+foo&asd', '1.0+1+1', '1. 0', '1.0 a1', '.', '1..0', '1.0.', '.1.0']) {
    t.false(PEP440.valid(bad), bad);
  }
  t.throws(() => PEP440.compare('1.0', 'french toast'), { instanceOf: InvalidVersion });
});
