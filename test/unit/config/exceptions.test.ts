// Which findings an exception covers: policy ranges and lists, image globs
// and IDs, path globs, ports, and expiry on both sides of the date.
import test from 'ava';
import { isExpired, matchException } from '../../../src/config/exceptions.js';
import { parseConfig } from '../../../src/config/load.js';
import { imageMatches } from '../../../src/config/selectors.js';
import { loadCatalog } from '../../../src/policies/catalog.js';

const IDS = [...loadCatalog().keys()];
const exceptions = (yaml: string) => parseConfig(yaml, 'dsp.yaml', IDS).exceptions;
const app = { id: 'sha256:' + 'ab12'.repeat(16), repoTags: ['myorg/app:1.4', 'myorg/app:latest'] };
const now = new Date('2026-11-23T12:00:00Z');

test('a range covers every policy between its ends, inclusive', (t) => {
  const list = exceptions('exceptions:\n  - policy: SQ40103-SQ40108\n    reason: r\n');
  for (const policy of ['SQ40103', 'SQ40105', 'SQ40108']) t.truthy(matchException({ policy }, app, list, now).active, policy);
  for (const policy of ['SQ40102', 'SQ41101']) t.falsy(matchException({ policy }, app, list, now).active, policy);
});

test('a list covers exactly its IDs and ranges', (t) => {
  const list = exceptions('exceptions:\n  - policy: [SQ40101, SQ41104-SQ41105]\n    reason: r\n');
  t.truthy(matchException({ policy: 'SQ40101' }, app, list, now).active);
  t.truthy(matchException({ policy: 'SQ41105' }, app, list, now).active);
  t.falsy(matchException({ policy: 'SQ41103' }, app, list, now).active);
});

test('image: glob with a tag matches repo:tag; without a tag any tag of the repository', (t) => {
  t.true(imageMatches('myorg/app:1.*', app));
  t.false(imageMatches('myorg/app:2.*', app));
  t.true(imageMatches('myorg/*', app));
  t.true(imageMatches('myorg/app', app));
  t.false(imageMatches('other/*', app));
  t.false(imageMatches('*/app:9', app));
  t.true(imageMatches('**', { repoTags: ['registry.example.com/team/x/app:1'] }));
  t.true(imageMatches('*', { repoTags: [] }), 'a lone * is every image, even untagged');
  t.true(imageMatches('nginx:1.25', { repoTags: ['docker.io/library/nginx:1.25'] }), 'Docker Hub names as people write them');
});

test('image: an ID, full or short, with or without sha256:', (t) => {
  t.true(imageMatches('sha256:' + 'ab12'.repeat(16), app));
  t.true(imageMatches('ab12ab12ab12', app));
  t.false(imageMatches('ffffffffffff', app));
  t.false(imageMatches('ab12', app), 'fewer than 12 hex digits is a name glob, not an ID');
});

test('image: the name given on the command line also counts', (t) => {
  t.true(imageMatches('local/build:*', { repoTags: [], ref: 'local/build:dev' }));
});

test('path: only file findings, by glob on the absolute path', (t) => {
  const list = exceptions('exceptions:\n  - policy: SQ40102\n    path: "/usr/bin/{su,passwd}"\n    reason: r\n');
  t.truthy(matchException({ policy: 'SQ40102', subject: { path: '/usr/bin/su' } }, app, list, now).active);
  t.falsy(matchException({ policy: 'SQ40102', subject: { path: '/usr/bin/mount' } }, app, list, now).active);
  t.falsy(matchException({ policy: 'SQ40102' }, app, list, now).active, 'no path on the finding: not covered');
  const deep = exceptions('exceptions:\n  - policy: SQ40102\n    path: "/opt/**"\n    reason: r\n');
  t.truthy(matchException({ policy: 'SQ40102', subject: { path: '/opt/a/b/.hidden' } }, app, deep, now).active);
});

test('port: number matches any protocol; a protocol or range narrows it', (t) => {
  const any = exceptions('exceptions:\n  - policy: SQ40103-SQ40108\n    port: 22\n    reason: r\n');
  t.truthy(matchException({ policy: 'SQ40104', subject: { port: '22/tcp' } }, app, any, now).active);
  t.truthy(matchException({ policy: 'SQ40104', subject: { port: '22/udp' } }, app, any, now).active);
  t.falsy(matchException({ policy: 'SQ40106', subject: { port: '23/tcp' } }, app, any, now).active);
  t.falsy(matchException({ policy: 'SQ40104' }, app, any, now).active, 'no port on the finding: not covered');
  const udp = exceptions('exceptions:\n  - policy: SQ40103\n    port: 20-21/udp\n    reason: r\n');
  t.truthy(matchException({ policy: 'SQ40103', subject: { port: '21/udp' } }, app, udp, now).active);
  t.falsy(matchException({ policy: 'SQ40103', subject: { port: '21/tcp' } }, app, udp, now).active);
});

test('expiry: applies before the date, not on or after it (UTC)', (t) => {
  const list = exceptions('exceptions:\n  - policy: SQ40104\n    reason: r\n    expires: 2026-11-24\n');
  t.truthy(matchException({ policy: 'SQ40104' }, app, list, new Date('2026-11-23T23:59:59Z')).active);
  const after = matchException({ policy: 'SQ40104' }, app, list, new Date('2026-11-24T00:00:00Z'));
  t.falsy(after.active);
  t.is(after.expired?.expires, '2026-11-24', 'the expired exception is kept so the report can say so');
  t.false(isExpired({}, new Date('2999-01-01')), 'no date: never expires');
});

test('a live exception wins over an expired one for the same finding', (t) => {
  const list = exceptions(
    'exceptions:\n  - policy: SQ40104\n    reason: old\n    expires: 2020-01-01\n  - policy: SQ40104\n    reason: renewed\n    expires: 2030-01-01\n',
  );
  t.is(matchException({ policy: 'SQ40104' }, app, list, now).active?.reason, 'renewed');
});

test('an exception for another image does not apply', (t) => {
  const list = exceptions('exceptions:\n  - policy: SQ40104\n    image: "other/*"\n    reason: r\n');
  t.deepEqual(matchException({ policy: 'SQ40104' }, app, list, now), {});
});
