import test from 'ava';
import { dpkgScanner, parseDeb822 } from '../../../../src/sbom/scanners/dpkg.js';
import { readLayer } from '../../../../src/image/layer-reader.js';
import { recordOf } from '../../../../src/sbom/package-record.js';
import type { ScanHit } from '../../../../src/image/file-scanner.js';
import { chunked, file, layerTar } from '../../helpers/archives.js';

const STATUS = `Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12986
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc (2.36-9+deb12u4)
Version: 2.36-9+deb12u4
Depends: libgcc-s1
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
 .
 Package: not-a-package (a continuation line that looks like a field)
Conffiles:
 /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab

Package: removed-tool
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1
Description: gone, only its conffiles remain

Package: bash
Essential: yes
Status: hold ok installed
Architecture: amd64
Version: 5.2.15-2+b2
Source: bash (5.2.15-2)
Description: GNU Bourne Again SHell

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1
Description: compression library - runtime

Package: tzdata
Status: install ok installed
Architecture: all
Version: 2024a-0+deb12u1
Description: time zone and daylight-saving time data

Package: half-done
Status: install ok unpacked
Architecture: amd64
Version: 2.0
`;

/** The package records the scanner reports for `text` at `path`. */
function records(path: string, text: string) {
  return dpkgScanner.scan(path, Buffer.from(text)).map((h) => recordOf({ ...h, scanner: 'dpkg' } as ScanHit));
}

test('the status file: installed and held packages count; deinstalled and unpacked ones do not', (t) => {
  t.deepEqual(records('/var/lib/dpkg/status', STATUS), [
    { type: 'deb', name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64', sourceName: 'glibc', sourceVersion: '2.36-9+deb12u4', origin: 'installed' },
    { type: 'deb', name: 'bash', version: '5.2.15-2+b2', arch: 'amd64', sourceName: 'bash', sourceVersion: '5.2.15-2', origin: 'installed' },
    { type: 'deb', name: 'zlib1g', version: '1:1.2.13.dfsg-1', arch: 'amd64', sourceName: 'zlib', sourceVersion: '1:1.2.13.dfsg-1', origin: 'installed' },
    { type: 'deb', name: 'tzdata', version: '2024a-0+deb12u1', arch: 'all', sourceName: 'tzdata', sourceVersion: '2024a-0+deb12u1', origin: 'installed' },
  ]);
});

test('Source without a version takes the binary version (epoch included); no Source means the package is its own', (t) => {
  const [zlib] = records('/var/lib/dpkg/status', 'Package: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n');
  t.is(zlib?.sourceName, 'zlib');
  t.is(zlib?.sourceVersion, '1:1.2.13.dfsg-1');
});

test('deb822 paragraphs: continuation lines join their field; CRLF and extra blank lines are tolerated', (t) => {
  const [p, q, ...rest] = parseDeb822('\n\nA: 1\r\nB: first\r\n second\r\n .\r\n\r\n\r\nc: 3\n');
  t.is(p?.get('a'), '1');
  t.is(p?.get('b'), 'first\nsecond\n.');
  t.is(q?.get('c'), '3');
  t.deepEqual(rest, []);
});

test('status.d stanza files (distroless) count without a Status field; their md5sums are not wanted', (t) => {
  const base = 'Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\nMaintainer: Santiago Vila <sanvila@debian.org>\n';
  t.deepEqual(records('/var/lib/dpkg/status.d/base-files', base), [
    { type: 'deb', name: 'base-files', version: '12.4+deb12u5', arch: 'amd64', sourceName: 'base-files', sourceVersion: '12.4+deb12u5', origin: 'installed' },
  ]);
  t.true(dpkgScanner.wants('/var/lib/dpkg/status.d/base-files', base.length));
  t.false(dpkgScanner.wants('/var/lib/dpkg/status.d/base-files.md5sums', 100));
  t.false(dpkgScanner.wants('/var/lib/dpkg/status.d/', 0));
  t.false(dpkgScanner.wants('/var/lib/dpkg/status-old', 100));
  t.false(dpkgScanner.wants('/var/lib/dpkg/available', 100));
});

test('a stanza without a name or version is not a package, and empty or missing bytes give nothing', (t) => {
  t.deepEqual(records('/var/lib/dpkg/status', 'Package: x\nStatus: install ok installed\n\nVersion: 1\n'), []);
  t.deepEqual(dpkgScanner.scan('/var/lib/dpkg/status', undefined), []);
  t.deepEqual(dpkgScanner.scan('/var/lib/dpkg/status', Buffer.alloc(0)), []);
});

test('through the layer reader: each layer that writes the status file reports its packages, on that path', async (t) => {
  const request = { wants: () => false, maxBytes: 0, paths: [], scanners: [dpkgScanner] };
  const tar = await layerTar([
    file('var/lib/dpkg/status', STATUS),
    file('var/lib/dpkg/status.d/tzdata', 'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n'),
    file('var/lib/dpkg/status.d/tzdata.md5sums', 'd41d8cd98f00b204e9800998ecf8427e  usr/share/zoneinfo/UTC\n'),
    file('usr/share/doc/bash/copyright', 'not for this scanner'),
  ]);
  const layer = await readLayer(chunked(tar, 100), request);
  t.deepEqual(
    layer.hits.map((h) => `${h.scanner} ${h.kind} ${h.path} ${h.data?.name}`),
    [
      'dpkg package /var/lib/dpkg/status libc6',
      'dpkg package /var/lib/dpkg/status bash',
      'dpkg package /var/lib/dpkg/status zlib1g',
      'dpkg package /var/lib/dpkg/status tzdata',
      'dpkg package /var/lib/dpkg/status.d/tzdata tzdata',
    ],
  );
});
