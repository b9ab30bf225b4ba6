import test from 'ava';
import { inventoryOf } from '../../../src/sbom/inventory.js';
import { BOOKWORM, deb, factsWith, hit, osHit, pkg, STATUS } from './fixtures.js';

test('only the packages of the files the container sees count: a deleted or rewritten database lists nothing', (t) => {
  const hits = [
    pkg(0, STATUS, deb('libc6', '2.36-9')),
    pkg(0, '/opt/old/node_modules/left-pad/package.json', { type: 'npm', name: 'left-pad', version: '1.3.0' }),
    pkg(1, STATUS, deb('libc6', '2.36-9')),
    pkg(1, STATUS, deb('curl', '7.88.1-10')),
    osHit(0, BOOKWORM),
  ];
  // /opt/old was deleted by a later layer: not in the merged view.
  const inventory = inventoryOf(factsWith(hits, { [STATUS]: 1, '/etc/os-release': 0 }));
  t.deepEqual(inventory.components.map((c) => `${c.name}@${c.version}`), ['curl@7.88.1-10', 'libc6@2.36-9']);
});

test('a package installed by a later layer whose file was then rewritten by another counts at the final version only', (t) => {
  const hits = [pkg(1, STATUS, deb('curl', '7.88.1-10')), pkg(2, STATUS, deb('curl', '7.88.1-10+deb12u5'))];
  const [curl, ...rest] = inventoryOf(factsWith(hits, { [STATUS]: 2 })).components;
  t.is(rest.length, 0);
  t.is(curl!.version, '7.88.1-10+deb12u5');
});

test('a database package is attributed to the layer that brought it in at its current version', (t) => {
  const hits = [
    // Layer 0 (base image): libc6 and openssl.
    pkg(0, STATUS, deb('libc6', '2.36-9')),
    pkg(0, STATUS, deb('libssl3', '3.0.11-1~deb12u1', { sourceName: 'openssl' })),
    // Layer 1 (step 2): curl added; the whole status file is rewritten.
    pkg(1, STATUS, deb('libc6', '2.36-9')),
    pkg(1, STATUS, deb('libssl3', '3.0.11-1~deb12u1', { sourceName: 'openssl' })),
    pkg(1, STATUS, deb('curl', '7.88.1-10')),
    pkg(1, STATUS, deb('ca-certificates', '20230311')),
    // Layer 2 (step 3): curl and libssl3 upgraded.
    pkg(2, STATUS, deb('libc6', '2.36-9')),
    pkg(2, STATUS, deb('libssl3', '3.0.13-1~deb12u1', { sourceName: 'openssl' })),
    pkg(2, STATUS, deb('curl', '7.88.1-10+deb12u5')),
    pkg(2, STATUS, deb('ca-certificates', '20230311')),
  ];
  const facts = factsWith(hits, { [STATUS]: 2 });
  const where = Object.fromEntries(inventoryOf(facts).components.map((c) => [c.name, c.locations]));
  t.deepEqual(where.libc6, [{ path: STATUS, layerIndex: 0, historyIndex: 0, inherited: true }], 'unchanged since the base image');
  t.deepEqual(where['ca-certificates'], [{ path: STATUS, layerIndex: 1, historyIndex: 2, inherited: false }], 'added by step 2, untouched since');
  t.deepEqual(where.curl, [{ path: STATUS, layerIndex: 2, historyIndex: 3, inherited: false }], 'added in step 2, upgraded in step 3');
  t.deepEqual(where.libssl3, [{ path: STATUS, layerIndex: 2, historyIndex: 3, inherited: false }], 'upgraded over the base image');
});

test('a package removed and reinstalled at the same version is attributed to the layer that reinstalled it', (t) => {
  const hits = [pkg(0, STATUS, deb('vim', '2:9.0.1378-2')), pkg(1, STATUS, deb('curl', '7.88.1-10')), pkg(2, STATUS, deb('vim', '2:9.0.1378-2'))];
  const vim = inventoryOf(factsWith(hits, { [STATUS]: 2 })).components.find((c) => c.name === 'vim');
  t.is(vim!.locations[0]!.layerIndex, 2);
});

test('a per-package file is attributed to the layer that last wrote it', (t) => {
  const manifest = '/app/node_modules/express/package.json';
  const hits = [pkg(1, manifest, { type: 'npm', name: 'express', version: '4.19.2' }), pkg(2, manifest, { type: 'npm', name: 'express', version: '4.19.2' })];
  const [express] = inventoryOf(factsWith(hits, { [manifest]: 2 })).components;
  t.deepEqual(express!.locations, [{ path: manifest, layerIndex: 2, historyIndex: 3, inherited: false }]);
});

test('one package found in several node_modules directories is one component with each location, lowest layer first', (t) => {
  const a = '/srv/b/node_modules/ms/package.json';
  const b = '/srv/a/node_modules/ms/package.json';
  const other = '/srv/a/node_modules/debug/node_modules/ms/package.json';
  const hits = [
    pkg(2, a, { type: 'npm', name: 'ms', version: '2.1.3', license: 'MIT' }),
    pkg(1, b, { type: 'npm', name: 'ms', version: '2.1.3', license: 'MIT' }),
    pkg(1, other, { type: 'npm', name: 'ms', version: '2.0.0', license: 'MIT' }),
  ];
  const components = inventoryOf(factsWith(hits, { [a]: 2, [b]: 1, [other]: 1 })).components;
  t.deepEqual(components.map((c) => c.purl), ['pkg:npm/ms@2.0.0', 'pkg:npm/ms@2.1.3']);
  t.deepEqual(components[1]!.locations.map((l) => [l.path, l.layerIndex]), [[b, 1], [a, 2]]);
});

