import test from 'ava';
import { findingsOf } from '../helpers/facts.js';
import { imageWith, MD5_DOCKER, SHA512_STRONG } from '../accounts/image.js';

test('DSP10210 fires on hashes in /etc/passwd, locked ones included', (t) => {
  const findings = findingsOf(
    'DSP10210',
    imageWith({ '/etc/passwd': `root:${MD5_DOCKER}:0:0::/root:/bin/sh\napp:!${SHA512_STRONG}:1000:1000::/app:/bin/sh\n` }, ['/etc/passwd']),
  );
  t.deepEqual(findings.map((f) => f.message), [
    "/etc/passwd line 1: root's password hash (MD5-crypt ($1$)) is in /etc/passwd, which every user can read; move it to /etc/shadow with `pwconv`, or lock the account",
    "/etc/passwd line 2: app's password hash (sha512-crypt ($6$)) is in /etc/passwd, which every user can read; move it to /etc/shadow with `pwconv`, or lock the account",
  ]);
  t.deepEqual(findings[0]!.subject, { path: '/etc/passwd' });
});

test('DSP10210 does not fire on x, *, ! or empty passwd fields', (t) => {
  t.deepEqual(findingsOf('DSP10210', imageWith({ '/etc/passwd': 'a:x:1:1::/:/bin/sh\nb:*:2:2::/:/bin/sh\nc:!:3:3::/:/bin/sh\nd::4:4::/:/bin/sh\n' })), []);
});
