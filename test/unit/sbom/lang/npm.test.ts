import test from 'ava';
import { npmScanner, isInstalledManifest, isLockFile } from '../../../../src/sbom/scanners/npm.js';
import { npmLicense } from '../../../../src/sbom/scanners/npm-license.js';
import { dataOf, feed } from './stream.js';

const manifest = (doc: object) => JSON.stringify(doc);

test('a package in node_modules is read from its own package.json, as installed', (t) => {
  const fed = feed(npmScanner, '/app/node_modules/express/package.json', manifest({ name: 'express', version: '4.18.2', license: 'MIT' }));
  t.deepEqual(fed.hits, [
    { kind: 'package', path: '/app/node_modules/express/package.json', data: { type: 'npm', name: 'express', version: '4.18.2', license: 'MIT', origin: 'installed' } },
  ]);
});

test('scoped and nested packages are packages; manifests deeper inside a package are not', (t) => {
  t.true(isInstalledManifest('/app/node_modules/@types/node/package.json'));
  t.true(isInstalledManifest('/app/node_modules/a/node_modules/b/package.json'));
  t.true(isInstalledManifest('/app/node_modules/a/node_modules/@s/b/package.json'));
  t.true(isInstalledManifest('/node_modules/a/package.json'));
  t.false(isInstalledManifest('/app/node_modules/a/test/fixtures/package.json'), 'a fixture inside a package');
  t.false(isInstalledManifest('/app/node_modules/a/lib/package.json'));
  t.false(isInstalledManifest('/app/node_modules/@s/b/dist/package.json'));
  t.false(isInstalledManifest('/app/node_modules/@s/package.json'), 'a scope directory is not a package');
  t.false(isInstalledManifest('/app/node_modules/.bin/package.json'));
  t.false(isInstalledManifest('/app/package.json'), 'the application itself');
  t.false(isInstalledManifest('/app/my_node_modules/a/package.json'));
  t.false(npmScanner.wants('/app/node_modules/.package-lock.json', 100), "npm's hidden lockfile is not read");
  t.false(npmScanner.wants('/app/node_modules/a/package.json', 0), 'an empty file declares nothing');
  const fed = feed(npmScanner, '/app/node_modules/@types/node/package.json', manifest({ name: '@types/node', version: '20.1.0' }));
  t.deepEqual(dataOf(fed), [{ type: 'npm', name: '@types/node', version: '20.1.0', origin: 'installed' }]);
});

test('a licence is read in each of its shapes', (t) => {
  t.is(npmLicense({ license: 'Apache-2.0' }), 'Apache-2.0');
  t.is(npmLicense({ license: { type: 'BSD-3-Clause', url: 'https://x' } }), 'BSD-3-Clause');
  t.is(npmLicense({ licenses: [{ type: 'MIT' }, { type: 'GPL-2.0' }] }), 'MIT OR GPL-2.0');
  t.is(npmLicense({ licenses: ['MIT', 'MIT'] }), 'MIT', 'duplicates collapse');
  t.is(npmLicense({ licenses: ['MIT', 'Apache-2.0 AND BSD-2-Clause'] }), 'MIT OR (Apache-2.0 AND BSD-2-Clause)');
  t.is(npmLicense({ licenses: { type: 'ISC' } }), 'ISC');
  t.is(npmLicense({}), undefined);
});

test('a manifest without a name or version, or that is not JSON, declares nothing', (t) => {
  t.deepEqual(feed(npmScanner, '/a/node_modules/x/package.json', manifest({ name: 'x' })).hits, []);
  t.deepEqual(feed(npmScanner, '/a/node_modules/x/package.json', '{ not json').hits, []);
});

test('a v2/v3 lock file pins every non-dev, non-link package, named by its key', (t) => {
  t.true(isLockFile('/app/package-lock.json'));
  t.true(isLockFile('/app/npm-shrinkwrap.json'));
  t.false(isLockFile('/app/node_modules/x/package-lock.json'), 'one shipped inside a package');
  const lock = {
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0' },
      'node_modules/a': { version: '1.0.0', license: 'MIT' },
      'node_modules/a/node_modules/b': { version: '2.0.0' },
      'node_modules/@s/c': { version: '3.0.0', license: 'ISC' },
      'node_modules/alias': { name: 'real-name', version: '4.0.0' },
      'node_modules/jest': { version: '29.0.0', dev: true },
      'node_modules/local': { resolved: 'packages/local', link: true },
      'packages/local': { name: 'local', version: '0.0.1' },
      'node_modules/opt': { version: '5.0.0', devOptional: true },
    },
    dependencies: { ignored: { version: '9.9.9' } },
  };
  const fed = feed(npmScanner, '/app/package-lock.json', JSON.stringify(lock));
  t.deepEqual(dataOf(fed), [
    { type: 'npm', name: 'a', version: '1.0.0', license: 'MIT', origin: 'lockfile' },
    { type: 'npm', name: 'b', version: '2.0.0', origin: 'lockfile' },
    { type: 'npm', name: '@s/c', version: '3.0.0', license: 'ISC', origin: 'lockfile' },
    { type: 'npm', name: 'real-name', version: '4.0.0', origin: 'lockfile' },
    { type: 'npm', name: 'opt', version: '5.0.0', origin: 'lockfile' },
  ]);
});

test('a v1 lock file is walked as a tree, without dev and local (file:) entries', (t) => {
  const lock = {
    lockfileVersion: 1,
    dependencies: {
      a: { version: '1.0.0', dependencies: { b: { version: '2.0.0' } } },
      mocha: { version: '10.0.0', dev: true, dependencies: { 'dev-only': { version: '1.0.0' } } },
      local: { version: 'file:../local' },
    },
  };
  const fed = feed(npmScanner, '/srv/npm-shrinkwrap.json', JSON.stringify(lock));
  t.deepEqual(dataOf(fed), [
    { type: 'npm', name: 'a', version: '1.0.0', origin: 'lockfile' },
    { type: 'npm', name: 'b', version: '2.0.0', origin: 'lockfile' },
  ]);
});

test('a file over the cap is not read', (t) => {
  t.deepEqual(npmScanner.scan('/app/package-lock.json', undefined), []);
});
