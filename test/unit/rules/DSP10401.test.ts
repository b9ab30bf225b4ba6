import test from 'ava';
import { ALPINE_BASE, DEBIAN_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';

const HISTORY = [...DEBIAN_BASE, 'RUN /bin/sh -c apt-get install -y sudo # buildkit'];

test('DSP10401 fires on /usr/bin/sudo installed by the own build, naming its setuid bit and the step', (t) => {
  const [f, ...rest] = findingsOf('DSP10401', { history: HISTORY, files: [{ path: '/usr/bin/sudo', mode: 0o4755, layerIndex: 1 }] });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/usr/bin/sudo is installed (setuid root, mode 4755): anyone who gets a shell as an account it allows can become root; ' +
      'a container needs no privilege switching, run its process as the right user instead; ' +
      'installed by layer 1, step 2 (RUN apt-get install -y sudo)',
  );
  t.deepEqual(f!.location, { kind: 'file', path: '/usr/bin/sudo', layer: diffIdOf(1), layerIndex: 1, historyIndex: 2, instruction: 'RUN apt-get install -y sudo' });
  t.deepEqual(f!.subject, { path: '/usr/bin/sudo' });
  t.false(f!.inherited);
});

test('DSP10401 fires on doas from the base image, marked inherited, and counts /bin/sudo linking to /usr/bin/sudo once', (t) => {
  const findings = findingsOf('DSP10401', {
    history: [...ALPINE_BASE, 'COPY app /app # buildkit'],
    files: [
      { path: '/usr/bin/doas', mode: 0o4755 },
      { path: '/usr/bin/sudo', mode: 0o4755 },
      { path: '/bin/sudo', type: 'symlink', linkTarget: '../usr/bin/sudo' },
    ],
  });
  t.deepEqual(findings.map((f) => f.subject?.path), ['/usr/bin/sudo', '/usr/bin/doas']);
  t.true(findings.every((f) => f.inherited));
});

test('DSP10401 does not fire on sudoers files alone, a dangling sudo link, or unread layers', (t) => {
  t.deepEqual(
    findingsOf('DSP10401', {
      history: HISTORY,
      files: [{ path: '/etc/sudoers' }, { path: '/usr/lib/sudo/sudoers.so' }, { path: '/usr/bin/sudo', type: 'symlink', linkTarget: '/nowhere/sudo' }],
    }),
    [],
  );
  t.deepEqual(findingsOf('DSP10401', { history: HISTORY, files: [{ path: '/usr/bin/sudo', mode: 0o4755 }], layersRead: false }), []);
});
