import test from 'ava';
import { DEBIAN_BASE, findingsOf } from '../helpers/facts.js';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'toor:x:0:0:alias of root:/root:/bin/sh',
  'app:x:10001:10001::/home/app:/bin/sh',
].join('\n');

test('SQ40101 fires when no USER is set, located at Config.User, not inherited', (t) => {
  const [f, ...rest] = findingsOf('SQ40101', {
    config: { Cmd: ['node', 'server.js'] },
    history: [...DEBIAN_BASE, 'COPY . /app # buildkit', 'CMD ["node" "server.js"]'],
  });
  t.is(rest.length, 0);
  t.truthy(f);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.User' });
  t.false(f!.inherited);
  t.regex(f!.message, /no USER is set/);
  t.regex(f!.message, /root \(uid 0\)/);
});

test('SQ40101 fires on USER root and locates the USER step (classic builder)', (t) => {
  const [f] = findingsOf('SQ40101', {
    config: { User: 'root' },
    history: [...DEBIAN_BASE, '/bin/sh -c #(nop)  USER root', '/bin/sh -c apt-get update'],
  });
  t.deepEqual(f?.location, { kind: 'config', field: 'Config.User', historyIndex: 2, instruction: 'USER root' });
  t.false(f?.inherited);
  t.regex(f!.message, /USER root/);
});

test('SQ40101 fires on numeric uid 0 with a group (USER 0:0, BuildKit)', (t) => {
  const [f] = findingsOf('SQ40101', { config: { User: '0:0' }, history: [...DEBIAN_BASE, 'USER 0:0'] });
  t.regex(f!.message, /uid 0/);
  t.is(f!.location.kind === 'config' ? f!.location.historyIndex : -1, 2);
});

test('SQ40101 fires on a user name that /etc/passwd maps to uid 0', (t) => {
  const [f] = findingsOf('SQ40101', {
    config: { User: 'toor' },
    history: [...DEBIAN_BASE, 'USER toor'],
    contents: { '/etc/passwd': PASSWD },
  });
  t.regex(f!.message, /USER toor maps to uid 0 \(root\) in \/etc\/passwd/);
});

test('SQ40101 marks a root USER set by the base image as inherited', (t) => {
  const [f] = findingsOf('SQ40101', {
    config: { User: 'root' },
    history: [...DEBIAN_BASE, { createdBy: '/bin/sh -c #(nop)  USER root', inherited: true }, 'COPY app /app # buildkit'],
  });
  t.true(f!.inherited);
  t.regex(f!.message, /base image/);
});

test('SQ40101 fires on Windows when no user is set or ContainerAdministrator in any case', (t) => {
  t.is(findingsOf('SQ40101', { os: 'windows', config: {} }).length, 1);
  const [f] = findingsOf('SQ40101', {
    os: 'windows',
    config: { User: 'containeradministrator' },
    history: ['USER containeradministrator'],
  });
  t.regex(f!.message, /administrator account/);
});

test('SQ40101 does not fire on a named unprivileged user', (t) => {
  t.deepEqual(
    findingsOf('SQ40101', { config: { User: 'app' }, history: [...DEBIAN_BASE, 'USER app'], contents: { '/etc/passwd': PASSWD } }),
    [],
  );
});

test('SQ40101 does not fire on a non-zero uid with the root group (USER 1000:0)', (t) => {
  t.deepEqual(findingsOf('SQ40101', { config: { User: '1000:0' }, history: ['USER 1000:0'] }), []);
});

test('SQ40101 does not fire on a name missing from /etc/passwd (no uid 0 evidence)', (t) => {
  t.deepEqual(findingsOf('SQ40101', { config: { User: 'ghost' }, contents: { '/etc/passwd': PASSWD } }), []);
  t.deepEqual(findingsOf('SQ40101', { config: { User: 'ghost' } }), []);
});

test('SQ40101 does not fire on Windows ContainerUser', (t) => {
  t.deepEqual(findingsOf('SQ40101', { os: 'windows', config: { User: 'ContainerUser' } }), []);
});

test('SQ40101 reads numeric users as numbers: 10 does not fire, 00 (uid 0) does', (t) => {
  t.deepEqual(findingsOf('SQ40101', { config: { User: '10' } }), []);
  t.is(findingsOf('SQ40101', { config: { User: '00' } }).length, 1);
});

test('SQ40101 does not treat "root" as an administrator on Windows images', (t) => {
  t.deepEqual(findingsOf('SQ40101', { os: 'windows', config: { User: 'root' } }), []);
});
