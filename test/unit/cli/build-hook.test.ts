// The hook call as the docker CLI makes it (`docker-securitypolicy
// docker-cli-plugin-hooks REQUEST`), against daemons that fail: it answers
// nothing (or one line), exits 0, prints nothing else, and keeps its time
// budget. The happy path runs on the real daemon (test/integration/hook.test.ts).
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLineDockerfile, isBuildCommand } from '../../../src/cli/build-hook.js';

const MAIN = fileURLToPath(new URL('../../../src/main.js', import.meta.url));
// Long enough for node to start and load on a busy machine (ava runs test files side by side).
const BUDGET_S = 4;
const OK_BUILD = JSON.stringify({ RootCmd: 'build', Flags: { tag: '' }, CommandError: '' });

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function hook(request: string, options: { socket: string; cwd: string }): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'docker-cli-plugin-hooks', request], {
      cwd: options.cwd,
      env: { ...process.env, DOCKER_HOST: `unix://${options.socket}`, DOCKER_CONFIG: options.cwd, XDG_CONFIG_HOME: options.cwd, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

function workdir(t: { teardown(fn: () => void): void }, config = `hook:\n  budgetSeconds: ${BUDGET_S}\n`): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dsp-hook-'));
  writeFileSync(path.join(dir, 'docker-security-policy.yaml'), config);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A socket that accepts connections and never answers. */
async function silentDaemon(t: { teardown(fn: () => void): void }, dir: string): Promise<string> {
  const socket = path.join(dir, 'silent.sock');
  const held: net.Socket[] = [];
  const server = net.createServer((c) => held.push(c));
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(() => {
    held.forEach((c) => c.destroy());
    server.close();
  });
  return socket;
}

test.serial('after a failed build: no answer at all, exit 0, and the daemon is not even asked', async (t) => {
  const dir = workdir(t);
  const r = await hook(JSON.stringify({ RootCmd: 'build', Flags: {}, CommandError: 'exit status 1' }), { socket: path.join(dir, 'none.sock'), cwd: dir });
  t.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
});

test.serial('-q, --check, or a request that is not one: no answer', async (t) => {
  const dir = workdir(t);
  for (const request of [JSON.stringify({ RootCmd: 'build', Flags: { quiet: 'true' } }), JSON.stringify({ RootCmd: 'buildx build', Flags: { check: '' } }), 'garbage']) {
    const r = await hook(request, { socket: path.join(dir, 'none.sock'), cwd: dir });
    t.deepEqual([r.code, r.stdout, r.stderr], [0, '', ''], request);
  }
});

test.serial('daemon down: no answer, exit 0, no stack trace', async (t) => {
  const dir = workdir(t);
  const r = await hook(OK_BUILD, { socket: path.join(dir, 'none.sock'), cwd: dir });
  t.deepEqual([r.code, r.stdout], [0, '']);
  t.notRegex(r.stderr, /\bat .*\.js:\d+/);
});

test.serial('a daemon that never answers: the hook returns within its budget, saying nothing', async (t) => {
  const dir = workdir(t);
  const r = await hook(OK_BUILD, { socket: await silentDaemon(t, dir), cwd: dir });
  t.deepEqual([r.code, r.stdout], [0, '']);
  t.true(r.ms < (BUDGET_S + 2) * 1000, `took ${r.ms} ms for a ${BUDGET_S} s budget`);
});

test.serial('an image found but not checked in time: one line that says how to check it', async (t) => {
  const dir = workdir(t);
  const socket = path.join(dir, 'slow.sock');
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/events')) {
      const event = { status: 'tag', id: 'sha256:' + 'a'.repeat(64), Type: 'image', Action: 'tag', Actor: { ID: 'sha256:' + 'a'.repeat(64), Attributes: { name: 'slow/{{.Name}}:1' } }, time: Math.floor(Date.now() / 1000) - 5, timeNano: (Date.now() - 5000) * 1e6 };
      res.end(JSON.stringify(event) + '\n');
      return;
    }
    held.push(res); // inspect, history, export: never answered
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(() => {
    held.forEach((r) => r.destroy());
    server.close();
  });
  const r = await hook(OK_BUILD, { socket, cwd: dir });
  t.is(r.code, 0);
  t.true(r.ms < (BUDGET_S + 2) * 1000, `took ${r.ms} ms`);
  const answer = JSON.parse(r.stdout) as { Type: number; Template: string };
  t.is(answer.Type, 0);
  t.is(answer.Template, `Security policy: slow/{{"{{"}}.Name}}:1 not checked within 4 s; run: docker securitypolicy check 'slow/{{"{{"}}.Name}}:1'`, 'the name quoted as a shell word, as in the summary\'s cue');
});

test.serial('a broken policy file: one line naming the mistake', async (t) => {
  const dir = workdir(t, 'hook:\n  budgetSeconds: soon\n');
  const r = await hook(OK_BUILD, { socket: path.join(dir, 'none.sock'), cwd: dir });
  t.is(r.code, 0);
  const answer = JSON.parse(r.stdout) as { Template: string };
  t.regex(answer.Template, /^Security policy: not checked: docker-security-policy\.yaml:2:\d+: expected the seconds the post-build hook may take/);
});

test('the Dockerfile a command line names: -f, else the context directory; none for stdin and remote contexts', (t) => {
  t.is(commandLineDockerfile({ file: 'sub/Dockerfile.prod', context: 'ctx' }, '/w'), '/w/sub/Dockerfile.prod');
  t.is(commandLineDockerfile({ context: 'ctx' }, '/w'), '/w/ctx');
  t.is(commandLineDockerfile({ context: '.' }, '/w'), '/w');
  t.is(commandLineDockerfile({ file: '-', context: '.' }, '/w'), undefined);
  t.is(commandLineDockerfile({ context: '-' }, '/w'), undefined);
  t.is(commandLineDockerfile({ context: 'https://github.com/x/y.git#main' }, '/w'), undefined);
  t.is(commandLineDockerfile({ context: 'git@github.com:x/y.git' }, '/w'), undefined);
  t.is(commandLineDockerfile({}, '/w'), undefined);
});

test('only commands that build images are answered', (t) => {
  for (const c of ['build', 'image build', 'builder build', 'buildx build', 'buildx b', 'compose build', 'buildx bake']) t.true(isBuildCommand(c), c);
  for (const c of ['pull', 'run', 'image ls', 'b', '']) t.false(isBuildCommand(c), c);
});
