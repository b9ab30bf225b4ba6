import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyGlobalOptions, type GlobalOptions } from '../../../src/plugin/argv.js';
import { contextId } from '../../../src/plugin/context-store.js';
import { resolveConfigDir } from '../../../src/plugin/config-dir.js';
import { CONFLICTING_HOST_AND_CONTEXT, resolveEndpoint, type Endpoint } from '../../../src/plugin/endpoint.js';
import { PluginError } from '../../../src/plugin/errors.js';
import { fixture, fixturePath, tempDir, tempHome, writeConfigJson, writeContext } from './docker-config.js';

const globals = (options: Partial<GlobalOptions> = {}): GlobalOptions => ({ ...emptyGlobalOptions(), ...options });

/** A tcp endpoint's TLS, narrowed. */
function tlsOf(endpoint: Endpoint) {
  if (endpoint.kind !== 'tcp') throw new Error(`expected tcp, got ${endpoint.kind}`);
  return endpoint.tls;
}

// ---- which context ------------------------------------------------------

test('nothing set: the default context on the default unix socket', (t) => {
  const { homeDir } = tempHome();
  const endpoint = resolveEndpoint(globals(), { env: {}, homeDir });
  t.like(endpoint, {
    kind: 'unix',
    socketPath: '/var/run/docker.sock',
    url: 'unix:///var/run/docker.sock',
    display: 'unix:///var/run/docker.sock',
    source: 'default',
    origin: 'none',
    context: 'default',
    configDir: join(homeDir, '.docker'),
  });
  t.deepEqual(endpoint.warnings, []);
});

test('--context and -H together are refused, as docker does', (t) => {
  const { homeDir } = tempHome();
  const error = t.throws(() => resolveEndpoint(globals({ context: 'x', hosts: ['tcp://h:1'] }), { env: {}, homeDir }), {
    instanceOf: PluginError,
  });
  t.is(error?.message, CONFLICTING_HOST_AND_CONTEXT);
  t.is(error?.exitCode, 2);
});

test('-H wins over DOCKER_HOST, DOCKER_CONTEXT and currentContext', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'remote', { host: 'tcp://remote:2375' });
  writeConfigJson(dockerDir, { currentContext: 'remote' });
  const env = { DOCKER_HOST: 'tcp://env-host:2375', DOCKER_CONTEXT: 'remote' };
  t.like(resolveEndpoint(globals({ hosts: ['tcp://flag-host:1'] }), { env, homeDir }), {
    kind: 'tcp',
    host: 'flag-host',
    port: 1,
    source: 'flag',
    origin: '--host',
    context: 'default',
  });
});

test('DOCKER_HOST wins over DOCKER_CONTEXT and currentContext', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'remote', { host: 'tcp://remote:2375' });
  writeConfigJson(dockerDir, { currentContext: 'remote' });
  t.like(resolveEndpoint(globals(), { env: { DOCKER_HOST: 'unix:///tmp/d.sock', DOCKER_CONTEXT: 'remote' }, homeDir }), {
    kind: 'unix',
    socketPath: '/tmp/d.sock',
    source: 'env',
    origin: 'DOCKER_HOST',
    context: 'default',
  });
});

test('--context wins over DOCKER_HOST', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'remote', { host: 'tcp://remote:2375' });
  t.like(resolveEndpoint(globals({ context: 'remote' }), { env: { DOCKER_HOST: 'tcp://env:1' }, homeDir }), {
    host: 'remote',
    source: 'flag',
    origin: '--context',
    context: 'remote',
    display: 'context "remote" (tcp://remote:2375)',
  });
});

test('DOCKER_CONTEXT wins over currentContext', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'a', { host: 'tcp://a:1' });
  writeContext(dockerDir, 'b', { host: 'tcp://b:1' });
  writeConfigJson(dockerDir, { currentContext: 'a' });
  t.like(resolveEndpoint(globals(), { env: { DOCKER_CONTEXT: 'b' }, homeDir }), { host: 'b', source: 'env', origin: 'DOCKER_CONTEXT' });
});

test('currentContext in config.json is used when nothing else is set', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'desktop-linux', { host: `unix://${homeDir}/.docker/run/docker.sock` });
  writeConfigJson(dockerDir, { auths: {}, currentContext: 'desktop-linux' });
  t.like(resolveEndpoint(globals(), { env: {}, homeDir }), {
    kind: 'unix',
    socketPath: `${homeDir}/.docker/run/docker.sock`,
    source: 'context',
    origin: 'currentContext',
    context: 'desktop-linux',
  });
});

