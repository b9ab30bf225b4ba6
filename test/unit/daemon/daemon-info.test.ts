// The pieces of the daemon reading that need no daemon: the loopback ping (a
// local HTTP server stands in for an exposed API), the socket stat, and the
// bounded-concurrency map the container inspects use.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { pingLoopback, socketMode } from '../../../src/daemon/daemon-info.js';
import { mapLimit } from '../../../src/daemon/containers.js';

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

test('pingLoopback: true when /_ping answers OK, as the Docker API does', async (t) => {
  const paths: string[] = [];
  const { server, port } = await listen((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'Api-Version': '1.41', 'Content-Type': 'text/plain' });
    res.end('OK');
  });
  try {
    t.true(await pingLoopback(port, 2000));
    t.deepEqual(paths, ['/_ping']);
  } finally {
    server.close();
  }
});

test('pingLoopback: false for another service, an error status, a refused port and a silent one', async (t) => {
  const other = await listen((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html>hello</html>');
  });
  const denied = await listen((_req, res) => {
    res.writeHead(401);
    res.end('OK');
  });
  const silent = await listen(() => {
    /* never answers */
  });
  try {
    t.false(await pingLoopback(other.port, 2000));
    t.false(await pingLoopback(denied.port, 2000));
    const started = Date.now();
    t.false(await pingLoopback(silent.port, 200));
    t.true(Date.now() - started < 2000);
  } finally {
    other.server.close();
    denied.server.close();
    silent.server.closeAllConnections();
    silent.server.close();
  }
  const closed = await listen(() => undefined);
  const port = closed.port;
  await new Promise<void>((resolve) => closed.server.close(() => resolve()));
  t.false(await pingLoopback(port, 2000));
});

test('socketMode: the mode of a file that exists, undefined otherwise', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-socket-mode-'));
  const file = join(dir, 'docker.sock');
  writeFileSync(file, '');
  chmodSync(file, 0o660);
  const s = await socketMode(file);
  t.is(s?.path, file);
  t.is((s?.mode ?? 0) & 0o777, 0o660);
  t.is(await socketMode(join(dir, 'missing.sock')), undefined);
});

test('mapLimit: results in order, never more than the limit at once', async (t) => {
  let active = 0;
  let peak = 0;
  const items = Array.from({ length: 20 }, (_, i) => i);
  const results = await mapLimit(items, 4, async (n) => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 5 + (n % 3) * 3));
    active--;
    return n * 2;
  });
  t.deepEqual(results, items.map((n) => n * 2));
  t.is(peak, 4);
  t.deepEqual(await mapLimit([], 4, async (n: number) => n), []);
  await t.throwsAsync(mapLimit([1, 2, 3], 2, async (n) => {
    if (n === 2) throw new Error('boom');
    return n;
  }), { message: 'boom' });
});
