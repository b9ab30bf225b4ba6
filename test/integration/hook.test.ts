// The post-build hook through the real docker CLI (≥ 26.1: /usr/local/bin/docker
// when present) on the test daemon: `hook install` into a temporary
// DOCKER_CONFIG, then `docker build` in a pseudo-terminal (the CLI runs
// hooks only when its output is a terminal) prints our summary under
// "What's next:"; a failing build and a clean image print nothing of ours.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import anyTest from 'ava';
import { MAIN, daemonAvailable, integrationTest } from './cli.js';
import { metadataJson } from '../../src/plugin/metadata.js';
import { toolVersion } from '../../src/version.js';

const test = integrationTest('hook');
const exec = promisify(execFile);
const DOCKER = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const IMAGE = (name: string) => `dsp-hook-test/${name}:${RUN_ID}`;

interface Setup {
  root: string;
  env: NodeJS.ProcessEnv;
  configFile: string;
}

const USER_CONFIG = {
  auths: { 'registry.example.com': { auth: 'dXNlcjpwYXNz' } },
  credHelpers: { 'gcr.io': 'gcloud' },
  // another plugin's hooks (not installed here: the CLI skips it)
  plugins: { scout: { hooks: 'pull,buildx build' } },
  currentContext: 'default',
};

let setup: Setup | undefined;

// Set-up only when the cases run (a skipped file's `test` has no hooks).
if (daemonAvailable()) anyTest.before(async () => {
  if (!process.env.DOCKER_HOST) return;
  const root = mkdtempSync(path.join(tmpdir(), 'dsp-hook-it-'));
  const dockerConfig = path.join(root, 'docker');
  const plugins = path.join(dockerConfig, 'cli-plugins');
  mkdirSync(plugins, { recursive: true });
  // A launcher like install.sh's: the metadata answered by the shell, the rest by node.
  const launcher = path.join(plugins, 'docker-securitypolicy');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    launcher,
    `#!/bin/sh\nif [ "$1" = docker-cli-plugin-metadata ]; then\n  printf '%s' ${quote(metadataJson(toolVersion()))}\n  exit 0\nfi\nexec ${quote(process.execPath)} ${quote(MAIN)} "$@"\n`,
  );
  chmodSync(launcher, 0o755);
  const configFile = path.join(dockerConfig, 'config.json');
  writeFileSync(configFile, JSON.stringify(USER_CONFIG, null, '\t'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_CONFIG: dockerConfig,
    HOME: root,
    XDG_CONFIG_HOME: path.join(root, 'xdg'), // no user policy file from this machine
    NO_COLOR: '1',
    TERM: 'dumb',
  };
  delete env.DOCKER_CLI_HOOKS;
  delete env.DOCKER_CLI_HINTS;
  delete env.DOCKER_BUILDKIT; // no buildx here: the 28 client falls back to the classic builder
  setup = { root, env, configFile };
});

if (daemonAvailable()) anyTest.after.always(async () => {
  if (!setup) return;
  const images = ['ports', 'fails', 'clean', 'braces', 'remote'].map(IMAGE);
  await exec(DOCKER, ['rmi', '-f', ...images], { env: setup.env }).catch(() => undefined);
  rmSync(setup.root, { recursive: true, force: true });
});

function context(name: string, files: Record<string, string>): string {
  const dir = path.join(setup!.root, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Runs the docker CLI with its output on a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
function inTerminal(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string; ms: number }> {
  // A wide terminal, so that names are not shortened.
  const line = `stty cols 160 2>/dev/null; exec ${[DOCKER, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], { cwd, env: { ...setup!.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => reject(new Error(`cannot run util-linux \`script\` (the docker CLI runs hooks only on a terminal): ${err.message}`)));
    child.on('close', (code) =>
      // eslint-disable-next-line no-control-regex
      resolve({ code: code ?? -1, output: output.replace(/\r/g, '').replace(/\u001b\[[0-9;]*m/g, ''), ms: Date.now() - started }),
    );
  });
}

/** Our lines under "What's next:" (the CLI indents each by 4). */
function ourLines(output: string): string[] {
  const at = output.indexOf("What's next:");
  if (at < 0) return [];
  return output
    .slice(at)
    .split('\n')
    .slice(1)
    .filter((l) => l.startsWith('    '))
    .map((l) => l.slice(4));
}

test.serial('hook install keeps auths, credHelpers, currentContext and the other plugin\'s hooks', async (t) => {
  const s = setup!;
  const r = await exec(DOCKER, ['securitypolicy', 'hook', 'install'], { env: s.env });
  t.regex(r.stdout, /Installed the post-build hook in .*config\.json/);
  const written = JSON.parse(readFileSync(s.configFile, 'utf8')) as Record<string, unknown>;
  t.deepEqual(written, {
    ...USER_CONFIG,
    plugins: {
      scout: { hooks: 'pull,buildx build' },
      securitypolicy: { hooks: 'build,buildx build,image build,builder build', 'features.hooks-before-install': 'unset' },
    },
    features: { hooks: 'true' },
  });
  t.is(readFileSync(`${s.configFile}.securitypolicy-backup`, 'utf8'), JSON.stringify(USER_CONFIG, null, '\t'));
  const status = await exec(DOCKER, ['securitypolicy', 'hook', 'status'], { env: s.env });
  t.regex(status.stdout, /hooks are enabled/);
});

