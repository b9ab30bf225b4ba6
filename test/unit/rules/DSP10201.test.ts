import test from 'ava';
import { findingsOf } from '../helpers/facts.js';
import { imageWith, SHA512_STRONG } from '../accounts/image.js';

test('DSP10201 fires on root with an empty shadow password, pointing at the own layer that wrote /etc/shadow', (t) => {
  const findings = findingsOf(
    'DSP10201',
    imageWith({ '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n', '/etc/shadow': '# x\nroot::19000:0:99999:7:::\n' }, ['/etc/shadow']),
  );
  t.deepEqual(findings, [
    {
      policy: 'DSP10201',
      message: '/etc/shadow line 2: root (uid 0) has an empty password, so anyone can log in or su to root without one; lock it with `passwd -l root`',
      location: {
        kind: 'file',
        path: '/etc/shadow',
        layer: 'sha256:0000000000000000000000000000000000000000000000000000000000000002',
        layerIndex: 1,
        historyIndex: 2,
        instruction: "RUN echo 'root:toor' | chpasswd",
      },
      inherited: false,
      subject: { path: '/etc/shadow' },
    },
  ]);
});

test('DSP10201 fires on an empty passwd field even when shadow has a hash, and marks the base layer inherited', (t) => {
  const [f, ...rest] = findingsOf(
    'DSP10201',
    imageWith({ '/etc/passwd': 'app::1000:1000::/home/app:/bin/sh\n', '/etc/shadow': `app:${SHA512_STRONG}:1::::::\n` }),
  );
  t.is(rest.length, 0);
  t.is(f!.message, '/etc/passwd line 1: app (uid 1000) has an empty password, so anyone can log in or su to app without one; lock it with `passwd -l app`');
  t.true(f!.inherited);
  t.is(f!.location.kind === 'file' ? f!.location.layerIndex : -1, 0);
});

test('DSP10201 does not fire on locked accounts (*, !, !!, x without shadow) or hashes', (t) => {
  const passwd = 'a:x:1:1::/:/bin/sh\nb:x:2:2::/:/bin/sh\nc:x:3:3::/:/bin/sh\nd:x:4:4::/:/bin/sh\ne:x:5:5::/:/bin/sh\n';
  const shadow = `a:*:1::::::\nb:!:1::::::\nc:!!:1::::::\ne:${SHA512_STRONG}:1::::::\n`;
  t.deepEqual(findingsOf('DSP10201', imageWith({ '/etc/passwd': passwd, '/etc/shadow': shadow })), []);
});

test('DSP10201 does not fire when the image has no /etc/passwd', (t) => {
  t.deepEqual(findingsOf('DSP10201', imageWith({ '/etc/shadow': 'root::1::::::\n' })), []);
});
