import test from 'ava';
import { osReleaseRank, osReleaseScanner, parseOsRelease, unquoteShell } from '../../../../src/sbom/scanners/os-release.js';
import { osReleaseOf } from '../../../../src/sbom/package-record.js';
import type { ScanHit } from '../../../../src/image/file-scanner.js';

/** The release a file at `path` reports, through the scanner and back out of its hit. */
function releaseOf(path: string, text: string) {
  const hits = osReleaseScanner.scan(path, Buffer.from(text));
  return hits.map((h) => osReleaseOf({ ...h, scanner: 'os-release' } as ScanHit));
}

const DEBIAN_12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

test('Debian 12: quoted and bare values', (t) => {
  t.deepEqual(releaseOf('/etc/os-release', DEBIAN_12), [
    { id: 'debian', versionId: '12', versionCodename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  ]);
});

test('ID_LIKE is split, single quotes are literal, escapes in double quotes are resolved', (t) => {
  const text = [
    '# comment line',
    "NAME='Rocky $Linux'",
    'ID="rocky"',
    'ID_LIKE="rhel centos fedora"',
    'VERSION_ID="9.3"',
    'PRETTY_NAME="Rocky \\"Blue Onyx\\" \\\\ \\$9"',
    'not a line',
    '',
  ].join('\r\n');
  t.deepEqual(parseOsRelease(text), {
    id: 'rocky',
    versionId: '9.3',
    prettyName: 'Rocky "Blue Onyx" \\ $9',
    idLike: ['rhel', 'centos', 'fedora'],
  });
});

test('a release without VERSION_ID (Debian testing) has versionId ""; one without ID is "linux"', (t) => {
  t.deepEqual(parseOsRelease('PRETTY_NAME="Debian GNU/Linux trixie/sid"\nID=debian\nVERSION_CODENAME=trixie\n'), {
    id: 'debian',
    versionId: '',
    versionCodename: 'trixie',
    prettyName: 'Debian GNU/Linux trixie/sid',
  });
  t.is(parseOsRelease('NAME=Something\n').id, 'linux');
});

test('shell unquoting: bare backslashes escape, quotes concatenate', (t) => {
  t.is(unquoteShell('a\\ b'), 'a b');
  t.is(unquoteShell(`"x"'y'z`), 'xyz');
  t.is(unquoteShell('"a\\nb"'), 'a\\nb', 'in double quotes a backslash before other characters stays');
});

test('fallback files: alpine-release and debian_version', (t) => {
  t.deepEqual(releaseOf('/etc/alpine-release', '3.19.1\n'), [{ id: 'alpine', versionId: '3.19.1' }]);
  t.deepEqual(releaseOf('/etc/debian_version', '12.5\n'), [{ id: 'debian', versionId: '12' }]);
  t.deepEqual(releaseOf('/etc/debian_version', 'trixie/sid\n'), [{ id: 'debian', versionId: '', versionCodename: 'trixie' }]);
  t.deepEqual(releaseOf('/etc/debian_version', 'garbage here\n'), []);
});

test('the scanner wants the four files only, and os-release outranks the fallbacks', (t) => {
  for (const p of ['/etc/os-release', '/usr/lib/os-release', '/etc/alpine-release', '/etc/debian_version']) t.true(osReleaseScanner.wants(p, 100), p);
  for (const p of ['/etc/os-release.d', '/opt/etc/os-release', '/etc/lsb-release']) t.false(osReleaseScanner.wants(p, 100), p);
  t.true(osReleaseRank('/etc/os-release') < osReleaseRank('/usr/lib/os-release'));
  t.true(osReleaseRank('/usr/lib/os-release') < osReleaseRank('/etc/debian_version'));
  t.is(osReleaseRank('/elsewhere'), Infinity);
});
