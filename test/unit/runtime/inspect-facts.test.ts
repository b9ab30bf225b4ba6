// From Engine API answers to runtime facts, and the address helpers.
import test from 'ava';
import type { ContainerInspectInfo } from 'dockerode';
import { hostContext } from '../../../src/runtime/facts.js';
import { containerFactsOf, daemonFactsOf, endpointFactsOf } from '../../../src/runtime/inspect-facts.js';
import { cidrWithinLoopback, isAllInterfaces, isLoopbackHost } from '../../../src/runtime/net.js';
import { UNIX_ENDPOINT, daemon, infoJson, inspectJson, versionJson } from '../helpers/runtime-facts.js';

test('containerFactsOf keeps what the rules read, with the API field names', (t) => {
  const json = inspectJson({
    name: 'dsp-rt-probe-5',
    running: false,
    user: 'root',
    exposedPorts: ['22/tcp'],
    hostConfig: { CapAdd: ['cap_sys_admin'], CapDrop: ['NET_RAW'], SecurityOpt: ['no-new-privileges=false'], PublishAllPorts: true, Binds: ['/root/.ssh:/keys:ro'] },
    mounts: [{ Source: '/root/.ssh', Destination: '/keys', RW: false }],
  });
  const c = containerFactsOf(json as unknown as ContainerInspectInfo, 'app');
  t.is(c.Name, '/dsp-rt-probe-5');
  t.is(c.Platform, 'linux');
  t.deepEqual(c.Config, { User: 'root', Image: 'busybox:latest', ExposedPorts: { '22/tcp': {} } });
  t.deepEqual(c.State, { Running: false, Status: 'exited' });
  t.deepEqual(c.HostConfig.CapAdd, ['cap_sys_admin']);
  t.deepEqual(c.HostConfig.CapDrop, ['NET_RAW']);
  t.true(c.HostConfig.PublishAllPorts);
  t.is(c.HostConfig.PidsLimit, null);
  t.is(c.HostConfig.Memory, 0);
  t.is(c.HostConfig.NetworkMode, 'default');
  t.deepEqual(c.HostConfig.Binds, ['/root/.ssh:/keys:ro']);
  t.deepEqual(c.Mounts, [{ Type: 'bind', Source: '/root/.ssh', Destination: '/keys', RW: false }]);
  t.is(c.imageUser, 'app');
});

test('containerFactsOf tolerates missing and null fields (old engines, odd shapes)', (t) => {
  const c = containerFactsOf({ Id: 'abc', Name: '/x' } as unknown as ContainerInspectInfo);
  t.deepEqual(c.Mounts, []);
  t.is(c.State.Running, false);
  t.deepEqual(c.NetworkSettings, { Ports: null });
  const ports = containerFactsOf(inspectJson({ ports: { '80/tcp': null, '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '2222' }] } }) as unknown as ContainerInspectInfo);
  t.deepEqual(ports.NetworkSettings.Ports, { '80/tcp': null, '22/tcp': [{ HostIp: '0.0.0.0', HostPort: '2222' }] });
});

test('daemonFactsOf reads /info and /version as the test daemon returns them', (t) => {
  const d = daemonFactsOf({
    info: infoJson({ ServerVersion: '20.10.24+dfsg1', OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', Name: 'vm', LiveRestoreEnabled: false }),
    version: versionJson('20.10.24+dfsg1'),
    endpoint: UNIX_ENDPOINT,
    socket: { path: '/var/run/docker.sock', mode: 0o140660 },
    homeDir: '/home/alice',
    now: new Date('2026-06-01T00:00:00Z'),
  });
  t.deepEqual(d.info.SecurityOptions, ['name=apparmor', 'name=seccomp,profile=default', 'name=cgroupns']);
  t.false(d.info.LiveRestoreEnabled);
  t.false(d.info.Debug);
  t.deepEqual(d.info.RegistryConfig?.InsecureRegistryCIDRs, ['127.0.0.0/8']);
  t.deepEqual(d.info.RegistryConfig?.IndexConfigs?.['docker.io'], { Name: 'docker.io', Secure: true, Official: true, Mirrors: [] });
  t.is(d.info.ServerVersion, '20.10.24+dfsg1');
  t.deepEqual(d.info.Swarm, { LocalNodeState: 'inactive' });
  t.is(d.version.Os, 'linux');
  t.deepEqual(d.version.Components?.map((c) => c.Name), ['Engine', 'containerd', 'runc']);
  t.is(d.homeDir, '/home/alice');
  t.is(d.unauthenticatedPing2375, undefined);
});

test('daemonFactsOf survives empty answers', (t) => {
  const d = daemonFactsOf({ info: null, version: 'nonsense', endpoint: UNIX_ENDPOINT, now: new Date(0) });
  t.deepEqual(d.info, { SecurityOptions: null });
  t.deepEqual(d.version, {});
});

test('endpointFactsOf: scheme, TLS and loopback of each endpoint kind', (t) => {
  t.deepEqual(endpointFactsOf({ kind: 'unix', socketPath: '/var/run/docker.sock' }, 'unix:///var/run/docker.sock'), UNIX_ENDPOINT);
  t.deepEqual(endpointFactsOf({ kind: 'tcp', host: '127.0.0.1', port: 2375 }, 'tcp://127.0.0.1:2375'), {
    url: 'tcp://127.0.0.1:2375',
    scheme: 'tcp',
    tls: false,
    host: '127.0.0.1',
    isLoopback: true,
  });
  const tls = endpointFactsOf({ kind: 'tcp', host: 'prod.example', port: 2376, tls: { verify: true } }, 'tcp://prod.example:2376');
  t.true(tls.tls);
  t.false(tls.isLoopback);
  t.false(endpointFactsOf({ kind: 'ssh', host: 'box', user: 'me' }, 'ssh://me@box').isLoopback);
  t.true(endpointFactsOf({ kind: 'npipe', path: '//./pipe/docker_engine' }, 'npipe:////./pipe/docker_engine').isLoopback);
  t.false(endpointFactsOf({ kind: 'npipe', path: '//server/pipe/docker_engine' }, 'npipe:////server/pipe/docker_engine').isLoopback);
});

test('hostContext gives container rules the home directory and, for a local socket, its path', (t) => {
  t.deepEqual(hostContext(undefined), {});
  t.deepEqual(hostContext(daemon({ homeDir: '/home/alice' })), { homeDir: '/home/alice', daemonSocket: '/var/run/docker.sock' });
  const remote = daemon({ endpoint: { url: 'ssh://me@box', scheme: 'ssh', tls: false, host: 'box', isLoopback: false } });
  t.deepEqual(hostContext(remote), {});
});

test('loopback, all-interfaces and loopback-only CIDRs', (t) => {
  for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'LOCALHOST', 'app.localhost', '::ffff:127.0.0.1']) t.true(isLoopbackHost(h), h);
  for (const h of ['10.0.0.1', 'example.com', '0.0.0.0', '::', '128.0.0.1']) t.false(isLoopbackHost(h), h);
  for (const ip of ['', '0.0.0.0', '::', '[::]']) t.true(isAllInterfaces(ip), ip);
  for (const ip of ['127.0.0.1', '::1', '192.168.1.20']) t.false(isAllInterfaces(ip), ip);
  for (const c of ['127.0.0.0/8', '127.0.0.1/32', '127.0.0.1', '::1/128']) t.true(cidrWithinLoopback(c), c);
  for (const c of ['10.0.0.0/8', '0.0.0.0/0', '126.0.0.0/7', '::/0', 'garbage']) t.false(cidrWithinLoopback(c), c);
});
