import test from 'ava';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { openVulnDb, updateDb, installDb, VulnDbError } from '../../../../src/vulns/db/index.js';
import { downloadFolder } from '../../../../src/vulns/db/names.js';
import { advisory, fakeBucket, osvZip, tempDir, zipOf } from './fixtures.js';

const DEBIAN = zipOf({ 'DSA-1.json': advisory('DSA-1', [['Debian:12', 'openssl']]) });
const DEBIAN_V2 = zipOf({
  'DSA-1.json': advisory('DSA-1', [['Debian:12', 'openssl']]),
  'DSA-2.json': advisory('DSA-2', [['Debian:12', 'openssl']]),
});
const NPM = zipOf({ 'GHSA-1.json': advisory('GHSA-1', [['npm', 'lodash']]) });

const osvEntries = async (cacheRoot: string): Promise<string[]> => (await readdir(join(cacheRoot, 'osv'))).sort();

async function idsOf(cacheRoot: string, ecosystem: string, name: string): Promise<string[]> {
  const db = await openVulnDb({ cacheRoot });
  const found = (await db.lookup([{ ecosystem, name }])).advisoriesFor(ecosystem, name).map((a) => a.id);
  await db.close();
  return found.sort();
}

test('a release downloads its distribution folder: OSV exports only Debian/all.zip, not Debian:12/', (t) => {
  t.is(downloadFolder('Debian:12'), 'Debian');
  t.is(downloadFolder('Alpine:v3.19'), 'Alpine');
  t.is(downloadFolder('Ubuntu:22.04:LTS'), 'Ubuntu');
  t.is(downloadFolder('PyPI'), 'PyPI');
});

test('without a database, opening it says how to get one', async (t) => {
  const err = await t.throwsAsync(openVulnDb({ cacheRoot: await tempDir() }), { instanceOf: VulnDbError });
  t.regex(err!.message, /no vulnerability database yet: run `docker securitypolicy db update`, or pass --vuln-db DIR\|ZIP/);
});

test('an update downloads every ecosystem, then swaps the new database in', async (t) => {
  const bucket = await fakeBucket({ '/Debian/all.zip': DEBIAN, '/npm/all.zip': NPM });
  t.teardown(() => bucket.close());
  const cacheRoot = await tempDir();
  const seen: string[] = [];
  const result = await updateDb({
    ecosystems: ['Debian:12', 'Debian:11', 'npm'],
    baseUrl: bucket.url,
    cacheRoot,
    onProgress: (p) => seen.push(p.phase === 'download' ? `${p.ecosystem} ${p.bytes}/${p.total}` : p.phase),
  });
  t.deepEqual(bucket.requests, ['/Debian/all.zip', '/npm/all.zip'], 'each folder once');
  t.true(seen.includes(`Debian ${DEBIAN.length}/${DEBIAN.length}`), 'byte progress against content-length');
  t.deepEqual(result.meta.folders, ['Debian', 'npm']);
  t.is(result.meta.source, bucket.url);
  t.truthy(result.meta.downloaded);
  t.is(join(cacheRoot, 'osv', await readlink(join(cacheRoot, 'osv', 'current'))), result.path);
  t.deepEqual(await idsOf(cacheRoot, 'Debian:12', 'openssl'), ['DSA-1']);
  t.deepEqual(await idsOf(cacheRoot, 'npm', 'lodash'), ['GHSA-1']);
  t.deepEqual(await readdir(result.path).then((n) => n.sort()), ['advisories.ndjson', 'meta.json'], 'no download or marker left');
});

test('a successful update removes the previous database; a reader opened before keeps working', async (t) => {
  const bucket = await fakeBucket({ '/Debian/all.zip': DEBIAN });
  t.teardown(() => bucket.close());
  const cacheRoot = await tempDir();
  const first = await updateDb({ ecosystems: ['Debian'], baseUrl: bucket.url, cacheRoot });
  const before = await openVulnDb({ cacheRoot });
  bucket.routes.set('/Debian/all.zip', DEBIAN_V2);
  const second = await updateDb({ ecosystems: ['Debian'], baseUrl: bucket.url, cacheRoot });
  t.not(second.path, first.path);
  t.deepEqual(await osvEntries(cacheRoot), ['current', second.path.split('/').pop()!].sort(), 'the old directory is gone');
  const old = await before.lookup([{ ecosystem: 'Debian:12', name: 'openssl' }]);
  t.deepEqual(old.advisoriesFor('Debian:12', 'openssl').map((a) => a.id), ['DSA-1'], 'the old reader still answers from the old data');
  t.is(before.status().path, first.path);
  await before.close();
  t.deepEqual(await idsOf(cacheRoot, 'Debian:12', 'openssl'), ['DSA-1', 'DSA-2'], 'a new reader sees the new data');
});

