import test from 'ava';
import { findingsOf } from '../helpers/facts.js';
import { imageWith, SHA512_STRONG, YESCRYPT_ROOT } from '../accounts/image.js';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'svc:x:1001:1001::/srv:/usr/sbin/nologin',
  'dev:x:1002:1002::/home/dev:/bin/bash',
  'old:x:1003:1003::/home/old:/bin/false',
  '',
].join('\n');

test('DSP10209 fires on root, a system account and a nologin account with usable passwords, not on a login user', (t) => {
  const shadow = [`root:${YESCRYPT_ROOT}:1::::::`, `daemon:${SHA512_STRONG}:1::::::`, `svc:${SHA512_STRONG}:1::::::`, `dev:${SHA512_STRONG}:1::::::`, `old:!${SHA512_STRONG}:1::::::`, ''].join('\n');
  const findings = findingsOf('DSP10209', imageWith({ '/etc/passwd': PASSWD, '/etc/shadow': shadow }, ['/etc/shadow']));
  t.deepEqual(findings.map((f) => f.message), [
    '/etc/shadow line 1: root (uid 0) has a usable yescrypt ($y$) password; a container needs no root password (docker exec needs none); lock it with `passwd -l root`',
    '/etc/shadow line 2: daemon (uid 1) is a system account (uid below UID_MIN 1000) but has a usable sha512-crypt ($6$) password; lock it with `passwd -l daemon`',
    '/etc/shadow line 3: svc (uid 1001) has the shell /usr/sbin/nologin, so it never logs in, but has a usable sha512-crypt ($6$) password; lock it with `passwd -l svc`',
  ]);
});

test('DSP10209 reads UID_MIN from login.defs', (t) => {
  const image = imageWith({
    '/etc/passwd': 'dev:x:600:600::/home/dev:/bin/bash\n',
    '/etc/shadow': `dev:${SHA512_STRONG}:1::::::\n`,
    '/etc/login.defs': 'UID_MIN 500\n',
  });
  t.deepEqual(findingsOf('DSP10209', image), []);
  const without = imageWith({ '/etc/passwd': 'dev:x:600:600::/home/dev:/bin/bash\n', '/etc/shadow': `dev:${SHA512_STRONG}:1::::::\n` });
  t.regex(findingsOf('DSP10209', without)[0]!.message, /dev \(uid 600\) is a system account \(uid below UID_MIN 1000\)/);
});

test('DSP10209 does not fire on locked root (Debian\'s root:*) or an empty password (DSP10201\'s)', (t) => {
  t.deepEqual(findingsOf('DSP10209', imageWith({ '/etc/passwd': PASSWD, '/etc/shadow': 'root:*:1::::::\ndaemon::1::::::\n' })), []);
});
