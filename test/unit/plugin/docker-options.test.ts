import test from 'ava';
import Docker from 'dockerode';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { dockerodeOptions, MODEM_ENV_VARS, withoutModemEnv } from '../../../src/plugin/docker-options.js';
import type { Endpoint } from '../../../src/plugin/endpoint.js';
import { rootCertificates } from 'node:tls';
import { fixture, fixturePath, tempDir } from './docker-config.js';

const meta = { url: 'x', display: 'x', source: 'default', origin: 'none', context: 'default', configDir: '/c', warnings: [] } as const;
const unix = (socketPath: string): Endpoint => ({ ...meta, warnings: [], kind: 'unix', socketPath });
const tcp = (host: string, port: number, tls?: Extract<Endpoint, { kind: 'tcp' }>['tls']): Endpoint => ({
  ...meta,
  warnings: [],
  kind: 'tcp',
  host,
  port,
  ...(tls ? { tls } : {}),
});

test('a unix endpoint is a socketPath, every tcp key explicitly unset', (t) => {
  const options = dockerodeOptions(unix('/var/run/docker.sock'), 30_000);
  t.like(options, { socketPath: '/var/run/docker.sock', protocol: 'http', timeout: 30_000 });
  // Explicit keys override what docker-modem takes from DOCKER_HOST.
  for (const key of ['host', 'port', 'ca', 'cert', 'key']) {
    t.true(key in options, key);
    t.is((options as Record<string, unknown>)[key], undefined, key);
  }
});

test('a plain tcp endpoint is host, port and http', (t) => {
  t.like(dockerodeOptions(tcp('10.0.0.5', 2375)), { host: '10.0.0.5', port: 2375, protocol: 'http', socketPath: undefined, timeout: undefined });
});

test('a TLS endpoint is https with its ca, cert and key; verification on means no custom agent', (t) => {
  const options = dockerodeOptions(tcp('h', 2376, { verify: true, ca: fixture('ca.pem'), cert: fixture('cert.pem'), key: fixture('key.pem') }));
  t.like(options, { protocol: 'https', host: 'h', port: 2376, ca: fixture('ca.pem'), cert: fixture('cert.pem'), key: fixture('key.pem') });
  t.is(options.agent, undefined);
});

test('TLS without verification carries rejectUnauthorized: false in an agent', (t) => {
  const options = dockerodeOptions(tcp('h', 2376, { verify: false }));
  t.is(options.protocol, 'https');
  t.is(options.agent?.options.rejectUnauthorized, false);
});

test('an npipe endpoint is a socketPath', (t) => {
  t.like(dockerodeOptions({ ...meta, warnings: [], kind: 'npipe', path: '//./pipe/docker_engine' }), { socketPath: '//./pipe/docker_engine' });
});

test('an ssh endpoint is protocol ssh with user, port 22 by default and the ssh agent', (t) => {
  t.like(dockerodeOptions({ ...meta, warnings: [], kind: 'ssh', host: 'h', user: 'me' }, undefined, { SSH_AUTH_SOCK: '/agent' }), {
    protocol: 'ssh',
    host: 'h',
    port: 22,
    username: 'me',
    sshOptions: { agent: '/agent' },
  });
});

test('a zero or absent timeout sets none (docker-modem would cut idle event streams)', (t) => {
  t.is(dockerodeOptions(unix('/s'), 0).timeout, undefined);
  t.is(dockerodeOptions(unix('/s')).timeout, undefined);
});

test('withoutModemEnv hides the modem\'s variables during construction and restores them', (t) => {
  const env: NodeJS.ProcessEnv = { DOCKER_HOST: 'tcp://elsewhere:1', DOCKER_CERT_PATH: '/nonexistent', OTHER: 'kept' };
  const seen = withoutModemEnv(() => ({ ...env }), env);
  for (const name of MODEM_ENV_VARS) t.false(name in seen, name);
  t.is(seen.OTHER, 'kept');
  t.deepEqual(env, { DOCKER_HOST: 'tcp://elsewhere:1', DOCKER_CERT_PATH: '/nonexistent', OTHER: 'kept' });
});