test('when one ecosystem fails (404), the old database stays and nothing partial is left', async (t) => {
  const bucket = await fakeBucket({ '/Debian/all.zip': DEBIAN });
  t.teardown(() => bucket.close());
  const cacheRoot = await tempDir();
  const first = await updateDb({ ecosystems: ['Debian'], baseUrl: bucket.url, cacheRoot });
  bucket.routes.set('/Debian/all.zip', DEBIAN_V2);
  const err = await t.throwsAsync(updateDb({ ecosystems: ['Debian', 'Nope'], baseUrl: bucket.url, cacheRoot }), { instanceOf: VulnDbError });
  t.regex(err!.message, /not updated \(the previous one stays\): Nope: HTTP 404/);
  t.false(err!.message.includes('\n'));
  t.deepEqual(await osvEntries(cacheRoot), ['current', first.path.split('/').pop()!].sort());
  t.deepEqual(await idsOf(cacheRoot, 'Debian:12', 'openssl'), ['DSA-1']);
});

test('a download cut short is an error, and the old database stays', async (t) => {
  const bucket = await fakeBucket({ '/Debian/all.zip': DEBIAN });
  t.teardown(() => bucket.close());
  const cacheRoot = await tempDir();
  const first = await updateDb({ ecosystems: ['Debian'], baseUrl: bucket.url, cacheRoot });
  bucket.routes.set('/npm/all.zip', { truncate: NPM });
  const err = await t.throwsAsync(updateDb({ ecosystems: ['Debian', 'npm'], baseUrl: bucket.url, cacheRoot }), { instanceOf: VulnDbError });
  t.regex(err!.message, /npm: download cut short after \d+ of \d+ bytes/);
  t.deepEqual(await osvEntries(cacheRoot), ['current', first.path.split('/').pop()!].sort());
  t.deepEqual(await idsOf(cacheRoot, 'Debian:12', 'openssl'), ['DSA-1']);
});

test('a download that is not a zip is an error naming the ecosystem', async (t) => {
  const bucket = await fakeBucket({ '/Debian/all.zip': Buffer.from('<html>captive portal</html>') });
  t.teardown(() => bucket.close());
  const cacheRoot = await tempDir();
  const err = await t.throwsAsync(updateDb({ ecosystems: ['Debian'], baseUrl: bucket.url, cacheRoot }), { instanceOf: VulnDbError });
  t.regex(err!.message, /Debian: not a zip file/);
  t.deepEqual(await osvEntries(cacheRoot), [], 'no database, no partial directory');
  await t.throwsAsync(openVulnDb({ cacheRoot }), { message: /no vulnerability database yet/ });
});

test('an unreachable server is an error in one line', async (t) => {
  const bucket = await fakeBucket();
  const url = bucket.url;
  await bucket.close();
  const err = await t.throwsAsync(updateDb({ ecosystems: ['npm'], baseUrl: url, cacheRoot: await tempDir() }), { instanceOf: VulnDbError });
  t.regex(err!.message, /npm: fetch failed/);
});

test('importing a local export makes it the current database, by the same swap', async (t) => {
  const cacheRoot = await tempDir();
  const first = await installDb(await osvZip({ 'A.json': advisory('A', [['PyPI', 'requests']]) }), { cacheRoot });
  const second = await installDb(await osvZip({ 'B.json': advisory('B', [['PyPI', 'requests']]) }), { cacheRoot });
  t.not(first.path, second.path);
  t.deepEqual(await idsOf(cacheRoot, 'PyPI', 'Requests'), ['B']);
  t.deepEqual(await osvEntries(cacheRoot), ['current', second.path.split('/').pop()!].sort());
  await t.throwsAsync(installDb(join(cacheRoot, 'missing.zip'), { cacheRoot }), { message: /not imported .*missing\.zip: no such file or directory/ });
  t.deepEqual(await idsOf(cacheRoot, 'PyPI', 'requests'), ['B']);
});
