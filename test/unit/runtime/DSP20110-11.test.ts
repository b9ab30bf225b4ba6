import test from 'ava';
import { HARDENED, container, containerFindings } from '../helpers/runtime-facts.js';

const opts = (...SecurityOpt: string[]) => container({ name: 'perf', hostConfig: { SecurityOpt } });

test('DSP20110 fires on seccomp=unconfined and on the legacy seccomp:unconfined (the probe)', (t) => {
  for (const opt of ['seccomp=unconfined', 'seccomp:unconfined', 'seccomp=UNCONFINED']) {
    const [f, ...rest] = containerFindings('DSP20110', opts(opt));
    t.is(rest.length, 0, opt);
    t.is(f!.location.kind === 'container' ? f!.location.field : '', 'HostConfig.SecurityOpt');
    t.true(f!.message.startsWith(`Container perf runs without seccomp confinement (HostConfig.SecurityOpt: ${opt})`), f!.message);
    t.regex(f!.message, new RegExp(`remove --security-opt ${opt} \\(compose: security_opt: \\["seccomp:unconfined"\\]\\)`));
  }
});

test('DSP20111 fires on apparmor=unconfined', (t) => {
  const [f, ...rest] = containerFindings('DSP20111', opts('apparmor=unconfined', 'label=disable'));
  t.is(rest.length, 0);
  t.regex(f!.message, /^Container perf runs without apparmor confinement \(HostConfig\.SecurityOpt: apparmor=unconfined\)/);
  t.regex(f!.message, /security_opt: \["apparmor:unconfined"\]/);
});

test('DSP20110-11 fire both when both are off (the probe: seccomp=unconfined apparmor=unconfined label=disable)', (t) => {
  const c = opts('seccomp=unconfined', 'apparmor=unconfined', 'label=disable');
  t.is(containerFindings('DSP20110', c).length, 1);
  t.is(containerFindings('DSP20111', c).length, 1);
});

test('DSP20110-11 do not fire on profiles, on label options, or on a privileged container without the options', (t) => {
  const c = opts('seccomp={"defaultAction":"SCMP_ACT_ERRNO","syscalls":[]}', 'apparmor=docker-default', 'label=disable', 'no-new-privileges');
  t.deepEqual(containerFindings('DSP20110', c), []);
  t.deepEqual(containerFindings('DSP20111', c), []);
  const privileged = container({ hostConfig: { Privileged: true, SecurityOpt: ['label=disable'] } });
  t.deepEqual(containerFindings('DSP20110', privileged), []);
  t.deepEqual(containerFindings('DSP20111', container(HARDENED)), []);
});
