import test from 'ava';
import { runDbImport, runDbStatus, runDbUpdate, statusText, type DbOutput } from '../../../../src/cli/db.js';
import { emptyGlobalOptions } from '../../../../src/plugin/argv.js';
import { advisory, fakeBucket, osvZip, tempDir, zipOf } from './fixtures.js';

function capture(): DbOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const none = async (): Promise<string[]> => [];

test('db status without a database fails with the hint, exit code 2', async (t) => {
  const io = capture();
  t.is(await runDbStatus({ format: 'table', cacheRoot: await tempDir() }, io), 2);
  t.deepEqual(io.stdout, []);
  t.regex(io.stderr.join('\n'), /^docker securitypolicy: no vulnerability database yet: run `docker securitypolicy db update`/);
});

test('db import makes a zip the database; db status shows it as text and JSON', async (t) => {
  const cacheRoot = await tempDir();
  const zip = await osvZip({ 'A.json': advisory('A', [['Alpine:v3.19', 'musl']]), 'bad.json': '{' });
  const io = capture();
  t.is(await runDbImport({ source: zip, cacheRoot }, io), 0);
  t.regex(io.stdout[0]!, /^Vulnerability database imported: 1 advisories in 1 ecosystem, \d+ KB \(.*db-\d+-\d+\)$/);
  t.regex(io.stderr[0]!, /skipped 1 invalid advisory file \(bad\.json: /);
  const text = capture();
  t.is(await runDbStatus({ format: 'table', cacheRoot }, text), 0);
  t.regex(text.stdout[0]!, new RegExp(`Source: +${zip.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  t.regex(text.stdout[0]!, /ECOSYSTEM +ADVISORIES +PACKAGES\nAlpine:v3\.19 +1 +1/);
  const json = capture();
  t.is(await runDbStatus({ format: 'json', cacheRoot }, json), 0);
  const status = JSON.parse(json.stdout[0]!) as { source: string; ecosystems: unknown[] };
  t.is(status.source, zip);
  t.deepEqual(status.ecosystems, [{ ecosystem: 'Alpine:v3.19', advisories: 1, packages: 1 }]);
});

test('db update downloads the ecosystems the local images need when none is named', async (t) => {
  const bucket = await fakeBucket({ '/Alpine/all.zip': zipOf({ 'A.json': advisory('A', [['Alpine:v3.19', 'musl']]) }) });
  t.teardown(() => bucket.close());
  const io = capture();
  const code = await runDbUpdate({ baseUrl: bucket.url, cacheRoot: await tempDir() }, emptyGlobalOptions(), async () => ['Alpine:v3.19', 'Alpine:v3.18'], io);
  t.is(code, 0, io.stderr.join('\n'));
  t.deepEqual(bucket.requests, ['/Alpine/all.zip']);
  t.regex(io.stdout[0]!, /^Vulnerability database updated: Alpine: 1 advisories in 1 ecosystem/);
});

test('db update with nothing to download says to name an ecosystem', async (t) => {
  const io = capture();
  t.is(await runDbUpdate({ cacheRoot: await tempDir() }, emptyGlobalOptions(), none, io), 2);
  t.regex(io.stderr[0]!, /^docker securitypolicy: no local image .*--ecosystem/);
  const failing = capture();
  const boom = async (): Promise<string[]> => {
    throw new Error('Cannot connect to the Docker daemon');
  };
  t.is(await runDbUpdate({ cacheRoot: await tempDir() }, emptyGlobalOptions(), boom, failing), 2);
  t.regex(failing.stderr[0]!, /Cannot connect to the Docker daemon.*--ecosystem/);
});

test('db update failures are one line on stderr with exit code 2', async (t) => {
  const bucket = await fakeBucket();
  t.teardown(() => bucket.close());
  const io = capture();
  t.is(await runDbUpdate({ ecosystem: ['Debian:12,npm'], baseUrl: bucket.url, cacheRoot: await tempDir() }, emptyGlobalOptions(), none, io), 2);
  t.deepEqual(bucket.requests, ['/Debian/all.zip'], 'stops at the first failure');
  t.is(io.stderr.length, 1);
  t.regex(io.stderr[0]!, /^docker securitypolicy: vulnerability database not updated \(the previous one stays\): Debian: HTTP 404/);
});

test('the status text lines up its columns', (t) => {
  const text = statusText({
    path: '/c/osv/db-1-2',
    source: 'https://osv',
    ecosystems: [
      { ecosystem: 'Debian:12', advisories: 12345, packages: 678 },
      { ecosystem: 'npm', advisories: 5, packages: 5 },
    ],
  });
  t.true(text.endsWith(['ECOSYSTEM  ADVISORIES  PACKAGES', 'Debian:12       12345       678', 'npm                 5         5'].join('\n')));
});