test('empty DOCKER_HOST and DOCKER_CONTEXT count as unset, as in docker', (t) => {
  const { homeDir } = tempHome();
  t.like(resolveEndpoint(globals(), { env: { DOCKER_HOST: '', DOCKER_CONTEXT: '' }, homeDir }), { source: 'default' });
});

test('the context named "default" is the default context, host from DOCKER_HOST', (t) => {
  const { homeDir } = tempHome();
  t.like(resolveEndpoint(globals({ context: 'default' }), { env: { DOCKER_HOST: 'tcp://h:1' }, homeDir }), {
    kind: 'tcp',
    host: 'h',
    context: 'default',
    origin: '--context',
    display: 'tcp://h:1',
  });
});

// ---- where the config directory is --------------------------------------

test('config dir: --config, else DOCKER_CONFIG, else ~/.docker', (t) => {
  const inputs = { env: { DOCKER_CONFIG: '/env/docker' }, homeDir: '/home/u' };
  t.is(resolveConfigDir({ configDir: '/flag/docker/' }, inputs), '/flag/docker/');
  t.is(resolveConfigDir({ configDir: '/flag//docker' }, inputs), '/flag/docker');
  t.is(resolveConfigDir({}, inputs), '/env/docker');
  t.is(resolveConfigDir({}, { env: {}, homeDir: '/home/u' }), '/home/u/.docker');
});

test('contexts and config.json are read from the --config directory', (t) => {
  const { homeDir } = tempHome();
  const other = tempDir();
  writeContext(other, 'ci', { host: 'tcp://ci:2375' });
  writeConfigJson(other, { currentContext: 'ci' });
  t.like(resolveEndpoint(globals({ configDir: other }), { env: {}, homeDir }), { host: 'ci', configDir: other });
});

test('contexts are read from DOCKER_CONFIG', (t) => {
  const { homeDir } = tempHome();
  const other = tempDir();
  writeContext(other, 'ci', { host: 'tcp://ci:2375' });
  t.like(resolveEndpoint(globals(), { env: { DOCKER_CONFIG: other, DOCKER_CONTEXT: 'ci' }, homeDir }), { host: 'ci' });
});

test('an unreadable config.json is a warning and the default context, as in docker', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeConfigJson(dockerDir, '{ not json');
  const endpoint = resolveEndpoint(globals(), { env: {}, homeDir });
  t.is(endpoint.context, 'default');
  t.is(endpoint.warnings.length, 1);
  t.regex(endpoint.warnings[0]!, /cannot parse .*config\.json/);
});

// ---- named contexts ------------------------------------------------------

test('a context is found under contexts/meta/<sha256 of its name>', (t) => {
  t.regex(contextId('remote'), /^[0-9a-f]{64}$/);
  // The id docker prints in its own errors for the context "foo".
  t.is(contextId('foo'), '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae');
});

test('an unknown context is an error naming it, its origin and `docker context ls`', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeConfigJson(dockerDir, { currentContext: 'gone' });
  const fromFlag = t.throws(() => resolveEndpoint(globals({ context: 'nope' }), { env: {}, homeDir }), { instanceOf: PluginError });
  t.regex(fromFlag!.message, /^context "nope" \(from --context\) does not exist .*docker context ls/);
  const fromEnv = t.throws(() => resolveEndpoint(globals(), { env: { DOCKER_CONTEXT: 'nope' }, homeDir }), { instanceOf: PluginError });
  t.regex(fromEnv!.message, /\(from DOCKER_CONTEXT\)/);
  const fromConfig = t.throws(() => resolveEndpoint(globals(), { env: {}, homeDir }), { instanceOf: PluginError });
  t.regex(fromConfig!.message, /context "gone" \(the current context in .*config\.json\)/);
  t.false(fromConfig!.message.includes('\n'));
});

test('a context without a docker endpoint, or with a broken meta.json, is a PluginError', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'k8s', { rawMeta: JSON.stringify({ Name: 'k8s', Endpoints: { kubernetes: {} } }) });
  writeContext(dockerDir, 'broken', { rawMeta: '{' });
  t.throws(() => resolveEndpoint(globals({ context: 'k8s' }), { env: {}, homeDir }), { instanceOf: PluginError, message: /has no docker endpoint/ });
  t.throws(() => resolveEndpoint(globals({ context: 'broken' }), { env: {}, homeDir }), { instanceOf: PluginError, message: /cannot parse/ });
});

