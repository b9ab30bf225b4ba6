import test from 'ava';
import { DEBIAN_BASE, IMPORTED_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';
import { MERGED_LAYER } from '../../../src/image/facts.js';

const HISTORY = [...DEBIAN_BASE, 'RUN /bin/sh -c chmod u+s /usr/local/bin/tool # buildkit', 'COPY app /app # buildkit'];

test('SQ40102 fires on a setuid-root file and locates the layer and step that wrote it', (t) => {
  const [f, ...rest] = findingsOf('SQ40102', {
    history: HISTORY,
    files: [{ path: '/usr/local/bin/tool', mode: 0o4755, layerIndex: 1 }],
  });
  t.is(rest.length, 0);
  t.is(f!.message, '/usr/local/bin/tool is setuid (mode 4755, owner 0:0; runs as root whoever starts it); written by layer 1, step 2 (RUN chmod u+s /usr/local/bin/tool)');
  t.deepEqual(f!.location, {
    kind: 'file',
    path: '/usr/local/bin/tool',
    layer: diffIdOf(1),
    layerIndex: 1,
    historyIndex: 2,
    instruction: 'RUN chmod u+s /usr/local/bin/tool',
  });
  t.deepEqual(f!.subject, { path: '/usr/local/bin/tool' });
  t.false(f!.inherited);
});

test('SQ40102 on a file whose layer a --quick check could not tell: the message and the location say the layer is not known', (t) => {
  const [f] = findingsOf('SQ40102', { history: HISTORY, files: [{ path: '/usr/local/bin/tool', mode: 0o4755, layerIndex: MERGED_LAYER }] });
  t.is(f!.message, '/usr/local/bin/tool is setuid (mode 4755, owner 0:0; runs as root whoever starts it); written by an unknown layer (checked with --quick)');
  t.deepEqual(f!.location, { kind: 'file', path: '/usr/local/bin/tool', layer: '', layerIndex: MERGED_LAYER });
  t.false(f!.inherited, 'not known to be the base image\'s: judged as the image\'s own');
});

test('SQ40102 marks setuid files from the base image rootfs as inherited, one finding per file, sorted by path', (t) => {
  const findings = findingsOf('SQ40102', {
    history: HISTORY,
    files: [
      { path: '/usr/bin/su', mode: 0o4755 },
      { path: '/usr/bin/passwd', mode: 0o4755 },
      { path: '/usr/bin/expiry', mode: 0o2755, gid: 42 },
      { path: '/usr/bin/ls', mode: 0o755 },
    ],
  });
  t.deepEqual(findings.map((f) => f.subject?.path), ['/usr/bin/expiry', '/usr/bin/passwd', '/usr/bin/su']);
  t.true(findings.every((f) => f.inherited));
  t.regex(findings[0]!.message, /is setgid \(mode 2755, owner 0:42; runs with group gid 42/);
  t.regex(findings[2]!.message, /step 0 \(ADD file:3b5e4c8ad0e1f2a7c6d9 in \/\)/);
});

test('SQ40102 reports setuid+setgid together', (t) => {
  const [f] = findingsOf('SQ40102', { history: HISTORY, files: [{ path: '/x', mode: 0o6755, uid: 0, gid: 0 }] });
  t.regex(f!.message, /is setuid\+setgid \(mode 6755/);
});

test('SQ40102 fires on a hardlink using its target\'s mode and owner', (t) => {
  const [f, ...rest] = findingsOf('SQ40102', {
    history: HISTORY,
    files: [
      { path: '/bin/mount', mode: 0o755 }, // a hardlink target without the bit would not fire
      { path: '/usr/bin/newgrp', mode: 0o4755, uid: 0 },
      { path: '/usr/bin/sg', type: 'hardlink', linkTarget: '/usr/bin/newgrp', mode: 0o644, layerIndex: 1 },
    ],
  });
  t.is(rest.length, 1);
  const sg = [f!, ...rest].find((x) => x.subject?.path === '/usr/bin/sg');
  t.regex(sg!.message, /\/usr\/bin\/sg \(hardlink to \/usr\/bin\/newgrp\) is setuid \(mode 4755/);
  t.is(sg!.location.kind === 'file' ? sg!.location.layerIndex : -1, 1);
});

test('SQ40102 uses a hardlink\'s own mode when its target is not in the merged filesystem', (t) => {
  const [f] = findingsOf('SQ40102', {
    history: HISTORY,
    files: [{ path: '/usr/bin/orphan', type: 'hardlink', linkTarget: '/gone', mode: 0o4711 }],
  });
  t.regex(f!.message, /mode 4711/);
});

test('SQ40102 does not fire on setgid directories (Debian /var/mail, /var/local)', (t) => {
  t.deepEqual(
    findingsOf('SQ40102', {
      history: HISTORY,
      files: [
        { path: '/var/mail', type: 'dir', mode: 0o2775, gid: 8 },
        { path: '/var/local', type: 'dir', mode: 0o2775, gid: 50 },
        { path: '/tmp', type: 'dir', mode: 0o1777 },
      ],
    }),
    [],
  );
});

test('SQ40102 does not fire on symlinks, devices or files whose bit a late chmod removed', (t) => {
  t.deepEqual(
    findingsOf('SQ40102', {
      history: HISTORY,
      files: [
        { path: '/usr/bin/chsh', mode: 0o755, layerIndex: 2 }, // the merged view after `chmod u-s`
        { path: '/usr/bin/link', type: 'symlink', linkTarget: 'su', mode: 0o4777 },
        { path: '/dev/null', type: 'char', mode: 0o6666 },
        { path: '/opt/sticky', mode: 0o1755 },
      ],
    }),
    [],
  );
});

test('SQ40102 reports nothing when the layers were not read', (t) => {
  t.deepEqual(findingsOf('SQ40102', { history: HISTORY, files: [{ path: '/usr/bin/su', mode: 0o4755 }], layersRead: false }), []);
});

test('SQ40102 fires on a file made setuid by a classic RUN chmod u+s and points at that RUN step', (t) => {
  const [f] = findingsOf('SQ40102', {
    history: [...DEBIAN_BASE, '/bin/sh -c chmod u+s /x'],
    files: [{ path: '/x', mode: 0o4755, layerIndex: 1 }],
  });
  t.is(f!.message, '/x is setuid (mode 4755, owner 0:0; runs as root whoever starts it); written by layer 1, step 2 (RUN chmod u+s /x)');
  t.deepEqual(f!.location, { kind: 'file', path: '/x', layer: diffIdOf(1), layerIndex: 1, historyIndex: 2, instruction: 'RUN chmod u+s /x' });
  t.false(f!.inherited);
});

test('SQ40102 names a non-root owner: a setuid file owned by uid 1000 runs as uid 1000', (t) => {
  const [f] = findingsOf('SQ40102', { history: HISTORY, files: [{ path: '/opt/app/helper', mode: 0o4750, uid: 1000, gid: 1000, layerIndex: 2 }] });
  t.regex(f!.message, /^\/opt\/app\/helper is setuid \(mode 4750, owner 1000:1000; runs as uid 1000 whoever starts it\)/);
});

test('SQ40102 fires on setuid /bin/su of an imported root filesystem, marked inherited, naming the import step', (t) => {
  const [f] = findingsOf('SQ40102', {
    history: [...IMPORTED_BASE, 'COPY a rel/ # buildkit'],
    files: [{ path: '/bin/su', mode: 0o4755, layerIndex: 0 }],
  });
  t.true(f!.inherited);
  t.is(f!.message, '/bin/su is setuid (mode 4755, owner 0:0; runs as root whoever starts it); written by layer 0, step 0 (no command recorded)');
  t.deepEqual(f!.location, { kind: 'file', path: '/bin/su', layer: diffIdOf(0), layerIndex: 0, historyIndex: 0, instruction: '(no command recorded)' });
});

test('SQ40102 treats a base file that the own build rewrote as own (the layer that last wrote it decides)', (t) => {
  const [f] = findingsOf('SQ40102', {
    history: HISTORY,
    files: [{ path: '/usr/bin/passwd', mode: 0o4755, layerIndex: 1 }],
  });
  t.false(f!.inherited);
  t.regex(f!.message, /written by layer 1, step 2 \(RUN chmod u\+s \/usr\/local\/bin\/tool\)$/);
});

test('SQ40102 stays silent on a hardlink to a plain file, even if the link header carries a setuid bit', (t) => {
  t.deepEqual(
    findingsOf('SQ40102', {
      history: HISTORY,
      files: [
        { path: '/usr/bin/perl', mode: 0o755 },
        { path: '/usr/bin/perl5.36', type: 'hardlink', linkTarget: '/usr/bin/perl', mode: 0o4755, layerIndex: 1 },
      ],
    }),
    [],
  );
});

test('SQ40102 reports nothing when the layers were not read, even for setgid files', (t) => {
  t.deepEqual(findingsOf('SQ40102', { history: HISTORY, files: [{ path: '/usr/bin/wall', mode: 0o2755, gid: 5 }], layersRead: false }), []);
});
