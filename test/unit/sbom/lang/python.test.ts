import test from 'ava';
import { pythonScanner } from '../../../../src/sbom/scanners/python.js';
import { classifierLicense } from '../../../../src/sbom/scanners/python-license.js';
import { dataOf, feed } from './stream.js';

const SITE = '/usr/local/lib/python3.12/site-packages';

test('the three metadata forms are wanted, nothing else', (t) => {
  t.true(pythonScanner.wants(`${SITE}/requests-2.31.0.dist-info/METADATA`, 10));
  t.true(pythonScanner.wants(`${SITE}/six-1.16.0.egg-info/PKG-INFO`, 10));
  t.true(pythonScanner.wants('/usr/lib/python3/dist-packages/old-1.0.egg-info', 10));
  t.false(pythonScanner.wants(`${SITE}/requests-2.31.0.dist-info/RECORD`, 10));
  t.false(pythonScanner.wants(`${SITE}/requests/__init__.py`, 10));
});

test('License-Expression is preferred over every other licence field', (t) => {
  const text = [
    'Metadata-Version: 2.4',
    'Name: attrs',
    'Version: 23.2.0',
    'License: MIT License',
    'License-Expression: MIT AND (Apache-2.0 OR BSD-2-Clause)',
    'Classifier: License :: OSI Approved :: MIT License',
    '',
    'Long description',
  ].join('\n');
  const fed = feed(pythonScanner, `${SITE}/attrs-23.2.0.dist-info/METADATA`, text);
  t.deepEqual(fed.hits, [
    {
      kind: 'package',
      path: `${SITE}/attrs-23.2.0.dist-info/METADATA`,
      data: { type: 'pypi', name: 'attrs', version: '23.2.0', license: 'MIT AND (Apache-2.0 OR BSD-2-Clause)', origin: 'installed' },
    },
  ]);
});

test('without a short License, the licence classifiers are mapped to SPDX and joined with OR', (t) => {
  const text = [
    'Metadata-Version: 2.1',
    'Name: dual',
    'Version: 1.0',
    'License: UNKNOWN',
    'Classifier: Programming Language :: Python :: 3',
    'Classifier: License :: OSI Approved :: Apache Software License',
    'Classifier: License :: OSI Approved :: BSD License',
    '',
  ].join('\r\n');
  t.deepEqual(dataOf(feed(pythonScanner, `${SITE}/dual-1.0.dist-info/METADATA`, text)), [
    { type: 'pypi', name: 'dual', version: '1.0', license: 'Apache-2.0 OR BSD-3-Clause', origin: 'installed' },
  ]);
  t.is(classifierLicense('License :: OSI Approved :: GNU General Public License v3 (GPLv3)'), 'GPL-3.0-only');
  t.is(classifierLicense('License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)'), 'MPL-2.0');
  t.is(classifierLicense('License :: OSI Approved :: ISC License (ISCL)'), 'ISC');
  t.is(classifierLicense('License :: OSI Approved :: Python Software Foundation License'), 'PSF-2.0');
  t.is(classifierLicense('License :: Other/Proprietary License'), undefined, 'no guess');
});

test('a whole licence text in License is not a licence name: the classifier wins', (t) => {
  const text = [
    'Metadata-Version: 2.1',
    'Name: pasted',
    'Version: 0.1',
    'License: Copyright (c) 2020 Someone',
    '        ',
    '        Permission is hereby granted, free of charge, to any person obtaining a copy',
    'Classifier: License :: OSI Approved :: MIT License',
    '',
  ].join('\n');
  t.deepEqual(dataOf(feed(pythonScanner, `${SITE}/pasted-0.1.dist-info/METADATA`, text)), [
    { type: 'pypi', name: 'pasted', version: '0.1', license: 'MIT', origin: 'installed' },
  ]);
  const long = `Metadata-Version: 2.1\nName: p\nVersion: 1\nLicense: ${'x'.repeat(101)}\n\n`;
  t.deepEqual(dataOf(feed(pythonScanner, `${SITE}/p-1.dist-info/METADATA`, long)), [{ type: 'pypi', name: 'p', version: '1', origin: 'installed' }]);
});

test('a short License one-liner is kept as written', (t) => {
  const text = 'Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n\n';
  t.deepEqual(dataOf(feed(pythonScanner, `${SITE}/six-1.16.0.egg-info/PKG-INFO`, text)), [
    { type: 'pypi', name: 'six', version: '1.16.0', license: 'MIT', origin: 'installed' },
  ]);
});

test('a distutils .egg-info file is read like PKG-INFO', (t) => {
  const text = 'Metadata-Version: 1.0\nName: python-apt\nVersion: 2.6.0\nLicense: GPL-2.0+\n';
  t.deepEqual(dataOf(feed(pythonScanner, '/usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info', text)), [
    { type: 'pypi', name: 'python-apt', version: '2.6.0', license: 'GPL-2.0+', origin: 'installed' },
  ]);
});

test('reading stops at the blank line that ends the headers, even when it spans chunks', (t) => {
  const headers = 'Metadata-Version: 2.1\nName: big\nVersion: 3.0\n';
  const body = 'Name: not-a-header\n' + 'description '.repeat(200_000);
  const bytes = Buffer.from(headers + '\n' + body);
  for (const size of [1, 7, headers.length, headers.length + 1]) {
    const fed = feed(pythonScanner, `${SITE}/big-3.0.dist-info/METADATA`, bytes, [size, 4096]);
    t.deepEqual(dataOf(fed), [{ type: 'pypi', name: 'big', version: '3.0', origin: 'installed' }], `first chunk ${size}`);
    t.true(fed.read <= headers.length + 4096 + 1, `the body is not read (first chunk ${size}: read ${fed.read})`);
  }
});

test('metadata without a Name or Version declares nothing', (t) => {
  t.deepEqual(feed(pythonScanner, `${SITE}/x.dist-info/METADATA`, 'Metadata-Version: 2.1\nName: x\n\n').hits, []);
});
