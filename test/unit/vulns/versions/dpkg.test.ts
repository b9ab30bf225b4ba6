import test from 'ava';
import { DPKG } from '../../../../src/vulns/versions/dpkg.js';
import { InvalidVersion } from '../../../../src/vulns/versions/scheme.js';
import { assertVectors, type Vector } from './vectors.js';

// From dpkg's own test suite, scripts/t/Dpkg_Version.t (__DATA__ section),
// https://salsa.debian.org/dpkg-team/dpkg/-/blob/main/scripts/t/Dpkg_Version.t
const DPKG_VERSION_T: Vector[] = [
  ['1.0-1', '<', '2.0-2'],
  ['2.2~rc-4', '<', '2.2-1'],
  ['2.2-1', '>', '2.2~rc-4'],
  ['1.0000-1', '=', '1.0-1'],
  ['1', '=', '0:1'],
  ['0', '=', '0:0-0'],
  ['2:2.5', '>', '1:7.5'],
  ['1:0foo', '>', '0foo'],
  ['0:0foo', '=', '0foo'],
  ['0foo', '=', '0foo'],
  ['0foo-0', '=', '0foo'],
  ['0foo', '=', '0foo-0'],
  ['0foo', '>', '0fo'],
  ['0foo-0', '<', '0foo+'],
  ['0foo~1', '<', '0foo'],
  ['0foo~foo+Bar', '<', '0foo~foo+bar'],
  ['0foo~~', '<', '0foo~'],
  ['1~', '<', '1'],
  ['12345+that-really-is-some-ver-0', '<', '12345+that-really-is-some-ver-10'],
  ['0foo-0', '<', '0foo-01'],
  ['0foo.bar', '>', '0foobar'],
  ['0foo.bar', '>', '0foo1bar'],
  ['0foo.bar', '>', '0foo0bar'],
  ['0foo1bar-1', '<', '0foobar-1'],
  ['0foo2.0', '>', '0foo2'],
  ['0foo2.0.0', '<', '0foo2.10.0'],
  ['0foo2.0', '<', '0foo2.0.0'],
  ['0foo2.0', '<', '0foo2.10'],
  ['0foo2.1', '<', '0foo2.10'],
  ['1.09', '=', '1.9'],
  ['1.0.8+nmu1', '>', '1.0.8'],
  ['3.11', '>', '3.10+nmu1'],
  ['0.9j-20080306-4', '>', '0.9i-20070324-2'],
  ['1.2.0~b7-1', '>', '1.2.0~b6-1'],
  ['1.011-1', '>', '1.06-2'],
  ['0.0.9+dfsg1-1', '>', '0.0.8+dfsg1-3'],
  ['4.6.99+svn6582-1', '>', '4.6.99+svn6496-1'],
  ['53', '>', '52'],
  ['0.9.9~pre122-1', '>', '0.9.9~pre111-1'],
  ['2:2.3.2-2+lenny2', '>', '2:2.3.2-2'],
  ['1:3.8.1-1', '>', '3.8.GA-1'],
  ['1.0.1+gpl-1', '>', '1.0.1-2'],
  ['1a', '<', '1000a'],
];

// From lib/dpkg/t/t-version.c (test_version_compare, test_version_parse),
// https://salsa.debian.org/dpkg-team/dpkg/-/blob/main/lib/dpkg/t/t-version.c
const T_VERSION_C: Vector[] = [
  ['0:0-00', '=', '0:00-0'],
  ['1:2-3', '=', '1:2-3'],
  ['0:0-0', '<', '1:0-0'],
  ['0:a-0', '<', '0:b-0'],
  ['0:0-a', '<', '0:0-b'],
  ['0:0-0-0', '=', '0:0-0-0'],
  ['0:0:0-0', '<', '0:0:0-1'],
  ['  0:0-1', '=', '0:0-1'],
];

test('dpkg orders versions as dpkg itself does (Dpkg_Version.t vectors)', (t) => {
  assertVectors(t, DPKG, DPKG_VERSION_T);
});

test('dpkg epochs, hyphenated upstream versions and surrounding blanks follow t-version.c', (t) => {
  assertVectors(t, DPKG, T_VERSION_C);
});

test('a Debian security update with ~debNuM sorts below the next upload and above the previous one', (t) => {
  assertVectors(t, DPKG, [
    ['3.0.11-1~deb12u1', '<', '3.0.11-1~deb12u2'],
    ['3.0.11-1~deb12u2', '<', '3.0.11-1'],
    ['3.0.9-1', '<', '3.0.11-1~deb12u2'],
    ['1.2.3-4+deb12u1', '>', '1.2.3-4'],
  ]);
});

// Invalid strings from lib/dpkg/t/t-version.c test_version_parse.
test('strings dpkg refuses to parse are not versions, and comparing them throws InvalidVersion', (t) => {
  for (const bad of ['', '  ', '0:', ':1.0', '1.0-', '0:0 0-1', '-1:0-1', 'a:0-0', 'A:0-0', '-0', '0:-0', '0:0!-0', '0:0_-0', '0:0=-0']) {
    t.false(DPKG.valid(bad), JSON.stringify(bad));
  }
  t.true(DPKG.valid('1:2.36.1-8+deb12u1'));
  t.throws(() => DPKG.compare('1.0', ''), { instanceOf: InvalidVersion });
});
