import test from 'ava';
import { daemon, daemonFindings } from '../helpers/runtime-facts.js';

test('DSP30104 fires on a rootful daemon without userns-remap, showing its SecurityOptions and both fixes', (t) => {
  const [f, ...rest] = daemonFindings('DSP30104', daemon({ info: { SecurityOptions: ['name=seccomp,profile=default'] } }));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'daemon', field: 'SecurityOptions' });
  t.regex(f!.message, /without user namespaces and not rootless \(SecurityOptions: name=seccomp,profile=default\)/);
  t.regex(f!.message, /dockerd-rootless-setuptool\.sh install/);
  t.regex(f!.message, /"userns-remap": "default"/);
  t.notRegex(f!.message, /Enhanced Container Isolation/);
});

test('DSP30104 on Docker Desktop points at Enhanced Container Isolation', (t) => {
  const [f] = daemonFindings('DSP30104', daemon({ info: { OperatingSystem: 'Docker Desktop', SecurityOptions: ['name=seccomp,profile=unconfined', 'name=cgroupns'] } }));
  t.regex(f!.message, /Enhanced Container Isolation/);
});

test('DSP30104 does not fire with userns-remap or rootless, nor on Windows engines', (t) => {
  t.deepEqual(daemonFindings('DSP30104', daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=userns'] } })), []);
  t.deepEqual(daemonFindings('DSP30104', daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=rootless', 'name=cgroupns'] } })), []);
  t.deepEqual(daemonFindings('DSP30104', daemon({ info: { OSType: 'windows', SecurityOptions: [] } })), []);
});
