import test from 'ava';
import { HARDENED, container, containerFindings } from '../helpers/runtime-facts.js';

test('DSP20101 fires on a privileged container, naming it, the field and the fix', (t) => {
  const [f, ...rest] = containerFindings('DSP20101', container({ name: 'dind', hostConfig: { Privileged: true } }));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'container', container: 'dind', id: container({ name: 'dind' }).Id, field: 'HostConfig.Privileged' });
  t.regex(f!.message, /^Container dind is privileged \(HostConfig\.Privileged: true\)/);
  t.regex(f!.message, /--privileged/);
  t.regex(f!.message, /privileged: true/);
});

test('DSP20101 fires on a stopped privileged container and says it is stopped', (t) => {
  const [f] = containerFindings('DSP20101', container({ name: 'old', running: false, status: 'created', hostConfig: { Privileged: true } }));
  t.regex(f!.message, /^Container old \(created\) is privileged/);
});

test('DSP20101 does not fire on an unprivileged container, even with added capabilities', (t) => {
  t.deepEqual(containerFindings('DSP20101', container()), []);
  t.deepEqual(containerFindings('DSP20101', container({ hostConfig: { CapAdd: ['SYS_ADMIN'] } })), []);
  t.deepEqual(containerFindings('DSP20101', container(HARDENED)), []);
});
