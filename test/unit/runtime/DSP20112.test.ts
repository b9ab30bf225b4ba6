import test from 'ava';
import { HARDENED, container, containerFindings } from '../helpers/runtime-facts.js';

const opts = (SecurityOpt: string[] | null) => container({ name: 'api', hostConfig: { SecurityOpt } });

test('DSP20112 fires when no-new-privileges is not set, with the flag, the compose key and the daemon-wide caveat', (t) => {
  const [f, ...rest] = containerFindings('DSP20112', opts(null));
  t.is(rest.length, 0);
  t.is(f!.location.kind === 'container' ? f!.location.field : '', 'HostConfig.SecurityOpt');
  t.regex(f!.message, /^Container api can gain privileges \(HostConfig\.SecurityOpt has no no-new-privileges\)/);
  t.regex(f!.message, /--security-opt no-new-privileges \(compose: security_opt: \["no-new-privileges:true"\]\)/);
  t.regex(f!.message, /daemon\.json/);
});

test('DSP20112 fires when it is explicitly false (the probe: no-new-privileges=false)', (t) => {
  const [f] = containerFindings('DSP20112', opts(['no-new-privileges=false', 'seccomp:unconfined']));
  t.regex(f!.message, /HostConfig\.SecurityOpt has no-new-privileges=false/);
  t.is(containerFindings('DSP20112', opts(['no-new-privileges:false'])).length, 1);
});

test('DSP20112 does not fire when set, in any of docker\'s spellings', (t) => {
  for (const opt of ['no-new-privileges', 'no-new-privileges=true', 'no-new-privileges:true', 'no-new-privileges=TRUE']) {
    t.deepEqual(containerFindings('DSP20112', opts([opt])), [], opt);
  }
  t.deepEqual(containerFindings('DSP20112', container(HARDENED)), []);
});

test('DSP20112: the last no-new-privileges option wins', (t) => {
  t.deepEqual(containerFindings('DSP20112', opts(['no-new-privileges=false', 'no-new-privileges=true'])), []);
  t.is(containerFindings('DSP20112', opts(['no-new-privileges', 'no-new-privileges=false'])).length, 1);
});
