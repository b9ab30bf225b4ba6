import test from 'ava';
import type { HostContext } from '../../../src/runtime/facts.js';
import { normalizeHostPath, sensitiveReason } from '../../../src/policies/container-rules/DSP20102-04-host-mounts.js';
import { allContainerFindings, container, containerFindings, type MountSpec } from '../helpers/runtime-facts.js';

const HOME = { homeDir: '/home/alice' };
const withMount = (...mounts: MountSpec[]) => container({ name: 'tool', mounts });

test('DSP20102 fires on the Docker socket bind-mounted, read-only or not', (t) => {
  for (const RW of [true, false]) {
    const [f, ...rest] = containerFindings('DSP20102', withMount({ Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', RW }));
    t.is(rest.length, 0);
    t.is(f!.location.kind === 'container' ? f!.location.field : '', 'Mounts');
    t.deepEqual(f!.subject, { path: '/var/run/docker.sock' });
    t.regex(f!.message, new RegExp(`^Container tool mounts the container runtime's API socket /var/run/docker.sock at /var/run/docker.sock \\(${RW ? 'read-write' : 'read-only'}\\)`));
    t.regex(f!.message, RW ? /remove -v \/var\/run\/docker\.sock:\/var\/run\/docker\.sock \(/ : /remove -v \/var\/run\/docker\.sock:\/var\/run\/docker\.sock:ro/);
    t.regex(f!.message, /compose: the volumes entry "\/var\/run\/docker\.sock:\/var\/run\/docker\.sock"/);
  }
});

test('DSP20102 fires on containerd, Podman, Docker Desktop and rootless sockets, and on the daemon socket by path', (t) => {
  for (const source of [
    '/run/containerd/containerd.sock',
    '/run/user/1000/podman/podman.sock',
    '/var/run/docker.sock.raw',
    '/run/host-services/docker.proxy.sock',
    '/run/user/1000/docker.sock',
    '/tmp/dsp-test-daemon/docker.sock',
  ]) {
    t.is(containerFindings('DSP20102', withMount({ Source: source, Destination: '/sock' })).length, 1, source);
  }
  const custom = withMount({ Source: '/srv/engine/api', Destination: '/api' });
  t.deepEqual(containerFindings('DSP20102', custom), []);
  t.is(containerFindings('DSP20102', custom, { daemonSocket: '/srv/engine/api' }).length, 1);
});

test('DSP20102 fires on the Docker engine named pipe of a Windows container', (t) => {
  const c = withMount({ Type: 'npipe', Source: '\\\\.\\pipe\\docker_engine', Destination: '\\\\.\\pipe\\docker_engine' });
  t.is(containerFindings('DSP20102', c).length, 1);
});

test('DSP20102 reports a socket once, not again as a sensitive path under /run', (t) => {
  const all = allContainerFindings(withMount({ Source: '/run/containerd/containerd.sock', Destination: '/run/containerd/containerd.sock' }));
  t.deepEqual(
    all.filter((f) => f.policy.startsWith('DSP2010') && ['DSP20102', 'DSP20103', 'DSP20104'].includes(f.policy)).map((f) => f.policy),
    ['DSP20102'],
  );
});

test('DSP20103 fires on the host root filesystem, read-only too (the probe: --mount type=bind,src=/,dst=/host,readonly)', (t) => {
  const [f, ...rest] = containerFindings('DSP20103', withMount({ Source: '/', Destination: '/host', RW: false }));
  t.is(rest.length, 0);
  t.regex(f!.message, /^Container tool mounts the host's root filesystem \/ at \/host \(read-only\)/);
  t.regex(f!.message, /remove -v \/:\/host:ro/);
  t.deepEqual(containerFindings('DSP20104', withMount({ Source: '/', Destination: '/host' })), [], 'not also a sensitive path');
  t.is(containerFindings('DSP20103', withMount({ Source: '//', Destination: '/host' })).length, 1);
});

test('DSP20104 fires on the sensitive host directories of the issue and beneath them', (t) => {
  for (const source of ['/etc', '/root', '/proc', '/sys', '/boot', '/dev', '/var/run', '/run', '/etc/shadow', '/root/.bash_history', '/sys/fs/cgroup', '/dev/sda', '/var/lib/docker', '/etc/']) {
    const [f] = containerFindings('DSP20104', withMount({ Source: source, Destination: '/x', RW: false }));
    t.truthy(f, source);
    t.deepEqual(f?.subject, { path: source });
  }
  const [etc] = containerFindings('DSP20104', withMount({ Source: '/etc', Destination: '/host-etc', RW: false }));
  t.regex(etc!.message, /^Container tool mounts the sensitive host path \/etc at \/host-etc \(read-only\): host configuration and secrets/);
  t.regex(etc!.message, /-v \/etc:\/host-etc:ro/);
});

test("DSP20104 fires on the user's home, credential directories in any home, and directories that contain them", (t) => {
  const fires = (source: string, host: HostContext = HOME) => containerFindings('DSP20104', withMount({ Source: source, Destination: '/x' }), host);
  t.regex(fires('/home/alice')[0]!.message, /user's home directory/);
  t.regex(fires('/Users/alice', { homeDir: '/Users/alice' })[0]!.message, /user's home directory/);
  t.regex(fires('/home/alice/.ssh')[0]!.message, /credentials \(~\/\.ssh\)/);
  t.regex(fires('/home/bob/.aws/credentials')[0]!.message, /credentials \(~\/\.aws\)/);
  t.regex(fires('/home/alice/.config/gcloud')[0]!.message, /~\/\.config\/gcloud/);
  t.regex(fires('/home')[0]!.message, /contains the home directory \/home\/alice/);
  t.regex(fires('/home', {})[0]!.message, /users' home directories/);
  t.regex(fires('/var')[0]!.message, /contains \/var\/run/);
  t.regex(fires('/opt/home-of-alice', { homeDir: '/opt/home-of-alice' })[0]!.message, /home directory/);
  t.is(fires('/home/bob', {}).length, 1, 'a home under /home even when the home directory is unknown');
});

test('DSP20104 does not fire on a project directory in a home, volumes, tmpfs, or read-only time and CA files', (t) => {
  const none = (m: MountSpec) => t.deepEqual(containerFindings('DSP20104', withMount(m), HOME), [], m.Source);
  none({ Source: '/home/alice/src/app', Destination: '/app' });
  none({ Source: '/Users/alice/code/site', Destination: '/site' });
  none({ Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data' });
  none({ Type: 'tmpfs', Source: '', Destination: '/tmp' });
  none({ Source: '/etc/localtime', Destination: '/etc/localtime', RW: false });
  none({ Source: '/etc/ssl/certs', Destination: '/etc/ssl/certs', RW: false });
  none({ Source: '/srv/www', Destination: '/usr/share/nginx/html', RW: false });
  none({ Source: '/var/log/app', Destination: '/logs' });
  // …but a writable /etc/localtime changes the host's time zone file.
  t.is(containerFindings('DSP20104', withMount({ Source: '/etc/localtime', Destination: '/etc/localtime' })).length, 1);
});

test('DSP20102-04 report each bind mount once, in mount order, several per container', (t) => {
  const c = withMount(
    { Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock' },
    { Source: '/etc', Destination: '/host-etc', RW: false },
    { Source: '/', Destination: '/host', RW: false },
    { Source: '/srv/data', Destination: '/data' },
  );
  const rule = allContainerFindings(c).filter((f) => ['DSP20102', 'DSP20103', 'DSP20104'].includes(f.policy));
  t.deepEqual(rule.map((f) => [f.policy, f.subject?.path]), [
    ['DSP20102', '/var/run/docker.sock'],
    ['DSP20104', '/etc'],
    ['DSP20103', '/'],
  ]);
});

test('host paths are normalised and classified', (t) => {
  t.is(normalizeHostPath('/etc//ssh/'), '/etc/ssh');
  t.is(normalizeHostPath('/'), '/');
  t.is(sensitiveReason('/usr/local', false, undefined), undefined);
  t.regex(sensitiveReason('/var/lib', false, undefined) ?? '', /contains \/var\/lib\/docker/);
});
