import test from 'ava';
import { findingsOf } from '../helpers/facts.js';
import { imageWith } from '../accounts/image.js';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'toor:x:0:0:backdoor:/root:/bin/bash',
  'alice:x:1000:1000::/home/alice:/bin/bash',
  'bob:x:1000:1001::/home/bob:/bin/bash',
  'alice:x:1002:1002::/home/alice2:/bin/bash',
  '',
].join('\n');
const GROUP = 'root:x:0:\nalice:x:1000:\nbob:x:1000:\nalice:x:1003:\n';
const image = imageWith({ '/etc/passwd': PASSWD, '/etc/group': GROUP, '/etc/shadow': 'alice:*:1::::::\nalice:!:1::::::\n' }, ['/etc/passwd']);

test('DSP10202 fires on toor, a second uid-0 account, and not on root', (t) => {
  const findings = findingsOf('DSP10202', image);
  t.deepEqual(findings.map((f) => f.message), ['/etc/passwd line 2: toor has uid 0, so it is a second root account; give it its own uid or remove it']);
  t.false(findings[0]!.inherited);
});

test('DSP10203 fires on bob sharing uid 1000 with alice, not on the uid-0 pair nor on alice\'s duplicate name', (t) => {
  t.deepEqual(
    findingsOf('DSP10203', image).map((f) => f.message),
    ["/etc/passwd line 4: bob has uid 1000, which alice (line 3) also has, so each owns the other's files; give bob a uid of its own"],
  );
});

test('DSP10204 fires on group bob sharing gid 1000 with group alice', (t) => {
  const findings = findingsOf('DSP10204', image);
  t.deepEqual(
    findingsOf('DSP10204', image).map((f) => f.message),
    ['/etc/group line 3: group bob has gid 1000, which group alice (line 2) also has, so their members share access; give bob a gid of its own'],
  );
  t.deepEqual(findings[0]!.subject, { path: '/etc/group' });
});

test('DSP10205 fires on alice defined twice in passwd, shadow and group', (t) => {
  t.deepEqual(
    findingsOf('DSP10205', image).map((f) => f.message),
    [
      '/etc/passwd line 5: account alice is defined again (first at line 3); the system uses the first entry only, remove one of them',
      '/etc/shadow line 2: account alice has a second shadow entry (first at line 1); remove one of them',
      '/etc/group line 4: group alice is defined again (first at line 2); the system uses the first entry only, remove one of them',
    ],
  );
});

test('DSP10202-05 stay silent on distinct accounts and groups', (t) => {
  const clean = imageWith({ '/etc/passwd': 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n', '/etc/group': 'root:x:0:\napp:x:1000:\n' });
  for (const id of ['DSP10202', 'DSP10203', 'DSP10204', 'DSP10205']) t.deepEqual(findingsOf(id, clean), [], id);
});
