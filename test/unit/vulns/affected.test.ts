import test from 'ava';
import { matchAffected } from '../../../src/vulns/affected.js';
import type { OsvAffected, OsvEvent } from '../../../src/vulns/osv.js';
import { APK, DPKG, GO, MAVEN, PEP440, RPM, SEMVER } from '../../../src/vulns/versions/index.js';

const ecosystemRange = (...events: OsvEvent[]): OsvAffected => ({ ranges: [{ type: 'ECOSYSTEM', events }] });

test('dpkg: affected from introduced up to, not including, fixed, on both sides of each boundary', (t) => {
  const affected = ecosystemRange({ introduced: '3.0.0-1' }, { fixed: '3.0.11-1~deb12u2' });
  const verdicts = ['2.9.9-9', '3.0.0-1~rc1', '3.0.0-1', '3.0.9-1', '3.0.11-1~deb12u1', '3.0.11-1~deb12u2', '3.0.11-1', '1:1.0-1'].map(
    (v) => matchAffected(affected, v, DPKG).affected,
  );
  t.deepEqual(verdicts, [false, false, true, true, true, false, false, false]);
  t.deepEqual(matchAffected(affected, '3.0.9-1', DPKG), { affected: true, fixed: '3.0.11-1~deb12u2', range: 'introduced 3.0.0-1, fixed 3.0.11-1~deb12u2' });
});

