import test from 'ava';
import parse from 'spdx-expression-parse';
import {
  debCopyrightScanner,
  declaredLicense,
  spdxOfDebianExpression,
  spdxOfDebianName,
} from '../../../../src/sbom/scanners/deb-copyright.js';

const DEP5 = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: zlib
Source: https://zlib.net/

Files: *
Copyright: 1995-2022 Jean-loup Gailly and Mark Adler
License: Zlib

Files: contrib/dotzlib/*
Copyright: 2004 Henrik Ravn
License: BSL-1.0

License: Zlib
 This software is provided 'as-is', without any express or implied
 warranty.
`;

const NOT_DEP5 = `This is the Debian prepackaged version of the Bourne Again SHell.

Copyright (C) 1987-2022 Free Software Foundation, Inc.
License: GPL-3+ (this line looks like a field but the file is free text)
`;

test('DEP-5: the Files: * paragraph names the package licence', (t) => {
  t.deepEqual(debCopyrightScanner.scan('/usr/share/doc/zlib1g/copyright', Buffer.from(DEP5)), [
    { kind: 'package-license', path: '/usr/share/doc/zlib1g/copyright', data: { package: 'zlib1g', license: 'Zlib', declared: 'Zlib' } },
  ]);
});

test('DEP-5: a License field in the header paragraph (the package as a whole) wins over Files: *', (t) => {
  const text = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nLicense: GPL-2+ or Artistic\n\nFiles: *\nCopyright: x\nLicense: GPL-2+\n';
  t.is(declaredLicense(text), 'GPL-2+ or Artistic');
});

test('a free-text copyright file has no machine-readable licence: no hit', (t) => {
  t.deepEqual(debCopyrightScanner.scan('/usr/share/doc/bash/copyright', Buffer.from(NOT_DEP5)), []);
  t.is(declaredLicense('Format: x\n\nFiles: src/*\nLicense: MIT\n'), undefined, 'no Files: * paragraph and no header licence');
});

test('Debian short names become SPDX ids where that is unambiguous', (t) => {
  t.is(spdxOfDebianName('GPL-2+'), 'GPL-2.0-or-later');
  t.is(spdxOfDebianName('GPL-2'), 'GPL-2.0-only');
  t.is(spdxOfDebianName('LGPL-2.1+'), 'LGPL-2.1-or-later');
  t.is(spdxOfDebianName('LGPL-2'), 'LGPL-2.0-only');
  t.is(spdxOfDebianName('GPL-3.0+'), 'GPL-3.0-or-later');
  t.is(spdxOfDebianName('AGPL-3'), 'AGPL-3.0-only');
  t.is(spdxOfDebianName('Expat'), 'MIT');
  t.is(spdxOfDebianName('BSD-3-clause'), 'BSD-3-Clause');
  t.is(spdxOfDebianName('apache-2.0'), 'Apache-2.0');
  t.is(spdxOfDebianName('public-domain'), 'public-domain', 'not a licence SPDX names');
  t.is(spdxOfDebianName('Artistic'), 'Artistic', 'which Artistic is ambiguous');
  t.is(spdxOfDebianName('GPL'), 'GPL', 'unversioned');
});

test('expressions: operators upper-cased, DEP-5 commas become parentheses, and the result parses as SPDX', (t) => {
  t.is(spdxOfDebianExpression('GPL-2+ or BSD-3-clause'), 'GPL-2.0-or-later OR BSD-3-Clause');
  t.is(spdxOfDebianExpression('GPL-2+ or Expat, and BSD-2-clause'), '(GPL-2.0-or-later OR MIT) AND BSD-2-Clause');
  t.is(spdxOfDebianExpression('Apache-2.0, or LGPL-2.1+ and MIT'), 'Apache-2.0 OR (LGPL-2.1-or-later AND MIT)');
  for (const e of ['GPL-2.0-or-later OR BSD-3-Clause', '(GPL-2.0-or-later OR MIT) AND BSD-2-Clause']) t.notThrows(() => parse(e));
  t.is(spdxOfDebianExpression('GPL-2+ with OpenSSL exception'), 'GPL-2.0-or-later WITH OpenSSL exception', 'exceptions stay as written');
});

test('the scanner wants /usr/share/doc/<pkg>/copyright only', (t) => {
  t.true(debCopyrightScanner.wants('/usr/share/doc/libc6/copyright', 1000));
  t.false(debCopyrightScanner.wants('/usr/share/doc/libc6/changelog.Debian.gz', 1000));
  t.false(debCopyrightScanner.wants('/usr/share/doc/libc6/examples/copyright', 1000));
  t.false(debCopyrightScanner.wants('/usr/share/doc/copyright', 1000));
  t.false(debCopyrightScanner.wants('/opt/usr/share/doc/x/copyright', 1000));
});