// ---- wiring: dockerode really connects where the endpoint says ------------
// A bare HTTP responder for /_ping only: these check where dockerode
// connects, not the Docker API (integration tests use a real daemon).

async function listen(server: Server, ...args: unknown[]): Promise<void> {
  (server.listen as (...a: unknown[]) => void)(...args);
  await once(server, 'listening');
}

function pingResponder(server: Server): Server {
  server.on('request', (req, res) => {
    res.writeHead(req.url?.endsWith('/_ping') ? 200 : 404, { 'Content-Type': 'text/plain' });
    res.end('OK');
  });
  return server;
}

test.serial('dockerode reaches a unix socket endpoint even when DOCKER_HOST and DOCKER_CERT_PATH point elsewhere', async (t) => {
  const socket = join(tempDir(), 'd.sock');
  const server = pingResponder(createHttpServer());
  await listen(server, socket);
  t.teardown(() => server.close());
  const saved = { host: process.env.DOCKER_HOST, certs: process.env.DOCKER_CERT_PATH };
  process.env.DOCKER_HOST = 'tcp://127.0.0.1:9';
  process.env.DOCKER_CERT_PATH = '/nonexistent';
  try {
    // Without the guard docker-modem reads /nonexistent/ca.pem and throws.
    t.throws(() => new Docker(dockerodeOptions(unix(socket), 5000)));
    const docker = withoutModemEnv(() => new Docker(dockerodeOptions(unix(socket), 5000)));
    t.is(String(await docker.ping()), 'OK');
  } finally {
    for (const [name, value] of [['DOCKER_HOST', saved.host], ['DOCKER_CERT_PATH', saved.certs]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test.serial('dockerode reaches a TLS endpoint: verified with the CA, unverified without it, refused when verifying without it', async (t) => {
  const server = pingResponder(createHttpsServer({ cert: fixture('server-cert.pem'), key: fixture('server-key.pem') }));
  await listen(server, 0, '127.0.0.1');
  t.teardown(() => server.close());
  const { port } = server.address() as AddressInfo;
  const connect = (tls: { verify: boolean; ca?: Buffer }) => withoutModemEnv(() => new Docker(dockerodeOptions(tcp('127.0.0.1', port, tls), 5000)));
  t.is(String(await connect({ verify: true, ca: fixture('ca.pem') }).ping()), 'OK');
  t.is(String(await connect({ verify: false }).ping()), 'OK');
  await t.throwsAsync(() => connect({ verify: true }).ping(), { message: /certificate/i });
});

test.serial('verifying without a CA of its own, the endpoint trusts the extra CAs the launcher moved from NODE_EXTRA_CA_CERTS', async (t) => {
  const server = pingResponder(createHttpsServer({ cert: fixture('server-cert.pem'), key: fixture('server-key.pem') }));
  await listen(server, 0, '127.0.0.1');
  t.teardown(() => server.close());
  const { port } = server.address() as AddressInfo;
  const options = (env: Record<string, string>) => dockerodeOptions(tcp('127.0.0.1', port, { verify: true }), 5000, env);
  const withExtra = options({ DSP_EXTRA_CA_CERTS: fixturePath('ca.pem') });
  t.is(String(await withoutModemEnv(() => new Docker(withExtra)).ping()), 'OK');
  t.deepEqual(withExtra.ca, [...rootCertificates, fixture('ca.pem').toString('utf8')], "Node's bundled CAs stay trusted");
  // An unreadable file adds nothing, as with NODE_EXTRA_CA_CERTS: Node's defaults, which do not know this CA.
  const unreadable = options({ DSP_EXTRA_CA_CERTS: fixturePath('no-such.pem') });
  t.is(unreadable.ca, undefined);
  await t.throwsAsync(() => withoutModemEnv(() => new Docker(unreadable)).ping(), { message: /certificate/i });
  // An endpoint with a CA of its own trusts only that one.
  t.deepEqual(dockerodeOptions(tcp('h', 2376, { verify: true, ca: fixture('ca.pem') }), 5000, { DSP_EXTRA_CA_CERTS: fixturePath('ca.pem') }).ca, fixture('ca.pem'));
});
