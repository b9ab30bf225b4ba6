// dockerode loads without its ssh and gRPC transports; they load when used.
import test from 'ava';
import { createRequire } from 'node:module';
import '../../../src/daemon/lazy-transports.js';

const require = createRequire(import.meta.url);

function loadedFiles(pkg: string): string[] {
  return Object.keys(require.cache).filter((p) => p.includes(`/node_modules/${pkg}/`));
}

test('dockerode loads without ssh2 or gRPC (stand-ins only); an ssh:// endpoint loads ssh2 when it connects', async (t) => {
  const { default: Docker } = await import('dockerode');
  t.true(loadedFiles('ssh2').length <= 1, 'at most the stand-in for ssh2');
  t.true(loadedFiles('@grpc/grpc-js').length <= 1, 'at most the stand-in for gRPC');
  const docker = new Docker({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody' });
  const err = await docker.ping().then(() => undefined, (e: unknown) => e as Error);
  t.truthy(err, 'nothing listens on port 1');
  t.true(loadedFiles('ssh2').length > 1, 'the real ssh2 was loaded to connect');
});

test('a stand-in that is called or read gives the real package', (t) => {
  const dockerignore = require('@balena/dockerignore') as (o: object) => { add(p: string): { ignores(p: string): boolean } };
  t.true(dockerignore({}).add('*.log').ignores('x.log'));
  const uuid = require('uuid') as { v4(): string };
  t.regex(uuid.v4(), /^[0-9a-f-]{36}$/);
});

test('dockerode loads without readable-stream (for attach and exec only); an HttpDuplex constructed through the stand-in is the real one', async (t) => {
  await import('dockerode');
  t.is(loadedFiles('readable-stream').length, 0, 'readable-stream is loaded by HttpDuplex only');
  const HttpDuplex = require('docker-modem/lib/http_duplex.js') as new (req: unknown, res: unknown) => { _read?: unknown };
  const { PassThrough } = await import('node:stream');
  const duplex = new HttpDuplex(new PassThrough(), new PassThrough());
  t.true(duplex instanceof HttpDuplex);
  t.is(typeof duplex._read, 'function', 'a readable-stream Duplex');
  t.true(loadedFiles('readable-stream').length > 0, 'loaded when constructed');
});

test('require("https") (docker-modem takes it at load for TLS endpoints) gives node\'s https module when used', async (t) => {
  t.truthy(require.cache.https, 'a stand-in in the module cache until used');
  const nodeHttps = await import('node:https');
  const https = require('https') as typeof nodeHttps;
  t.is(https.request, nodeHttps.request);
  t.true(new https.Agent({ rejectUnauthorized: false }) instanceof nodeHttps.Agent);
});
