import test from 'ava';
import { daemon, daemonFindings } from '../helpers/runtime-facts.js';

test('DSP30107 fires on debug mode on a server daemon, saying what leaks and how to turn it off', (t) => {
  const [f, ...rest] = daemonFindings('DSP30107', daemon({ info: { Debug: true } }));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'daemon', field: 'Debug' });
  t.regex(f!.message, /runs in debug mode \(Debug: true\) outside development/);
  t.regex(f!.message, /secrets/);
  t.regex(f!.message, /remove "debug": true from daemon\.json \(or the -D \/ --debug flag\)/);
});

test('DSP30107 does not fire with debug off, on Docker Desktop, or when the caller says the daemon is for development', (t) => {
  t.deepEqual(daemonFindings('DSP30107', daemon()), []);
  t.deepEqual(daemonFindings('DSP30107', daemon({ info: { Debug: true, OperatingSystem: 'Docker Desktop' } })), []);
  t.deepEqual(daemonFindings('DSP30107', daemon({ info: { Debug: true }, development: true })), []);
});

test('DSP30107 fires on Docker Desktop when the caller says it is not for development', (t) => {
  t.is(daemonFindings('DSP30107', daemon({ info: { Debug: true, OperatingSystem: 'Docker Desktop' }, development: false })).length, 1);
});
