import test from 'ava';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importOsv } from '../../../../src/vulns/db/import.js';
import { openCurrent } from '../../../../src/vulns/db/open.js';
import { buildAndPublish } from '../../../../src/vulns/db/swap.js';
import type { VulnDatabase } from '../../../../src/vulns/db/open.js';
import { advisory, osvDir, osvZip, tempDir, type Files } from './fixtures.js';

const FILES: Files = {
  'Debian/DSA-1.json': advisory('DSA-1', [['Debian:12', 'openssl']]),
  'Debian/DSA-2.json': advisory('DSA-2', [['Debian:11', 'openssl'], ['Debian:12', 'openssl']]),
  'Debian/DEBIAN-CVE-3.json': advisory('DEBIAN-CVE-3', [['Debian', 'openssl']]),
  'Debian/DSA-9.json': advisory('DSA-9', [['Debian:12', 'zlib']], { withdrawn: '2024-06-01T00:00:00Z' }),
  'PyPI/PYSEC-1.json': advisory('PYSEC-1', [['PyPI', 'Zope.Interface']]),
  'npm/GHSA-1.json': advisory('GHSA-1', [['npm', 'lodash'], ['npm', 'lodash-es']]),
  'npm/broken.json': '{"id": "GHSA-x", ',
  'npm/not-an-advisory.json': '[1, 2, 3]',
  'npm/README.md': 'not json at all, and not named *.json',
};

async function imported(source: string): Promise<VulnDatabase> {
  const root = await tempDir();
  await buildAndPublish(root, (into) => importOsv(source, into));
  const db = await openCurrent(root);
  if (!db) throw new Error('no database');
  return db;
}

const ids = (list: Array<{ id: string }>): string[] => list.map((a) => a.id).sort();

for (const [kind, make] of [
  ['directory', () => osvDir(FILES)],
  ['zip', () => osvZip(FILES)],
  ['zip of stored entries', () => osvZip(FILES, true)],
] as const) {
  test(`a ${kind} of OSV files imports every advisory under each package it affects`, async (t) => {
    const db = await imported(await make());
    const index = await db.lookup([
      { ecosystem: 'Debian:12', name: 'openssl' },
      { ecosystem: 'npm', name: 'lodash' },
      { ecosystem: 'npm', name: 'lodash-es' },
    ]);
    t.deepEqual(ids(index.advisoriesFor('Debian:12', 'openssl')), ['DEBIAN-CVE-3', 'DSA-1', 'DSA-2'], 'release and bare-distribution advisories');
    t.deepEqual(ids(index.advisoriesFor('npm', 'lodash')), ['GHSA-1']);
    t.deepEqual(ids(index.advisoriesFor('npm', 'lodash-es')), ['GHSA-1'], 'an advisory of two packages is found under both');
    await db.close();
  });
}

test('lookups fall back from a release to its distribution, and not the other way', async (t) => {
  const db = await imported(await osvDir(FILES));
  const index = await db.lookup([
    { ecosystem: 'Debian:13', name: 'openssl' },
    { ecosystem: 'Debian:11', name: 'openssl' },
  ]);
  t.deepEqual(ids(index.advisoriesFor('Debian:13', 'openssl')), ['DEBIAN-CVE-3'], 'a release without own advisories gets the bare ones');
  t.deepEqual(ids(index.advisoriesFor('Debian:11', 'openssl')), ['DEBIAN-CVE-3', 'DSA-2']);
  t.true(db.hasEcosystem('Debian:13'), 'the distribution is covered');
  t.true(db.hasEcosystem('PyPI'));
  t.false(db.hasEcosystem('Alpine:v3.19'));
});

test('an advisory found under both the release and the bare distribution comes once, with both affected entries', async (t) => {
  const db = await imported(await osvDir({ 'X-1.json': advisory('X-1', [['Debian:12', 'curl'], ['Debian', 'curl']]) }));
  const index = await db.lookup([{ ecosystem: 'Debian:12', name: 'curl' }]);
  const found = index.advisoriesFor('Debian:12', 'curl');
  t.is(found.length, 1);
  t.deepEqual(found[0]!.affected!.map((a) => a.package!.ecosystem).sort(), ['Debian', 'Debian:12']);
});

