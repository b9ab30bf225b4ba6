import test from 'ava';
import { HARDENED, container, containerFindings } from '../helpers/runtime-facts.js';

test('DSP20121 fires without a memory limit, with --memory and the compose keys', (t) => {
  const [f, ...rest] = containerFindings('DSP20121', container({ name: 'worker' }));
  t.is(rest.length, 0);
  t.is(f!.location.kind === 'container' ? f!.location.field : '', 'HostConfig.Memory');
  t.regex(f!.message, /^Container worker has no memory limit \(HostConfig\.Memory: 0\)/);
  t.regex(f!.message, /--memory 512m/);
  t.regex(f!.message, /compose: mem_limit: 512m, or deploy\.resources\.limits\.memory/);
});

test('DSP20122 fires without a PID limit: null, 0 or -1', (t) => {
  for (const PidsLimit of [null, 0, -1]) {
    const [f] = containerFindings('DSP20122', container({ name: 'worker', hostConfig: { PidsLimit } }));
    t.truthy(f, String(PidsLimit));
    t.is(f!.location.kind === 'container' ? f!.location.field : '', 'HostConfig.PidsLimit');
    t.regex(f!.message, /^Container worker has no PID limit \(HostConfig\.PidsLimit: (null|0|-1)\)/);
    t.regex(f!.message, /--pids-limit 200\b.*compose: pids_limit: 200/);
  }
});

test('DSP20121-22 do not fire with limits set (the hardened probe: --memory 64m --pids-limit 100)', (t) => {
  const c = container(HARDENED);
  t.deepEqual(containerFindings('DSP20121', c), []);
  t.deepEqual(containerFindings('DSP20122', c), []);
});
