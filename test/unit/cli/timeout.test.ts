// A daemon that accepts the connection and then says nothing must not hang
// the check: --timeout bounds every call, and the error says what to do.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../src/main.js', import.meta.url));

test('a silent daemon: exit 2 after --timeout with a line that names the fix', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dsp-silent-'));
  const socket = path.join(dir, 'docker.sock');
  const held: net.Socket[] = [];
  const server = net.createServer((c) => held.push(c)); // accepts, never answers
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(() => {
    held.forEach((c) => c.destroy());
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const started = Date.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'check', '--timeout', '1', 'app:1'], {
      env: { ...process.env, DOCKER_HOST: `unix://${socket}`, NO_COLOR: '1' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  t.is(code, 2);
  t.regex(stderr, /did not answer .* within 1 s; raise --timeout/);
  t.true(Date.now() - started < 10_000, 'returns soon after the limit');
});
