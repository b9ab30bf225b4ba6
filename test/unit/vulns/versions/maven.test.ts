import test from 'ava';
import { MAVEN } from '../../../../src/vulns/versions/maven.js';
import { assertAllEqual, assertAscending, assertVectors, type Vector } from './vectors.js';

// Maven 3.9's ComparableVersionTest.java,
// https://github.com/apache/maven/blob/maven-3.9.x/maven-artifact/src/test/java/org/apache/maven/artifact/versioning/ComparableVersionTest.java

// VERSIONS_QUALIFIER, in ascending order.
const VERSIONS_QUALIFIER = [
  '1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT',
  '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123',
];

// VERSIONS_NUMBER, in ascending order.
const VERSIONS_NUMBER = [
  '2.0', '2.0.a', '2-1', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2', '2.123', '11.a2', '11.a11',
  '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m',
];

// testVersionsEqual.
const EQUAL: Vector[] = [
  ['1', '=', '1.0'], ['1', '=', '1.0.0'], ['1.0', '=', '1.0.0'], ['1', '=', '1-0'], ['1', '=', '1.0-0'], ['1.0', '=', '1.0-0'],
  ['1a', '=', '1-a'], ['1a', '=', '1.0-a'], ['1a', '=', '1.0.0-a'], ['1.0a', '=', '1-a'], ['1.0.0a', '=', '1-a'],
  ['1x', '=', '1-x'], ['1x', '=', '1.0-x'], ['1x', '=', '1.0.0-x'], ['1.0x', '=', '1-x'], ['1.0.0x', '=', '1-x'],
  ['1ga', '=', '1'], ['1release', '=', '1'], ['1final', '=', '1'], ['1cr', '=', '1rc'],
  ['1a1', '=', '1-alpha-1'], ['1b2', '=', '1-beta-2'], ['1m3', '=', '1-milestone-3'],
  ['1X', '=', '1x'], ['1A', '=', '1a'], ['1B', '=', '1b'], ['1M', '=', '1m'], ['1Ga', '=', '1'], ['1GA', '=', '1'], ['1RELEASE', '=', '1'],
  ['1RELeaSE', '=', '1'], ['1Final', '=', '1'], ['1FINAL', '=', '1'], ['1Cr', '=', '1Rc'], ['1cR', '=', '1rC'],
  ['1m3', '=', '1Milestone3'], ['1m3', '=', '1MileStone3'], ['1m3', '=', '1MILESTONE3'],
];

// testVersionComparing, testLeadingZeroes, testMng5568, testMng6572, testMng6964.
const COMPARING: Vector[] = [
  ['1', '<', '2'], ['1.5', '<', '2'], ['1', '<', '2.5'], ['1.0', '<', '1.1'], ['1.1', '<', '1.2'], ['1.0.0', '<', '1.1'],
  ['1.0.1', '<', '1.1'], ['1.1', '<', '1.2.0'],
  ['1.0-alpha-1', '<', '1.0'], ['1.0-alpha-1', '<', '1.0-alpha-2'], ['1.0-alpha-1', '<', '1.0-beta-1'],
  ['1.0-beta-1', '<', '1.0-SNAPSHOT'], ['1.0-SNAPSHOT', '<', '1.0'], ['1.0-alpha-1-SNAPSHOT', '<', '1.0-alpha-1'],
  ['1.0', '<', '1.0-1'], ['1.0-1', '<', '1.0-2'], ['1.0.0', '<', '1.0-1'],
  ['2.0-1', '<', '2.0.1'], ['2.0.1-klm', '<', '2.0.1-lmn'], ['2.0.1', '<', '2.0.1-xyz'],
  ['2.0.1', '<', '2.0.1-123'], ['2.0.1-xyz', '<', '2.0.1-123'],
  ['0.7', '<', '2'], ['0.2', '<', '1.0.7'],
  ['6.1.0rc3', '<', '6.1.0'], ['6.1.0rc3', '<', '6.1H.5-beta'], ['6.1.0', '<', '6.1H.5-beta'],
  ['20190126.230843', '<', '1234567890.12345'], ['1234567890.12345', '<', '123456789012345.1H.5-beta'],
  ['123456789012345.1H.5-beta', '<', '12345678901234567890.1H.5-beta'], ['20190126.230843', '<', '12345678901234567890.1H.5-beta'],
  ['1-0.alpha', '<', '1'], ['1-0.beta', '<', '1'], ['1-0.alpha', '<', '1-0.beta'],
];

test('maven orders qualifiers: alpha < beta < milestone < rc = cr < snapshot < release < sp < unknown < numbers', (t) => {
  assertAscending(t, MAVEN, VERSIONS_QUALIFIER);
});

test('maven orders numbers, letters and sub-lists as VERSIONS_NUMBER', (t) => {
  assertAscending(t, MAVEN, VERSIONS_NUMBER);
});

test('maven treats trailing zeros, separators, aliases and case as equal (testVersionsEqual)', (t) => {
  assertVectors(t, MAVEN, EQUAL);
});

test('maven comparisons of testVersionComparing and the MNG regressions hold', (t) => {
  assertVectors(t, MAVEN, COMPARING);
});

test('maven leading zeros do not count, however many (testVersionEqualWithLeadingZeroes)', (t) => {
  assertAllEqual(t, MAVEN, Array.from({ length: 19 }, (_, i) => `${'0'.repeat(18 - i)}1`));
  assertAllEqual(t, MAVEN, Array.from({ length: 19 }, (_, i) => '0'.repeat(19 - i)));
});

// testMng7644: 1.0.0.X1 < 1.0.0-X2 and 2.0.X == 2-X == 2.0.0.X for any qualifier X.
test('maven reads ".X" as "-X" for any qualifier (MNG-7644)', (t) => {
  for (const x of ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC']) {
    assertVectors(t, MAVEN, [
      [`1.0.0.${x}1`, '<', `1.0.0-${x}2`],
      [`2-${x}`, '=', `2.0.${x}`],
      [`2-${x}`, '=', `2.0.0.${x}`],
      [`2.0.${x}`, '=', `2.0.0.${x}`],
    ]);
  }
});

test('maven: only empty or blank-containing strings are not versions', (t) => {
  t.true(MAVEN.valid('2.15.0-rc1'));
  for (const bad of ['', ' ', '1.0 beta']) t.false(MAVEN.valid(bad), JSON.stringify(bad));
});
