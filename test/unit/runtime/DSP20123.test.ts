import test from 'ava';
import { HARDENED, container, containerFindings } from '../helpers/runtime-facts.js';

test('DSP20123 fires on a writable root filesystem, with --read-only and the compose key', (t) => {
  const [f, ...rest] = containerFindings('DSP20123', container({ name: 'web' }));
  t.is(rest.length, 0);
  t.is(f!.location.kind === 'container' ? f!.location.field : '', 'HostConfig.ReadonlyRootfs');
  t.regex(f!.message, /^Container web has a writable root filesystem \(HostConfig\.ReadonlyRootfs: false\)/);
  t.regex(f!.message, /--read-only, with --tmpfs \/tmp/);
  t.regex(f!.message, /compose: read_only: true/);
});

test('DSP20123 does not fire with --read-only', (t) => {
  t.deepEqual(containerFindings('DSP20123', container(HARDENED)), []);
  t.deepEqual(containerFindings('DSP20123', container({ hostConfig: { ReadonlyRootfs: true } })), []);
});