test.serial('docker build -t x . prints our summary: verdict, counts, top findings with Dockerfile lines, the cue', async (t) => {
  const dir = context('ports', {
    Dockerfile: `FROM dsp-fixture/busybox:base\nRUN echo ${RUN_ID} > /build-id\nEXPOSE 22/tcp 8080\nCMD echo hi\n`,
  });
  const r = await inTerminal(['build', '--network=none', '-t', IMAGE('ports'), '.'], dir);
  t.is(r.code, 0, r.output);
  const lines = ourLines(r.output);
  t.log(`${lines.join('\n')}\n(build + hook: ${r.ms} ms)`);
  t.regex(lines[0] ?? '', new RegExp(`^Security policy: ${IMAGE('ports').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} FAIL: 1 failing, \\d+ warnings? \\(\\d+ high`));
  t.regex(lines[1] ?? '', /^ {2}FAIL SQ40104 high: .* — Dockerfile:3$/);
  t.regex(lines.at(-1)!, new RegExp(`^Details.*: docker securitypolicy check ${IMAGE('ports').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
  t.true(lines.length <= 6);
});

test.serial('docker -H HOST build: the hook asks the daemon the CLI used (read from the CLI\'s command line)', async (t) => {
  const host = process.env.DOCKER_HOST!;
  const dir = context('remote', { Dockerfile: `FROM dsp-fixture/busybox:base\nLABEL run=${RUN_ID}\nEXPOSE 3389/udp\n` });
  const r = await inTerminal(['-H', host, 'build', '--network=none', '-t', IMAGE('remote'), '.'], dir, { DOCKER_HOST: '' });
  t.is(r.code, 0, r.output);
  const lines = ourLines(r.output);
  t.regex(lines[0] ?? '', /FAIL: 1 failing/, r.output);
  t.regex(lines[1] ?? '', /^ {2}FAIL SQ40108 high: .* — Dockerfile:3$/);
});

test.serial('a failing build prints nothing from us', async (t) => {
  const dir = context('fails', { Dockerfile: 'FROM dsp-fixture/busybox:base\nEXPOSE 22\nRUN exit 3\n' });
  const r = await inTerminal(['build', '--network=none', '-t', IMAGE('fails'), '.'], dir);
  t.not(r.code, 0);
  t.notRegex(r.output, /Security policy/);
  t.notRegex(r.output, /What's next/);
});

test.serial('an image without findings prints nothing by default, one line when the configuration asks', async (t) => {
  const dir = context('clean', { Dockerfile: `FROM dsp-fixture/clean:classic\nLABEL build=${RUN_ID}\n` });
  // The busybox base has findings of its own (a second uid-0 account, a telnetd applet): not listed here.
  writeFileSync(path.join(dir, 'docker-security-policy.yaml'), 'inherited: off\n');
  const quiet = await inTerminal(['build', '--network=none', '-t', IMAGE('clean'), '.'], dir);
  t.is(quiet.code, 0, quiet.output);
  t.notRegex(quiet.output, /Security policy|What's next/);
  writeFileSync(path.join(dir, 'docker-security-policy.yaml'), 'inherited: off\nhook:\n  showClean: true\n');
  const told = await inTerminal(['build', '--network=none', '-t', IMAGE('clean'), '.'], dir);
  t.deepEqual(ourLines(told.output), [`Security policy: ${IMAGE('clean')} PASS: no findings`]);
});

test.serial('Go template syntax from the build (here a directory name) is printed as it is', async (t) => {
  const root = context('braces', { 'we{{.Name}}ird/Dockerfile': 'FROM dsp-fixture/busybox:base\nLABEL a=b\nEXPOSE 23\n' });
  const r = await inTerminal(['build', '--network=none', '-t', IMAGE('braces'), '-f', 'we{{.Name}}ird/Dockerfile', 'we{{.Name}}ird'], root);
  t.is(r.code, 0, r.output);
  const lines = ourLines(r.output);
  t.regex(lines[1] ?? '', /^ {2}FAIL SQ40105 high: .* — we\{\{\.Name\}\}ird\/Dockerfile:3$/, lines.join('\n'));
});

test.serial('hook uninstall gives back the user\'s config.json', async (t) => {
  const s = setup!;
  const r = await exec(DOCKER, ['securitypolicy', 'hook', 'uninstall'], { env: s.env });
  t.regex(r.stdout, /Removed the post-build hook/);
  t.deepEqual(JSON.parse(readFileSync(s.configFile, 'utf8')), USER_CONFIG);
  const after = await inTerminal(['build', '--network=none', '-t', IMAGE('ports'), '.'], path.join(s.root, 'ports'));
  t.notRegex(after.output, /Security policy/);
});
