import test from 'ava';
import { HARDENED, container, containerFindings } from '../helpers/runtime-facts.js';

test('DSP20113 fires when neither the container nor the image sets a user, at Config.User, with --user and the compose key', (t) => {
  const [f, ...rest] = containerFindings('DSP20113', container({ name: 'web' }));
  t.is(rest.length, 0);
  t.is(f!.location.kind === 'container' ? f!.location.field : '', 'Config.User');
  t.is(
    f!.message,
    'Container web has administrative privileges: it runs as root, uid 0 (Config.User is empty and the image sets no USER). ' +
      'Fix: --user 10001:10001 (compose: user: "10001:10001"), or a non-root USER in the image',
  );
});

test('DSP20113 fires on --user root (the probe), 0, 0:0 and root:root', (t) => {
  for (const user of ['root', '0', '0:0', 'root:root', '00']) {
    const [f] = containerFindings('DSP20113', container({ user }));
    t.truthy(f, user);
    t.regex(f!.message, new RegExp(`Config\\.User: ${user}\\)`));
  }
});

test("DSP20113 reads the image's user when the container's is empty", (t) => {
  const [f] = containerFindings('DSP20113', container({ imageUser: 'root' }));
  t.regex(f!.message, /Config\.User is empty and the image sets USER root/);
  t.deepEqual(containerFindings('DSP20113', container({ imageUser: 'app' })), []);
  t.deepEqual(containerFindings('DSP20113', container({ user: 'app', imageUser: 'root' })), [], '--user wins over the image');
});

test('DSP20113 on Windows fires on ContainerAdministrator (any case) and no user, not on ContainerUser', (t) => {
  const [f] = containerFindings('DSP20113', container({ platform: 'windows' }));
  t.regex(f!.message, /runs as ContainerAdministrator/);
  t.regex(f!.message, /--user ContainerUser \(compose: user: ContainerUser\)/);
  t.is(containerFindings('DSP20113', container({ platform: 'windows', user: 'containeradministrator' })).length, 1);
  t.deepEqual(containerFindings('DSP20113', container({ platform: 'windows', user: 'ContainerUser' })), []);
});

test('DSP20113 does not fire on a non-root user, a uid with the root group, or the hardened run', (t) => {
  for (const user of ['app', '10001', '1000:0', 'nobody', 'app:root']) t.deepEqual(containerFindings('DSP20113', container({ user })), [], user);
  t.deepEqual(containerFindings('DSP20113', container(HARDENED)), []);
});
