import test from 'ava';
import { hostTarget, parseDockerHost } from '../../../src/plugin/docker-host.js';
import { PluginError } from '../../../src/plugin/errors.js';

// docker's ParseHost (opts/hosts.go), for -H and DOCKER_HOST.
const normalised: Array<[string | undefined, boolean, string]> = [
  [undefined, false, 'unix:///var/run/docker.sock'],
  ['', false, 'unix:///var/run/docker.sock'],
  ['  ', false, 'unix:///var/run/docker.sock'],
  [undefined, true, 'tcp://localhost:2376'],
  ['unix://', false, 'unix:///var/run/docker.sock'],
  ['unix:///run/user/1000/docker.sock', false, 'unix:///run/user/1000/docker.sock'],
  ['tcp://1.2.3.4:2375', false, 'tcp://1.2.3.4:2375'],
  ['tcp://1.2.3.4', false, 'tcp://1.2.3.4:2375'],
  ['tcp://1.2.3.4', true, 'tcp://1.2.3.4:2375'],
  ['tcp://', false, 'tcp://localhost:2375'],
  ['tcp://:9999', false, 'tcp://localhost:9999'],
  ['1.2.3.4:1234', false, 'tcp://1.2.3.4:1234'],
  ['example.com', false, 'tcp://example.com:2375'],
  ['tcp://[::1]:2376', false, 'tcp://[::1]:2376'],
  ['tcp://[::1]:', false, 'tcp://[::1]:2375'],
  ['tcp://h:1/prefix', false, 'tcp://h:1/prefix'],
  ['npipe://', false, 'npipe:////./pipe/docker_engine'],
  ['ssh://me@host', false, 'ssh://me@host'],
];

for (const [input, tls, expected] of normalised) {
  test(`ParseHost ${JSON.stringify(input)}${tls ? ' with TLS' : ''} → ${expected}`, (t) => {
    t.is(parseDockerHost(input, tls), expected);
  });
}

test('ParseHost rejects what docker rejects, with docker\'s reason', (t) => {
  t.throws(() => parseDockerHost('http://h:1', false), { instanceOf: PluginError, message: 'invalid bind address format: http://h:1' });
  t.throws(() => parseDockerHost('tcp://h:port', false), { message: /invalid bind address format/ });
  t.throws(() => parseDockerHost('tcp://[::1]', false), { message: /invalid bind address format/ });
  t.throws(() => parseDockerHost('tcp://tcp://h', false), { message: /invalid proto, expected tcp/ });
  t.throws(() => parseDockerHost('unix://unix:///x', false), { message: /invalid proto, expected unix/ });
});

test('a port beyond 65535 is refused at once (docker only fails when dialling)', (t) => {
  t.throws(() => parseDockerHost('tcp://h:99999', false), { instanceOf: PluginError, message: /invalid bind address format/ });
});

test('a unix host is a socket path', (t) => {
  t.deepEqual(hostTarget('unix:///var/run/docker.sock', false), { kind: 'unix', socketPath: '/var/run/docker.sock' });
  t.deepEqual(hostTarget('unix://', false), { kind: 'unix', socketPath: '/var/run/docker.sock' });
});

test('a tcp host is a host name and port, IPv6 without brackets', (t) => {
  t.deepEqual(hostTarget('tcp://10.0.0.5:2376', true), { kind: 'tcp', host: '10.0.0.5', port: 2376 });
  t.deepEqual(hostTarget('tcp://[::1]:2375', false), { kind: 'tcp', host: '::1', port: 2375 });
});

test('a tcp host without port (as a context may hold) gets 2375, or 2376 with TLS', (t) => {
  t.deepEqual(hostTarget('tcp://h', false), { kind: 'tcp', host: 'h', port: 2375 });
  t.deepEqual(hostTarget('tcp://h', true), { kind: 'tcp', host: 'h', port: 2376 });
});

test('an npipe host is a pipe path', (t) => {
  t.deepEqual(hostTarget('npipe:////./pipe/docker_engine', false), { kind: 'npipe', path: '//./pipe/docker_engine' });
});

test('an ssh host gives user, host and port', (t) => {
  t.deepEqual(hostTarget('ssh://me@build.example:2222', false), { kind: 'ssh', host: 'build.example', port: 2222, user: 'me' });
  t.deepEqual(hostTarget('ssh://build.example', false), { kind: 'ssh', host: 'build.example' });
});

test('fd:// and unknown schemes are refused with a PluginError', (t) => {
  t.throws(() => hostTarget('fd://', false), { instanceOf: PluginError, message: /fd:\/\// });
  t.throws(() => hostTarget('http://h:1', false), { instanceOf: PluginError });
  t.throws(() => hostTarget('h:1', false), { instanceOf: PluginError, message: /unable to parse docker host/ });
});
