import test from 'ava';
import { DEBIAN_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';

const HISTORY = [...DEBIAN_BASE, 'RUN /bin/sh -c chmod -R 777 /app # buildkit', 'RUN /bin/sh -c chmod 666 /etc/app.conf # buildkit'];

test('DSP10407 fires on a world-writable file, naming its mode, owner and the step', (t) => {
  const [f, ...rest] = findingsOf('DSP10407', { history: HISTORY, files: [{ path: '/etc/app.conf', mode: 0o666, uid: 0, gid: 0, layerIndex: 2 }] });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/etc/app.conf is a world-writable file (mode 0666, owner 0:0): any user in the container can change it; ' +
      'written by layer 2, step 3 (RUN chmod 666 /etc/app.conf); chmod o-w it, or give it to the user that needs to write',
  );
  t.deepEqual(f!.location, { kind: 'file', path: '/etc/app.conf', layer: diffIdOf(2), layerIndex: 2, historyIndex: 3, instruction: 'RUN chmod 666 /etc/app.conf' });
  t.deepEqual(f!.subject, { path: '/etc/app.conf' });
  t.false(f!.inherited);
});

test('DSP10407 reports a chmod -R 777 tree once, at its top directory, counting the paths beneath', (t) => {
  const files = [
    { path: '/app', type: 'dir' as const, mode: 0o777, layerIndex: 1 },
    { path: '/app/lib', type: 'dir' as const, mode: 0o777, layerIndex: 1 },
    { path: '/app/lib/a.js', mode: 0o777, layerIndex: 1 },
    { path: '/app/server', mode: 0o777, layerIndex: 1 },
    { path: '/app/readme', mode: 0o644, layerIndex: 1 },
  ];
  const [f, ...rest] = findingsOf('DSP10407', { history: HISTORY, files });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/app is a world-writable directory (mode 0777, owner 0:0), and so are 3 paths beneath it: ' +
      'any user in the container can add, replace or delete what it holds; ' +
      'written by layer 1, step 2 (RUN chmod -R 777 /app); chmod o-w -R it, or give it to the user that needs to write',
  );
});

test('DSP10407 follows a hardlink to its target\'s mode and sums up past maxFindings', (t) => {
  const files = [
    { path: '/opt/a', mode: 0o666 },
    { path: '/opt/b', type: 'hardlink' as const, linkTarget: '/opt/a', mode: 0o644 },
    { path: '/opt/c', mode: 0o646, layerIndex: 1 },
    { path: '/opt/d', type: 'dir' as const, mode: 0o777, layerIndex: 2 },
    { path: '/opt/d/e', mode: 0o666, layerIndex: 2 },
  ];
  const findings = findingsOf('DSP10407', { history: HISTORY, files }, { DSP10407: { options: { maxFindings: 2 } } });
  t.deepEqual(findings.slice(0, 2).map((f) => f.subject?.path), ['/opt/a', '/opt/b']);
  t.is(
    findings[2]!.message,
    '…and 3 more world-writable paths (the first 2 are reported one by one), e.g. /opt/c, /opt/d; in 2 layers (1, 2); ' +
      'list them with `find / -xdev -perm -o+w ! -type l ! -type c`',
  );
  t.is(findings[2]!.subject, undefined);
  t.is(findings.length, 3);
});

test('DSP10407 does not fire on /tmp and friends, sticky directories, symlinks, devices or group-writable files', (t) => {
  t.deepEqual(
    findingsOf('DSP10407', {
      history: HISTORY,
      files: [
        { path: '/tmp', type: 'dir', mode: 0o1777 },
        { path: '/tmp/x', mode: 0o666 },
        { path: '/var/tmp/cache', type: 'dir', mode: 0o777 },
        { path: '/run/lock', type: 'dir', mode: 0o777 },
        { path: '/dev/shm/x', mode: 0o666 },
        { path: '/srv/shared', type: 'dir', mode: 0o1777 },
        { path: '/usr/bin/vi', type: 'symlink', linkTarget: 'vim.basic', mode: 0o777 },
        { path: '/dev/null', type: 'char', mode: 0o666 },
        { path: '/var/mail', type: 'dir', mode: 0o2775 },
        { path: '/tmpfile', mode: 0o644 },
      ],
    }),
    [],
  );
});