test('introduced 0 means from the very first version', (t) => {
  const affected = ecosystemRange({ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' });
  t.deepEqual(matchAffected(affected, '0~0-0', DPKG), { affected: true, fixed: '3.0.11-1~deb12u2', range: 'introduced 0, fixed 3.0.11-1~deb12u2' });
  t.false(matchAffected(affected, '3.0.11-1~deb12u2', DPKG).affected);
});

test('apk: revisions and pre-release suffixes count at the boundaries', (t) => {
  const affected = ecosystemRange({ introduced: '0' }, { fixed: '3.1.4-r1' });
  const verdicts = ['3.1.3', '3.1.4_rc1', '3.1.4-r0', '3.1.4-r1', '3.1.4-r2', '3.1.5'].map((v) => matchAffected(affected, v, APK).affected);
  t.deepEqual(verdicts, [true, true, true, false, false, false]);
});

test('rpm: epochs and releases count at the boundaries', (t) => {
  const affected = ecosystemRange({ introduced: '0' }, { fixed: '1:3.0.7-25.el9' });
  const verdicts = ['3.0.7-25.el9', '1:3.0.7-24.el9', '1:3.0.7-25.el9', '1:3.0.7-25.el9_1', '2:1.0-1'].map((v) => matchAffected(affected, v, RPM).affected);
  t.deepEqual(verdicts, [true, true, false, false, false]);
});

test('pep440: a pre-release of the fix is still affected, a post-release of it is not', (t) => {
  const affected = ecosystemRange({ introduced: '2.0' }, { fixed: '2.31.0' });
  const verdicts = ['1.9', '2.0rc1', '2.0', '2.31.0rc1', '2.31.0', '2.31.0.post1', '3.0'].map((v) => matchAffected(affected, v, PEP440).affected);
  t.deepEqual(verdicts, [false, false, true, true, false, false, false]);
});

test('maven: qualifiers order at the boundaries', (t) => {
  const affected = ecosystemRange({ introduced: '2.0-beta9' }, { fixed: '2.15.0' });
  const verdicts = ['2.0-alpha1', '2.0-beta9', '2.0', '2.15.0-rc1', '2.15.0', '2.15.0.1', '2.17.1'].map((v) => matchAffected(affected, v, MAVEN).affected);
  t.deepEqual(verdicts, [false, true, true, true, false, false, false]);
});

test('last_affected is inclusive: the version itself is affected, the next is not', (t) => {
  const affected = ecosystemRange({ introduced: '1.0' }, { last_affected: '1.4' });
  const verdicts = ['0.9', '1.0', '1.4', '1.4.post1', '1.5'].map((v) => matchAffected(affected, v, PEP440).affected);
  t.deepEqual(verdicts, [false, true, true, false, false]);
  t.deepEqual(matchAffected(affected, '1.2', PEP440), { affected: true, range: 'introduced 1.0, last_affected 1.4' }, 'no fixed version to offer');
});

test('limit caps a range: versions at or above it are not affected, "*" is no cap', (t) => {
  const limited = ecosystemRange({ introduced: '1.0' }, { limit: '2.0' });
  t.deepEqual(['0.9', '1.0', '1.9', '2.0', '3.0'].map((v) => matchAffected(limited, v, PEP440).affected), [false, true, true, false, false]);
  t.is(matchAffected(limited, '1.5', PEP440).range, 'introduced 1.0, limit 2.0');
  const unlimited = ecosystemRange({ introduced: '1.0' }, { limit: '*' });
  t.true(matchAffected(unlimited, '99', PEP440).affected);
});

test('events are sorted by the scheme before the walk, whatever order the advisory gives them in', (t) => {
  const affected = ecosystemRange({ fixed: '1.10.0' }, { introduced: '1.9.0' }, { fixed: '1.2.0' }, { introduced: '0' });
  const verdicts = ['1.1.0', '1.2.0', '1.5.0', '1.9.0', '1.9.5', '1.10.0'].map((v) => matchAffected(affected, v, SEMVER).affected);
  t.deepEqual(verdicts, [true, false, false, true, true, false]);
  t.deepEqual(matchAffected(affected, '1.9.5', SEMVER), { affected: true, fixed: '1.10.0', range: 'introduced 1.9.0, fixed 1.10.0' });
  t.deepEqual(matchAffected(affected, '1.1.0', SEMVER), { affected: true, fixed: '1.2.0', range: 'introduced 0, fixed 1.2.0' });
});

test('several ranges are OR-ed: a version in any of them is affected', (t) => {
  const affected: OsvAffected = {
    ranges: [
      { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.2' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '2.3' }] },
    ],
  };
  t.deepEqual(['1.1', '1.5', '2.2', '2.3'].map((v) => matchAffected(affected, v, PEP440).affected), [true, false, true, false]);
  t.is(matchAffected(affected, '2.2', PEP440).fixed, '2.3');
});

test('a version in the versions list is affected, even with no range, and so is an equal spelling of it', (t) => {
  const affected: OsvAffected = { versions: ['1.0.0', '1.0.1'] };
  t.deepEqual(matchAffected(affected, '1.0.1', PEP440), { affected: true, range: 'listed version' });
  t.true(matchAffected(affected, '1.0', PEP440).affected, '1.0 is 1.0.0 in PEP 440');
  t.false(matchAffected(affected, '1.0.2', PEP440).affected);
});

test('SEMVER ranges use semver order whatever the ecosystem, and tolerate a v prefix', (t) => {
  const affected: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] };
  t.deepEqual(['4.17.20', '4.17.21-beta.1', '4.17.21', 'v4.17.20'].map((v) => matchAffected(affected, v, SEMVER).affected), [true, true, false, true]);
  // Go advisories use SEMVER ranges without `v`; installed Go modules carry one, pseudo-versions included.
  const go: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.17.0' }] }] };
  t.true(matchAffected(go, 'v0.0.0-20220315160706-3147a52a75dd', GO).affected);
  t.false(matchAffected(go, 'v0.17.0', GO).affected);
});

test('GIT ranges are ignored: commits say nothing about an installed version', (t) => {
  const affected: OsvAffected = { ranges: [{ type: 'GIT', repo: 'https://github.com/x/y', events: [{ introduced: '0' }, { fixed: 'abc123' }] }] };
  t.deepEqual(matchAffected(affected, '1.0', PEP440), { affected: false });
});

test('an installed version the scheme cannot read is reported unreadable, not affected', (t) => {
  const affected = ecosystemRange({ introduced: '0' }, { fixed: '2.0' });
  t.deepEqual(matchAffected(affected, 'not a version', PEP440), { affected: false, unreadable: true });
  t.deepEqual(matchAffected({ versions: ['weird'], ...affected }, 'weird', PEP440), { affected: true, range: 'listed version' }, 'a listed string still matches');
});

test('a range with an event version the scheme cannot read is skipped, without throwing', (t) => {
  const broken = ecosystemRange({ introduced: '0' }, { fixed: 'garbage!' });
  t.deepEqual(matchAffected(broken, '1.0', PEP440), { affected: false });
  const withGood: OsvAffected = { ranges: [...(broken.ranges ?? []), { type: 'ECOSYSTEM', events: [{ introduced: '0.5' }, { fixed: '1.1' }] }] };
  t.deepEqual(matchAffected(withGood, '1.0', PEP440), { affected: true, fixed: '1.1', range: 'introduced 0.5, fixed 1.1' }, 'other ranges still count');
});

test('a range reopened after a fix reports the fix of the stretch the version is in', (t) => {
  const affected = ecosystemRange({ introduced: '0' }, { fixed: '1.1.1t-1' }, { introduced: '3.0.0-1' }, { fixed: '3.0.9-1' });
  t.false(matchAffected(affected, '1.1.1w-0+deb11u1', DPKG).affected);
  t.deepEqual(matchAffected(affected, '3.0.8-1', DPKG), { affected: true, fixed: '3.0.9-1', range: 'introduced 3.0.0-1, fixed 3.0.9-1' });
});
