import test from 'ava';
import { apkScanner, parseApkInstalled } from '../../../../src/sbom/scanners/apk.js';

// Two records as apk writes them (abridged), the last without a trailing blank line.
const INSTALLED = `C:Q1Bm3LdafWV8ltvfbIfFXGs8frL9c=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:663552
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1705928452
c:ca7f8f3d2c4fc6a1a8e67e5bb7a8cab5fbf3d0e2
D:
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1F0SYj8bRzTvOdbHGmw9D0LEMcAs=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q1ZJNiwDVCkW3ztjvxnmckNoV2zqo=

C:Q1hiTJc5bYnIjqGqCk4Zc6ypZ2q6c=
P:libcrypto3
V:3.1.4-r5
A:x86_64
L:Apache-2.0
o:openssl
F:lib
R:libcrypto.so.3
P:not-this (a second P: keeps the first)

P:no-version-here
A:x86_64

P:alpine-baselayout-data
V:3.4.3-r2
A:x86_64
L:GPL-2.0-only`;

test('installed db: name, version, arch, licence and origin of each record', (t) => {
  t.deepEqual(parseApkInstalled(INSTALLED), [
    { type: 'apk', name: 'musl', version: '1.2.4_git20230717-r4', arch: 'x86_64', license: 'MIT', sourceName: 'musl', sourceVersion: '1.2.4_git20230717-r4', origin: 'installed' },
    { type: 'apk', name: 'libcrypto3', version: '3.1.4-r5', arch: 'x86_64', license: 'Apache-2.0', sourceName: 'openssl', sourceVersion: '3.1.4-r5', origin: 'installed' },
    { type: 'apk', name: 'alpine-baselayout-data', version: '3.4.3-r2', arch: 'x86_64', license: 'GPL-2.0-only', sourceName: 'alpine-baselayout-data', sourceVersion: '3.4.3-r2', origin: 'installed' },
  ]);
});

test('CRLF line ends and a single-character line do not split a record', (t) => {
  const [r] = parseApkInstalled('P:a\r\nx\r\nV:1-r0\r\n\r\n');
  t.is(r?.name, 'a');
  t.is(r?.version, '1-r0');
});

test('the scanner reads /lib/apk/db/installed (and its /usr/lib twin) into package hits', (t) => {
  t.true(apkScanner.wants('/lib/apk/db/installed', 10));
  t.true(apkScanner.wants('/usr/lib/apk/db/installed', 10));
  t.false(apkScanner.wants('/lib/apk/db/triggers', 10));
  const hits = apkScanner.scan('/lib/apk/db/installed', Buffer.from(INSTALLED));
  t.is(hits.length, 3);
  t.deepEqual(hits[1], {
    kind: 'package',
    path: '/lib/apk/db/installed',
    data: { type: 'apk', name: 'libcrypto3', version: '3.1.4-r5', arch: 'x86_64', license: 'Apache-2.0', sourceName: 'openssl', sourceVersion: '3.1.4-r5', origin: 'installed' },
  });
});
