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

test('SQ40101 fires on USER 0 (numeric root) and points at the classic USER step', (t) => {
  const [f, ...rest] = findingsOf('SQ40101', {
    config: { User: '0' },
    history: [...DEBIAN_BASE, '/bin/sh -c #(nop)  USER 0', '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]'],
  });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.User', historyIndex: 2, instruction: 'USER 0' });
  t.is(f!.message, 'Runs with administrative privileges: USER 0 is uid 0 (root); set by step 2 (USER 0)');
});

test('SQ40101 fires on USER root:root (the user part decides)', (t) => {
  t.is(findingsOf('SQ40101', { config: { User: 'root:root' }, history: [...DEBIAN_BASE, 'USER root:root'] }).length, 1);
});

test('SQ40101 fires on classic USER toor, an alias /etc/passwd maps to uid 0, and points at that step', (t) => {
  const [f] = findingsOf('SQ40101', {
    config: { User: 'toor' },
    history: [...DEBIAN_BASE, '/bin/sh -c #(nop)  USER toor', '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]'],
    contents: { '/etc/passwd': PASSWD },
  });
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.User', historyIndex: 2, instruction: 'USER toor' });
  t.false(f!.inherited);
  t.is(f!.message, 'Runs with administrative privileges: USER toor maps to uid 0 (root) in /etc/passwd; set by step 2 (USER toor)');
});

test('SQ40101 marks an inherited classic USER root as inherited and says the base image set it', (t) => {
  const [f] = findingsOf('SQ40101', {
    config: { User: 'root' },
    history: [...DEBIAN_BASE, { createdBy: '/bin/sh -c #(nop)  USER root', inherited: true }, 'COPY a rel/ # buildkit'],
  });
  t.true(f!.inherited);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.User', historyIndex: 2, instruction: 'USER root' });
  t.is(f!.message, 'Runs with administrative privileges: USER root; set by the base image at step 2 (USER root)');
});

test('SQ40101 fires on Windows ContainerAdministrator however it is capitalised', (t) => {
  for (const user of ['ContainerAdministrator', 'CONTAINERADMINISTRATOR', 'containerAdministrator']) {
    const [f, ...rest] = findingsOf('SQ40101', { os: 'windows', config: { User: user }, history: [`USER ${user}`] });
    t.is(rest.length, 0, user);
    t.is(f!.message, `Runs with administrative privileges: USER ${user} is the administrator account; set by step 0 (USER ${user})`, user);
  }
});

test('SQ40101 on Windows with no USER says it runs as ContainerAdministrator', (t) => {
  const [f] = findingsOf('SQ40101', { os: 'windows', config: { User: '' } });
  t.is(f!.message, 'Runs with administrative privileges: no USER is set, so it runs as ContainerAdministrator');
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.User' });
});

test('SQ40101 stays silent when the own build switches from an inherited USER root to USER app', (t) => {
  t.deepEqual(
    findingsOf('SQ40101', {
      config: { User: 'app' },
      history: [...DEBIAN_BASE, { createdBy: '/bin/sh -c #(nop)  USER root', inherited: true }, '/bin/sh -c #(nop)  USER app'],
      contents: { '/etc/passwd': PASSWD },
    }),
    [],
  );
});

test('SQ40101 stays silent on an unprivileged user in the root group (USER app:root, classic)', (t) => {
  t.deepEqual(
    findingsOf('SQ40101', { config: { User: 'app:root' }, history: [...DEBIAN_BASE, '/bin/sh -c #(nop)  USER app:root'], contents: { '/etc/passwd': PASSWD } }),
    [],
  );
});