test('meta.json keys are matched case-insensitively, as Go decodes them', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'lower', { rawMeta: JSON.stringify({ name: 'lower', endpoints: { docker: { host: 'tcp://low:1', skipTLSVerify: false } } }) });
  t.like(resolveEndpoint(globals({ context: 'lower' }), { env: {}, homeDir }), { host: 'low', port: 1 });
});

test('a context with an empty Host means the default socket', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'empty', {});
  t.like(resolveEndpoint(globals({ context: 'empty' }), { env: {}, homeDir }), { kind: 'unix', socketPath: '/var/run/docker.sock' });
});

test('a context\'s TLS files are loaded, verification on unless SkipTLSVerify', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'secure', { host: 'tcp://secure:2376', tls: { ca: fixture('ca.pem'), cert: fixture('cert.pem'), key: fixture('key.pem') } });
  writeContext(dockerDir, 'lax', { host: 'tcp://lax:2376', skipTLSVerify: true, tls: { ca: fixture('ca.pem') } });
  t.deepEqual(tlsOf(resolveEndpoint(globals({ context: 'secure' }), { env: {}, homeDir })), {
    verify: true,
    ca: fixture('ca.pem'),
    cert: fixture('cert.pem'),
    key: fixture('key.pem'),
  });
  t.deepEqual(tlsOf(resolveEndpoint(globals({ context: 'lax' }), { env: {}, homeDir })), { verify: false, ca: fixture('ca.pem') });
});

test('a context with SkipTLSVerify and no files still uses TLS; one with neither uses none', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'skip', { host: 'tcp://h', skipTLSVerify: true });
  writeContext(dockerDir, 'plain', { host: 'tcp://h:2376' });
  const skip = resolveEndpoint(globals({ context: 'skip' }), { env: {}, homeDir });
  t.deepEqual(tlsOf(skip), { verify: false });
  t.like(skip, { port: 2376 });
  t.is(tlsOf(resolveEndpoint(globals({ context: 'plain' }), { env: {}, homeDir })), undefined);
});

test('global TLS flags and DOCKER_TLS_VERIFY do not apply to a named context (as in docker)', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'plain', { host: 'tcp://h:2375' });
  const endpoint = resolveEndpoint(globals({ context: 'plain', tlsVerify: true }), { env: { DOCKER_TLS_VERIFY: '1' }, homeDir });
  t.is(tlsOf(endpoint), undefined);
});

test('a client certificate without its key is dropped with a warning, as docker ignores it', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeContext(dockerDir, 'half', { host: 'tcp://h:2376', tls: { ca: fixture('ca.pem'), cert: fixture('cert.pem') } });
  const endpoint = resolveEndpoint(globals({ context: 'half' }), { env: {}, homeDir });
  t.deepEqual(tlsOf(endpoint), { verify: true, ca: fixture('ca.pem') });
  t.regex(endpoint.warnings.join(), /key\.pem is missing/);
});

// ---- the default context's TLS -----------------------------------------

test('without TLS options a tcp host is plain http', (t) => {
  const { homeDir } = tempHome();
  t.is(tlsOf(resolveEndpoint(globals({ hosts: ['tcp://h:2375'] }), { env: {}, homeDir })), undefined);
});

test('--tlsverify reads ca/cert/key from the cert directory (DOCKER_CERT_PATH)', (t) => {
  const { homeDir } = tempHome();
  const certs = fixturePath('');
  const endpoint = resolveEndpoint(globals({ hosts: ['tcp://h:2376'], tlsVerify: true }), { env: { DOCKER_CERT_PATH: certs }, homeDir });
  t.deepEqual(tlsOf(endpoint), { verify: true, ca: fixture('ca.pem'), cert: fixture('cert.pem'), key: fixture('key.pem') });
});

test('the default cert directory is DOCKER_CONFIG or ~/.docker — not --config (docker reads it before parsing flags)', (t) => {
  const { homeDir, dockerDir } = tempHome();
  writeFileSync(join(dockerDir, 'ca.pem'), fixture('ca.pem'));
  const elsewhere = tempDir();
  const endpoint = resolveEndpoint(globals({ hosts: ['tcp://h:2376'], tls: true, configDir: elsewhere }), { env: {}, homeDir });
  t.deepEqual(tlsOf(endpoint), { verify: false, ca: fixture('ca.pem') });
});

