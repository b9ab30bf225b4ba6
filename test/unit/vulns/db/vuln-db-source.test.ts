import test from 'ava';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openVulnDb, VulnDbError } from '../../../../src/vulns/db/index.js';
import { advisory, osvDir, osvZip, tempDir, zipOf } from './fixtures.js';

async function open(source: string, cacheRoot: string): Promise<{ ids: string[]; imported: boolean }> {
  const notes: string[] = [];
  const db = await openVulnDb({ source, cacheRoot, onProgress: (m) => notes.push(m) });
  const ids = (await db.lookup([{ ecosystem: 'npm', name: 'lodash' }])).advisoriesFor('npm', 'lodash').map((a) => a.id).sort();
  await db.close();
  return { ids, imported: notes.some((n) => n.startsWith('Importing')) };
}

test('--vuln-db ZIP is imported once, and again only when the zip changes', async (t) => {
  const cacheRoot = await tempDir();
  const zip = await osvZip({ 'A.json': advisory('A', [['npm', 'lodash']]) });
  t.deepEqual(await open(zip, cacheRoot), { ids: ['A'], imported: true });
  t.deepEqual(await open(zip, cacheRoot), { ids: ['A'], imported: false }, 'unchanged: the cached import serves');
  await writeFile(zip, zipOf({ 'A.json': advisory('A', [['npm', 'lodash']]), 'B.json': advisory('B', [['npm', 'lodash']]) }));
  t.deepEqual(await open(zip, cacheRoot), { ids: ['A', 'B'], imported: true }, 'a new size re-imports');
  await utimes(zip, new Date(), new Date(Date.now() + 5000));
  t.deepEqual(await open(zip, cacheRoot), { ids: ['A', 'B'], imported: true }, 'a new mtime re-imports');
});

test('--vuln-db DIR notices a file added in a subdirectory', async (t) => {
  const cacheRoot = await tempDir();
  const dir = await osvDir({ 'npm/A.json': advisory('A', [['npm', 'lodash']]) });
  t.deepEqual(await open(dir, cacheRoot), { ids: ['A'], imported: true });
  t.deepEqual(await open(dir, cacheRoot), { ids: ['A'], imported: false });
  await writeFile(join(dir, 'npm', 'B.json'), JSON.stringify(advisory('B', [['npm', 'lodash']])));
  t.deepEqual(await open(dir, cacheRoot), { ids: ['A', 'B'], imported: true });
});

test('--vuln-db does not touch the downloaded database', async (t) => {
  const cacheRoot = await tempDir();
  await open(await osvZip({ 'A.json': advisory('A', [['npm', 'lodash']]) }), cacheRoot);
  await t.throwsAsync(openVulnDb({ cacheRoot }), { message: /no vulnerability database yet/ });
});

test('a --vuln-db that is missing or not a zip is one clear line', async (t) => {
  const cacheRoot = await tempDir();
  const missing = await t.throwsAsync(openVulnDb({ source: join(cacheRoot, 'nope.zip'), cacheRoot }), { instanceOf: VulnDbError });
  t.regex(missing!.message, /^--vuln-db .*nope\.zip: no such file or directory$/);
  const bogus = join(cacheRoot, 'bogus.zip');
  await writeFile(bogus, 'PK but not really');
  const bad = await t.throwsAsync(openVulnDb({ source: bogus, cacheRoot }), { instanceOf: VulnDbError });
  t.regex(bad!.message, /^--vuln-db .*bogus\.zip: not a zip file/);
  t.false(bad!.message.includes('\n'));
});