test('a lock-file entry for an installed package merges into it; one for a package not installed stands alone', (t) => {
  const lock = '/app/package-lock.json';
  const hits = [
    pkg(1, lock, { type: 'npm', name: 'express', version: '4.19.2', license: 'MIT', origin: 'lockfile' }),
    pkg(1, lock, { type: 'npm', name: 'optional-thing', version: '1.0.0', origin: 'lockfile' }),
    pkg(2, '/app/node_modules/express/package.json', { type: 'npm', name: 'express', version: '4.19.2', origin: 'installed' }),
  ];
  const components = inventoryOf(factsWith(hits, { [lock]: 1, '/app/node_modules/express/package.json': 2 })).components;
  const express = components.find((c) => c.name === 'express')!;
  t.is(express.origin, 'installed');
  t.deepEqual(express.locations.map((l) => l.path), ['/app/node_modules/express/package.json']);
  t.deepEqual(express.licenses, ['MIT'], 'the lock file supplies the licence the manifest did not declare');
  const optional = components.find((c) => c.name === 'optional-thing')!;
  t.is(optional.origin, 'lockfile');
  t.deepEqual(optional.locations, [{ path: lock, layerIndex: 1, historyIndex: 2, inherited: false }]);
});

test('the OS comes from the merged view, /etc/os-release before /usr/lib/os-release, and names the purl distro and ecosystem', (t) => {
  const hits = [
    osHit(0, { id: 'debian', versionId: '11' }, '/etc/os-release'),
    osHit(1, BOOKWORM, '/etc/os-release'),
    osHit(0, { id: 'debian', versionId: '13' }, '/usr/lib/os-release'),
    pkg(1, STATUS, deb('curl', '7.88.1-10', { sourceName: 'curl' })),
  ];
  const inventory = inventoryOf(factsWith(hits, { '/etc/os-release': 1, '/usr/lib/os-release': 0, [STATUS]: 1 }));
  t.deepEqual(inventory.os, BOOKWORM);
  const [curl] = inventory.components;
  t.is(curl!.purl, 'pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12');
  t.is(curl!.ecosystem, 'Debian:12');
  t.deepEqual(curl!.source, { name: 'curl', version: '7.88.1-10' });
});

test('a Debian copyright licence is attached to the deb component of that name (every arch), normalised', (t) => {
  const hits = [
    pkg(0, STATUS, deb('libc6', '2.36-9')),
    pkg(0, STATUS, deb('libc6', '2.36-9', { arch: 'i386' })),
    pkg(0, STATUS, deb('tzdata', '2024a-0+deb12u1')),
    hit(0, '/usr/share/doc/libc6/copyright', 'package-license', { package: 'libc6', license: 'LGPL-2.1-or-later AND GPL-2.0-or-later' }),
    hit(0, '/usr/share/doc/tzdata/copyright', 'package-license', { package: 'tzdata', license: 'public-domain' }),
    // A copyright file a later layer deleted says nothing.
    hit(0, '/usr/share/doc/gone/copyright', 'package-license', { package: 'tzdata', license: 'curl' }),
    pkg(0, '/app/node_modules/libc6/package.json', { type: 'npm', name: 'libc6', version: '1.0.0' }),
  ];
  const facts = factsWith(hits, { [STATUS]: 0, '/usr/share/doc/libc6/copyright': 0, '/usr/share/doc/tzdata/copyright': 0, '/app/node_modules/libc6/package.json': 0 });
  const licences = inventoryOf(facts).components.map((c) => [c.type, c.name, c.arch, c.licenses]);
  t.deepEqual(licences, [
    ['deb', 'libc6', 'amd64', ['LGPL-2.1-or-later AND GPL-2.0-or-later']],
    ['deb', 'libc6', 'i386', ['LGPL-2.1-or-later AND GPL-2.0-or-later']],
    ['deb', 'tzdata', 'amd64', ['public-domain']],
    ['npm', 'libc6', undefined, []],
  ]);
});

test('unread package databases and archives become notes (current files only)', (t) => {
  const hits = [
    hit(1, '/var/lib/rpm/Packages', 'package-db-unread', { format: 'bdb', reason: 'Berkeley DB is not read' }),
    hit(2, '/app/app.jar', 'archive-unread', { reason: 'nested jar over 64 MiB', innerPath: 'BOOT-INF/lib/big.jar' }),
    hit(0, '/old.jar', 'archive-unread', { reason: 'truncated' }),
  ];
  const { notes } = inventoryOf(factsWith(hits, { '/var/lib/rpm/Packages': 1, '/app/app.jar': 2 }));
  t.deepEqual(notes, [
    '/app/app.jar (BOOT-INF/lib/big.jar): archive not read: nested jar over 64 MiB',
    '/var/lib/rpm/Packages: package database (bdb) not read: Berkeley DB is not read; its packages are missing from this inventory',
  ]);
});

test('an image with no package hits has an empty inventory and no OS', (t) => {
  const inventory = inventoryOf(factsWith([], {}));
  t.deepEqual(inventory, { components: [], notes: [] });
});

test('without an os-release file the fallback files name the OS; with one, they do not', (t) => {
  const fallback = osHit(0, { id: 'debian', versionId: '', versionCodename: 'bookworm' }, '/etc/debian_version');
  const ubuntu = osHit(0, { id: 'ubuntu', versionId: '22.04' }, '/usr/lib/os-release');
  t.is(inventoryOf(factsWith([fallback], { '/etc/debian_version': 0 })).os?.id, 'debian');
  t.is(inventoryOf(factsWith([fallback, ubuntu], { '/etc/debian_version': 0, '/usr/lib/os-release': 0 })).os?.id, 'ubuntu');
});