test('--tls alone encrypts without verifying; missing default files are simply absent', (t) => {
  const { homeDir } = tempHome();
  t.deepEqual(tlsOf(resolveEndpoint(globals({ hosts: ['tcp://h:2376'], tls: true }), { env: {}, homeDir })), { verify: false });
});

test('--tlsverify=false still turns TLS on, without verification', (t) => {
  const { homeDir } = tempHome();
  t.deepEqual(tlsOf(resolveEndpoint(globals({ hosts: ['tcp://h:2376'], tlsVerify: false }), { env: {}, homeDir })), { verify: false });
});

test('DOCKER_TLS_VERIFY set to anything (even 0) turns verification on, as in docker', (t) => {
  const { homeDir } = tempHome();
  for (const value of ['1', '0', 'yes']) {
    const endpoint = resolveEndpoint(globals(), { env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: value }, homeDir });
    t.deepEqual(tlsOf(endpoint), { verify: true }, value);
  }
});

test('DOCKER_TLS turns TLS on; --tls=false turns it back off', (t) => {
  const { homeDir } = tempHome();
  const env = { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS: '1' };
  t.deepEqual(tlsOf(resolveEndpoint(globals(), { env, homeDir })), { verify: false });
  t.is(tlsOf(resolveEndpoint(globals({ tls: false }), { env, homeDir })), undefined);
});

test('explicit --tlscacert/--tlscert/--tlskey are read; a missing one is an error naming the flag', (t) => {
  const { homeDir } = tempHome();
  const endpoint = resolveEndpoint(
    globals({ hosts: ['tcp://h:2376'], tlsVerify: true, tlsCaCert: fixturePath('ca.pem'), tlsCert: fixturePath('cert.pem'), tlsKey: fixturePath('key.pem') }),
    { env: {}, homeDir },
  );
  t.deepEqual(tlsOf(endpoint), { verify: true, ca: fixture('ca.pem'), cert: fixture('cert.pem'), key: fixture('key.pem') });
  t.throws(() => resolveEndpoint(globals({ hosts: ['tcp://h:2376'], tls: true, tlsCaCert: '/nonexistent/ca.pem' }), { env: {}, homeDir }), {
    instanceOf: PluginError,
    message: /--tlscacert.*\/nonexistent\/ca\.pem/,
  });
});

test('with TLS and no host at all, docker connects to tcp://localhost:2376', (t) => {
  const { homeDir } = tempHome();
  t.like(resolveEndpoint(globals({ tlsVerify: true }), { env: {}, homeDir }), { kind: 'tcp', host: 'localhost', port: 2376, url: 'tcp://localhost:2376' });
});

test('TLS options do not apply to a unix socket', (t) => {
  const { homeDir } = tempHome();
  const endpoint = resolveEndpoint(globals({ hosts: ['unix:///x.sock'], tlsVerify: true }), { env: {}, homeDir });
  t.deepEqual(endpoint.kind === 'unix' ? endpoint.socketPath : undefined, '/x.sock');
});

// ---- hosts ---------------------------------------------------------------

test('more than one -H is refused as docker refuses it', (t) => {
  const { homeDir } = tempHome();
  t.throws(() => resolveEndpoint(globals({ hosts: ['a', 'b'] }), { env: {}, homeDir }), { instanceOf: PluginError, message: 'specify only one -H' });
});

test('an invalid -H or DOCKER_HOST is an error naming the value and where it came from', (t) => {
  const { homeDir } = tempHome();
  t.throws(() => resolveEndpoint(globals({ hosts: ['http://h'] }), { env: {}, homeDir }), {
    instanceOf: PluginError,
    message: 'invalid daemon host "http://h" (-H): invalid bind address format: http://h',
  });
  t.throws(() => resolveEndpoint(globals(), { env: { DOCKER_HOST: 'tcp://h:x' }, homeDir }), { message: /\(DOCKER_HOST\)/ });
});

test('an ssh:// host is parsed (the client may refuse it later)', (t) => {
  const { homeDir } = tempHome();
  t.like(resolveEndpoint(globals(), { env: { DOCKER_HOST: 'ssh://me@h:2222' }, homeDir }), { kind: 'ssh', host: 'h', port: 2222, user: 'me', url: 'ssh://me@h:2222' });
});