test('PyPI names are compared as PEP 503 normalises them', async (t) => {
  const db = await imported(await osvZip(FILES));
  const index = await db.lookup([{ ecosystem: 'PyPI', name: 'zope_interface' }]);
  t.deepEqual(ids(index.advisoriesFor('PyPI', 'zope-interface')), ['PYSEC-1']);
  t.deepEqual(ids(index.advisoriesFor('PyPI', 'ZOPE..Interface')), ['PYSEC-1']);
  const npm = await db.lookup([{ ecosystem: 'npm', name: 'Lodash' }]);
  t.deepEqual(npm.advisoriesFor('npm', 'Lodash'), [], 'other ecosystems compare exactly');
});

test('withdrawn advisories are left out, invalid files counted and skipped', async (t) => {
  const into = await tempDir();
  const notes: string[] = [];
  const { meta, invalidFiles } = await importOsv(await osvDir(FILES), into, (m) => notes.push(m));
  t.is(meta.withdrawn, 1);
  t.is(meta.invalid, 2);
  t.is(meta.advisories, 5);
  t.is(invalidFiles.length, 2);
  t.regex(invalidFiles.join('\n'), /npm\/broken\.json/);
  t.true(notes.some((n) => /Skipped 2 invalid files/.test(n)), 'the skip is noted');
  t.false((await readFile(join(into, 'advisories.ndjson'), 'utf8')).includes('DSA-9'));
  t.deepEqual((await readdir(into)).sort(), ['advisories.ndjson', 'meta.json'], 'no spool left behind');
});

test('records keep what the matcher needs and drop the rest', async (t) => {
  const db = await imported(await osvDir(FILES));
  const [found] = (await db.lookup([{ ecosystem: 'Debian:12', name: 'openssl' }])).advisoriesFor('Debian:12', 'openssl').filter((a) => a.id === 'DSA-2');
  t.truthy(found);
  t.is(found!.details, undefined, 'details are not kept');
  t.is(found!.references!.length, 3, 'the first three references');
  t.is(found!.summary, 'DSA-2 summary');
  t.deepEqual(
    found!.affected!.map((a) => a.package),
    [{ ecosystem: 'Debian:12', name: 'openssl' }],
    'only the affected entries of the package looked up',
  );
});

test('status lists each ecosystem with its advisories and packages', async (t) => {
  const db = await imported(await osvDir(FILES));
  const status = db.status();
  t.deepEqual(status.ecosystems, [
    { ecosystem: 'Debian', advisories: 1, packages: 1 },
    { ecosystem: 'Debian:11', advisories: 1, packages: 1 },
    { ecosystem: 'Debian:12', advisories: 2, packages: 1 },
    { ecosystem: 'PyPI', advisories: 1, packages: 1 },
    { ecosystem: 'npm', advisories: 1, packages: 2 },
  ]);
  t.is(status.modified, '2024-05-01T00:00:00Z');
});

test('an advisory met twice keeps its newest version', async (t) => {
  const older = advisory('GHSA-2', [['npm', 'old-name']], { modified: '2023-01-01T00:00:00Z' });
  const newer = advisory('GHSA-2', [['npm', 'new-name']], { modified: '2024-01-01T00:00:00Z' });
  for (const files of [{ 'a/x.json': older, 'b/x.json': newer }, { 'a/x.json': newer, 'b/x.json': older }]) {
    const db = await imported(await osvDir(files));
    const index = await db.lookup([
      { ecosystem: 'npm', name: 'old-name' },
      { ecosystem: 'npm', name: 'new-name' },
    ]);
    t.deepEqual(ids(index.advisoriesFor('npm', 'new-name')), ['GHSA-2']);
    t.deepEqual(index.advisoriesFor('npm', 'old-name'), []);
  }
});

test('a file that is not a zip is refused in one line naming it', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 'all.zip');
  await writeFile(path, 'this is not a zip');
  const err = await t.throwsAsync(importOsv(path, join(dir, 'db')));
  t.regex(err!.message, /all\.zip: not a zip file/);
  t.false(err!.message.includes('\n'));
});

test('many packages are looked up with few reads and come back complete', async (t) => {
  const files: Files = {};
  for (let i = 0; i < 2000; i++) files[`A-${i}.json`] = advisory(`A-${i}`, [['Debian:12', `pkg-${i % 500}`]]);
  const db = await imported(await osvZip(files));
  const keys = Array.from({ length: 500 }, (_, i) => ({ ecosystem: 'Debian:12', name: `pkg-${i}` }));
  const index = await db.lookup(keys);
  t.true(keys.every((k) => index.advisoriesFor(k.ecosystem, k.name).length === 4));
  t.deepEqual(index.advisoriesFor('Debian:12', 'pkg-not-asked'), []);
});
