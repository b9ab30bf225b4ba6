import test from 'ava';
import { isSpdxExpression, normalizeLicense, normalizeLicenses } from '../../../src/sbom/licenses.js';

test('valid SPDX expressions are kept as written', (t) => {
  for (const e of ['MIT', 'Apache-2.0', 'MIT OR Apache-2.0', '(MIT OR Apache-2.0) AND BSD-3-Clause', 'GPL-2.0-or-later WITH Classpath-exception-2.0', 'LicenseRef-acme']) {
    t.is(normalizeLicense(e), e);
  }
});

test('common spellings whose meaning is not in doubt become SPDX IDs', (t) => {
  t.is(normalizeLicense('Apache 2.0'), 'Apache-2.0');
  t.is(normalizeLicense('Apache License, Version 2.0'), 'Apache-2.0');
  t.is(normalizeLicense('MIT License'), 'MIT');
  t.is(normalizeLicense('The MIT License'), 'MIT');
  t.is(normalizeLicense('mit'), 'MIT');
  t.is(normalizeLicense('bsd-3-clause'), 'BSD-3-Clause');
  t.is(normalizeLicense('Expat'), 'MIT');
});

test('Debian short names and lower-case operators become an SPDX expression', (t) => {
  t.is(normalizeLicense('GPL-2+'), 'GPL-2.0-or-later');
  t.is(normalizeLicense('GPL-2'), 'GPL-2.0-only');
  t.is(normalizeLicense('LGPL-2+'), 'LGPL-2.0-or-later');
  t.is(normalizeLicense('GPL-3+ or MIT'), 'GPL-3.0-or-later OR MIT');
  t.is(normalizeLicense('(mit and apache 2.0)'), '(MIT AND Apache-2.0)');
});

test('anything else is kept as written: a named licence, not a guess', (t) => {
  t.is(normalizeLicense('BSD'), 'BSD');
  t.is(normalizeLicense('public-domain'), 'public-domain');
  t.is(normalizeLicense('GPL-2+ or Artistic'), 'GPL-2+ or Artistic', 'one unknown term keeps the whole text');
  t.is(normalizeLicense('  Custom   licence\nsee COPYING '), 'Custom licence see COPYING');
  t.false(isSpdxExpression('BSD'));
});

test('empty declarations are dropped and duplicates kept once', (t) => {
  t.is(normalizeLicense('  '), undefined);
  t.deepEqual(normalizeLicenses(['MIT', '', 'MIT License', 'ISC']), ['MIT', 'ISC']);
});
