import test from 'ava';
import type { EndpointFacts } from '../../../src/runtime/facts.js';
import { daemon, daemonFindings } from '../helpers/runtime-facts.js';

const tcp = (host: string, port: number, tls: boolean, isLoopback: boolean): EndpointFacts => ({
  url: `tcp://${host}:${port}`,
  scheme: 'tcp',
  tls,
  host,
  isLoopback,
});

test('DSP30101 fires on a plain TCP endpoint, at Endpoint, with the URL and the TLS/SSH fix', (t) => {
  const [f, ...rest] = daemonFindings('DSP30101', daemon({ endpoint: tcp('10.0.0.5', 2375, false, false) }));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'daemon', field: 'Endpoint' });
  t.regex(f!.message, /^Daemon "build-01" \(Ubuntu 24\.04\.1 LTS\) is reached over TCP without TLS at tcp:\/\/10\.0\.0\.5:2375/);
  t.regex(f!.message, /anyone who can reach that address/);
  t.regex(f!.message, /--tlsverify/);
  t.regex(f!.message, /ssh:\/\//);
});

test('DSP30101 on loopback says who can reach it', (t) => {
  const [f] = daemonFindings('DSP30101', daemon({ endpoint: tcp('127.0.0.1', 2375, false, true) }));
  t.regex(f!.message, /any local user or process/);
});

test('DSP30101 does not fire on TLS, unix, ssh or npipe endpoints', (t) => {
  t.deepEqual(daemonFindings('DSP30101', daemon({ endpoint: tcp('10.0.0.5', 2376, true, false) })), []);
  t.deepEqual(daemonFindings('DSP30101', daemon()), []);
  t.deepEqual(daemonFindings('DSP30101', daemon({ endpoint: { url: 'ssh://me@box', scheme: 'ssh', tls: false, host: 'box', isLoopback: false } })), []);
  t.deepEqual(
    daemonFindings('DSP30101', daemon({ endpoint: { url: 'npipe:////./pipe/docker_engine', scheme: 'npipe', tls: false, host: '', isLoopback: true } })),
    [],
  );
});

test('DSP30102 fires when 127.0.0.1:2375 answers an unauthenticated ping, with the Docker Desktop and dockerd fixes', (t) => {
  const [f, ...rest] = daemonFindings('DSP30102', daemon({ unauthenticatedPing2375: true, info: { OperatingSystem: 'Docker Desktop', Name: 'docker-desktop' } }));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'daemon', field: 'tcp://127.0.0.1:2375' });
  t.deepEqual(f!.subject, { port: '2375/tcp' });
  t.regex(f!.message, /^Daemon "docker-desktop" \(Docker Desktop\) also answers on tcp:\/\/127\.0\.0\.1:2375 without TLS/);
  t.regex(f!.message, /Expose daemon on tcp:\/\/localhost:2375 without TLS/);
  t.regex(f!.message, /"hosts" in daemon\.json/);
});

test('DSP30102 does not fire when not probed, when the ping failed, or when that port is the endpoint in use (DSP30101 says it)', (t) => {
  t.deepEqual(daemonFindings('DSP30102', daemon()), []);
  t.deepEqual(daemonFindings('DSP30102', daemon({ unauthenticatedPing2375: false })), []);
  const via2375 = daemon({ unauthenticatedPing2375: true, endpoint: { ...tcp('localhost', 2375, false, true), url: 'tcp://localhost:2375' } });
  t.deepEqual(daemonFindings('DSP30102', via2375), []);
  t.is(daemonFindings('DSP30101', via2375).length, 1);
});
