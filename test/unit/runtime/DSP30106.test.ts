import test from 'ava';
import { daemon, daemonFindings } from '../helpers/runtime-facts.js';

test('DSP30106 fires when live restore is off, with daemon.json and the reload', (t) => {
  const [f, ...rest] = daemonFindings('DSP30106', daemon({ info: { LiveRestoreEnabled: false } }));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'daemon', field: 'LiveRestoreEnabled' });
  t.regex(f!.message, /has live restore off \(LiveRestoreEnabled: false\)/);
  t.regex(f!.message, /"live-restore": true in daemon\.json \(dockerd --live-restore\)/);
  t.regex(f!.message, /systemctl reload docker/);
});

test('DSP30106 does not fire when on, unknown, in swarm mode, on Windows or on Docker Desktop', (t) => {
  t.deepEqual(daemonFindings('DSP30106', daemon()), []);
  t.deepEqual(daemonFindings('DSP30106', daemon({ info: { LiveRestoreEnabled: undefined } })), []);
  t.deepEqual(daemonFindings('DSP30106', daemon({ info: { LiveRestoreEnabled: false, Swarm: { LocalNodeState: 'active' } } })), []);
  t.deepEqual(daemonFindings('DSP30106', daemon({ info: { LiveRestoreEnabled: false, OSType: 'windows' } })), []);
  t.deepEqual(daemonFindings('DSP30106', daemon({ info: { LiveRestoreEnabled: false, OperatingSystem: 'Docker Desktop' } })), []);
});
