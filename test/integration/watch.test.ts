// `watch` against real daemons: it sees what both builders, docker tag, load
// and import make, checks each image once, bounds its queue, and survives a
// daemon restart without losing an image made while it was away.
//
// The restart cases use the second private daemon (DSP_WATCH_DAEMON_DIR, set
// by scripts/test.sh); the shared daemon that other test files use at the
// same time is never restarted. Image names: dsp-watch-test/<run>-…, removed
// at the end.
import anyTest from 'ava';
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import type { JsonReport } from '../../src/report/json.js';
import { daemonAvailable, integrationTest, MAIN } from './cli.js';

const test = integrationTest('watch');
const DOCKER_CLI = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const TEST_DAEMON = fileURLToPath(new URL('../../../scripts/test-daemon.sh', import.meta.url));
const NO_USER_CONFIG = path.join(tmpdir(), 'dsp-test-no-user-config');
const RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const BASE = 'dsp-fixture/busybox:base';
const WAIT_MS = 240_000;

type Result = JsonReport['results'][number];

const work = mkdtempSync(path.join(tmpdir(), 'dsp-watch-test-'));
anyTest.after.always(() => rmSync(work, { recursive: true, force: true }));

/** `docker ARGS` on the daemon at `host` (the shared one by default); its stdout. */
function docker(args: string[], host = process.env.DOCKER_HOST, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(DOCKER_CLI, args, { env: { ...process.env, DOCKER_HOST: host, ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`docker ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

function sh(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(cmd, args, (err, _o, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve())));
}

/** Builds a tiny image FROM the busybox base with one unique step; its ID. */
async function build(tag: string, builder: 'classic' | 'buildkit', host = process.env.DOCKER_HOST, extra = 'EXPOSE 22'): Promise<string> {
  const dir = mkdtempSync(path.join(work, 'ctx-'));
  writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${BASE}\nRUN echo ${tag} ${Math.random()} > /stamp\n${extra}\n`);
  await docker(['build', '--network=none', '-q', '-t', tag, dir], host, { DOCKER_BUILDKIT: builder === 'buildkit' ? '1' : '0' });
  return docker(['image', 'inspect', '--format', '{{.Id}}', tag], host);
}

let rootfsTar: string | undefined;
/** A tiny root filesystem tar for `docker import` (one file; distinct images come from --change). */
async function tinyRootfs(): Promise<string> {
  if (rootfsTar) return rootfsTar;
  const dir = path.join(work, 'rootfs');
  mkdirSync(path.join(dir, 'etc'), { recursive: true });
  writeFileSync(path.join(dir, 'etc', 'hello'), 'hello\n');
  const tar = path.join(work, 'rootfs.tar');
  await sh('tar', ['-C', dir, '-cf', tar, '.']);
  rootfsTar = tar;
  return tar;
}

async function importImage(tag: string, changes: string[], host = process.env.DOCKER_HOST): Promise<string> {
  const args = ['import', ...changes.flatMap((c) => ['--change', c]), await tinyRootfs()];
  if (tag) args.push(tag);
  return docker(args, host);
}

function dockerode(host = process.env.DOCKER_HOST ?? ''): Docker {
  return new Docker({ socketPath: host.replace(/^unix:\/\//, '') });
}

/** Removes every tag under `prefix` (untags; deletes the image when it was the last name). Never by ID. */
async function removeTags(prefix: string, host = process.env.DOCKER_HOST): Promise<void> {
  const names = (await docker(['images', '--format', '{{.Repository}}:{{.Tag}}'], host)).split('\n').filter((n) => n.startsWith(prefix));
  for (let i = 0; i < names.length; i += 100) await docker(['rmi', ...names.slice(i, i + 100)], host).catch(() => {});
}

/** A running `watch`, its output as it comes. */
class Watcher {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number>;
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;

  constructor(args: string[], env: Record<string, string | undefined> = {}) {
    this.child = spawn(process.execPath, [MAIN, 'watch', ...args], {
      env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: NO_USER_CONFIG, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  }

  /** The JSON reports printed so far (one per line), as their single result. */
  get results(): Result[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const report = JSON.parse(l) as JsonReport;
        if (report.schemaVersion !== 1 || report.results.length !== 1) throw new Error(`not a one-result report: ${l}`);
        return report.results[0];
      });
  }

  result(id: string): Result | undefined {
    return this.results.find((r) => r.id === id);
  }

  async waitFor(what: string, done: () => boolean, ms = WAIT_MS): Promise<void> {
    const end = Date.now() + ms;
    let exitCode: number | undefined;
    void this.exited.then((c) => (exitCode = c));
    while (!done()) {
      if (exitCode !== undefined) throw new Error(`watch exited (${exitCode}) before ${what}\nstderr:\n${this.stderr}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nstderr:\n${this.stderr}\nstdout:\n${this.stdout.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  started(): Promise<void> {
    return this.waitFor('the watch to start', () => /watching \S+ for new images/.test(this.stderr));
  }

  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<number> {
    this.child.kill(signal);
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

function policies(r: Result | undefined): string[] {
  return (r?.findings ?? []).filter((f) => f.action === 'fail').map((f) => f.policy);
}

test('sees both builders, docker tag, docker load and docker import; each image once; our own exports are not events', async (t) => {
  const repo = `dsp-watch-test/${RUN}-kinds`;
  t.teardown(() => removeTags(repo));
  // Made before the watch starts, saved and removed: loaded while it watches.
  const pre = await build(`${repo}-pre:1`, 'classic', undefined, 'EXPOSE 3389');
  const archive = path.join(work, 'pre.tar');
  await docker(['save', '-o', archive, `${repo}-pre:1`]);
  await docker(['rmi', `${repo}-pre:1`]);

  const w = new Watcher(['--format', 'json', '--filter', `${repo}*`]);
  t.teardown(() => w.kill());
  await w.started();

  const classic = await build(`${repo}:classic`, 'classic');
  const buildkit = await build(`${repo}:buildkit`, 'buildkit');
  const clean = await docker(['image', 'inspect', '--format', '{{.Id}}', 'dsp-fixture/clean:classic']);
  await docker(['tag', 'dsp-fixture/clean:classic', `${repo}:tagged`]);
  await docker(['load', '-i', archive]);
  const imported = await importImage(`${repo}:import`, ['EXPOSE 23', 'CMD ["/bin/sh"]']);
  const untagged = await docker(['import', '--change', 'LABEL untagged=1', await tinyRootfs()]); // --filter leaves it out
  t.teardown(() => docker(['rmi', untagged]).then(() => {}, () => {})); // ours, and nameless: by ID
  const ids = { classic, buildkit, tagged: clean, load: pre, import: imported };
  await w.waitFor('a verdict for each image', () => Object.values(ids).every((id) => w.result(id)));

  t.deepEqual(w.result(classic)?.repoTags, [`${repo}:classic`]);
  t.deepEqual(policies(w.result(classic)), ['SQ40104']);
  t.is(w.result(classic)?.image, `${repo}:classic`);
  t.deepEqual(policies(w.result(buildkit)), ['SQ40104']);
  t.is(w.result(clean)?.image, `${repo}:tagged`, 'the tag the event named comes first');
  t.true(w.result(clean)?.repoTags.includes('dsp-fixture/clean:classic'));
  t.deepEqual(w.result(pre)?.repoTags, [`${repo}-pre:1`], 'a load event names only the ID; the tags come from inspect');
  t.deepEqual(policies(w.result(pre)), ['SQ40108']);
  t.deepEqual(policies(w.result(imported)), ['SQ40105'], 'import: tag and import events, one check');
  t.falsy(w.result(untagged), 'untagged, so no tag matches --filter');
  for (const r of w.results) t.truthy(r.findings && !r.error, `${r.image}: ${r.error ?? ''}`);

  // Another tag of a checked image is not a new image; the next import is the sync point.
  await docker(['tag', `${repo}:classic`, `${repo}:again`]);
  const marker = await importImage(`${repo}:marker`, ['USER 1000']);
  await w.waitFor('the marker verdict', () => Boolean(w.result(marker)));
  const seen = w.results.map((r) => r.id);
  t.is(seen.length, 6, `one verdict per image: ${seen.join(' ')}`);
  t.is(new Set(seen).size, seen.length);

  t.is(await w.stop('SIGINT'), 0);
  t.regex(w.stderr, /stopped: 6 images checked, 4 failing/);
});

test('table format: one block per image as it finishes, without the overall line; SIGTERM exits 0', async (t) => {
  const repo = `dsp-watch-test/${RUN}-table`;
  t.teardown(() => removeTags(repo));
  const w = new Watcher(['--filter', `${repo}:*`]);
  t.teardown(() => w.kill());
  await w.started();
  const id = await importImage(`${repo}:1`, ['EXPOSE 22']);
  const header = new RegExp(`^${repo}:1 ${id.slice(7, 19)}  FAIL  1 failing`, 'm');
  await w.waitFor('the block', () => header.test(w.stdout) && /┘\n\n$/.test(w.stdout));
  t.regex(w.stdout, /SQ40104/);
  t.notRegex(w.stdout, /images? checked/);
  t.is(await w.stop('SIGTERM'), 0);
  t.regex(w.stderr, /stopped: 1 image checked, 1 failing/);
});

// Twenty distinct images, made before the watches start; the bursts only tag them.
let sources: Promise<string[]> | undefined;
function burstSources(): Promise<string[]> {
  sources ??= (async () => {
    const repo = `dsp-watch-test/${RUN}-src`;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await importImage(`${repo}:${i}`, [`LABEL n=${i}`]));
    return ids;
  })();
  return sources;
}
anyTest.after.always(async () => {
  if (daemonAvailable()) await removeTags(`dsp-watch-test/${RUN}-src`);
});

/** Tags every source image `perImage` times at once, through the API. */
async function tagBurst(ids: string[], repo: string, perImage: number): Promise<void> {
  const api = dockerode();
  await Promise.all(ids.flatMap((id, i) => Array.from({ length: perImage }, (_x, k) => api.getImage(id).tag({ repo, tag: `${i}-${k}` }))));
}

test('a burst of 100 tags over 20 images: 20 verdicts, each image once', async (t) => {
  const ids = await burstSources();
  const repo = `dsp-watch-test/${RUN}-burst`;
  t.teardown(() => removeTags(repo));
  const w = new Watcher(['--format', 'json', '--filter', `${repo}`, '--jobs', '2']);
  t.teardown(() => w.kill());
  await w.started();
  await tagBurst(ids, repo, 5);
  await w.waitFor('20 verdicts', () => ids.every((id) => w.result(id)));
  const marker = await importImage(`${repo}:marker`, ['LABEL marker=1']);
  await w.waitFor('the marker verdict', () => Boolean(w.result(marker)));
  const seen = w.results.map((r) => r.id);
  t.is(seen.length, 21);
  t.is(new Set(seen).size, 21);
  t.is(await w.stop(), 0);
});

test('--max-pending: a full queue skips the oldest waiting images, names each, and checks the rest', async (t) => {
  const ids = await burstSources();
  const repo = `dsp-watch-test/${RUN}-flood`;
  t.teardown(() => removeTags(repo));
  const w = new Watcher(['--format', 'json', '--filter', `${repo}`, '--jobs', '1', '--max-pending', '3']);
  t.teardown(() => w.kill());
  await w.started();
  await tagBurst(ids, repo, 1);
  const skipped = () => [...w.stderr.matchAll(/queue full \(3 images waiting\): skipped (\S+) \((sha256:[0-9a-f]{64})\); check it with `docker securitypolicy check sha256:[0-9a-f]{64}`/g)].map((m) => m[2]);
  await w.waitFor('every image checked or skipped', () => ids.every((id) => w.result(id) || skipped().includes(id)));
  const checked = w.results.map((r) => r.id ?? '');
  t.true(skipped().length >= 1, w.stderr);
  t.is(checked.length + skipped().length, 20, 'each image either checked or named as skipped');
  t.deepEqual([...checked, ...skipped()].sort(), [...ids].sort());
  t.true(checked.length <= 1 + 3 + 1, `at most the running one and a full queue (plus one that started meanwhile): ${checked.length}`);
  t.is(await w.stop(), 0);
});

/**
 * A byte pipe in front of a daemon's socket, to hold an outage open as long
 * as the test needs: `down()` cuts every connection and refuses new ones while
 * the real daemon goes on (and can be restarted, and build) behind it.
 */
async function socketPipe(
  listenOn: string,
  daemonSocket: string,
  /** Cut the connection that carries a request whose bytes match (a transport fault, not a fake answer). */
  cut?: RegExp,
): Promise<{ down(): void; up(): void; close(): Promise<void> }> {
  let isDown = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = net.connect(daemonSocket);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    if (cut) client.on('data', (chunk: Buffer) => cut.test(chunk.toString('latin1')) && end());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(listenOn, resolve));
  return {
    down: () => {
      isDown = true;
      for (const s of open) s.destroy();
    },
    up: () => {
      isDown = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test('a check that fails gets an error verdict, and the watch goes on with the next image', async (t) => {
  const repo = `dsp-watch-test/${RUN}-fail`;
  t.teardown(() => removeTags(repo));
  const bad = await importImage(`${repo}:bad-src`, ['LABEL bad=1']);
  // The export of that one image is cut mid-request; everything else passes through to the real daemon.
  const pipePath = path.join(work, 'fail-pipe.sock');
  const pipe = await socketPipe(pipePath, (process.env.DOCKER_HOST ?? '').replace(/^unix:\/\//, ''), new RegExp(`GET \\S*/images/${bad}/get`));
  const w = new Watcher(['--format', 'json', '--filter', repo], { DOCKER_HOST: `unix://${pipePath}` });
  t.teardown(async () => {
    w.kill();
    await pipe.close();
  });
  await w.started();
  await docker(['tag', bad, `${repo}:bad`]);
  const good = await importImage(`${repo}:good`, ['EXPOSE 22']);
  await w.waitFor('both verdicts', () => Boolean(w.result(bad) && w.result(good)));
  t.truthy(w.result(bad)?.error);
  t.is(w.result(bad)?.image, `${repo}:bad`);
  t.regex(w.stderr, new RegExp(`${repo}:bad: \\S`));
  t.deepEqual(policies(w.result(good)), ['SQ40104']);
  t.is(await w.stop(), 0);
  t.regex(w.stderr, /stopped: 1 image checked, 1 failing, 1 not checked \(errors\)/);
});

// --- a daemon that goes away ---------------------------------------------------

const watchDaemonDir = process.env.DSP_WATCH_DAEMON_DIR;
const restartTest = watchDaemonDir && daemonAvailable() ? test.serial : anyTest.skip;
if (!watchDaemonDir && daemonAvailable()) {
  anyTest.skip('watch across daemon restarts: no second private daemon here (scripts/test.sh starts one when run as root)', () => {});
}

function daemonCtl(command: 'start' | 'stop' | 'restart'): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('bash', [TEST_DAEMON, command], { env: { ...process.env, DSP_TEST_DAEMON_DIR: watchDaemonDir } }, (err, _o, stderr) =>
      err ? reject(new Error(`test-daemon.sh ${command}: ${stderr}`)) : resolve(),
    ),
  );
}

restartTest('the daemon restarts mid-watch: it says so on stderr, reconnects, and checks images made while it was away', async (t) => {
  const host = `unix://${watchDaemonDir}/docker.sock`;
  const repo = `dsp-watch-test/${RUN}-restart`;
  const pipePath = path.join(work, 'daemon-pipe.sock');
  const pipe = await socketPipe(pipePath, `${watchDaemonDir}/docker.sock`);
  const w = new Watcher(['--format', 'json', '--debug', '--filter', `${repo}`], { DOCKER_HOST: `unix://${pipePath}` });
  t.teardown(async () => {
    w.kill();
    await pipe.close();
    await daemonCtl('start'); // whatever happened, leave it running
    await removeTags(repo, host);
    await removeTags(`dsp-watch-test/${RUN}-noise`, host);
  });
  await w.started();
  const lost = () => [...w.stderr.matchAll(/lost the daemon at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \([^)]+\); reconnecting/g)].length;
  const regained = () => [...w.stderr.matchAll(/reconnected after [\d.]+ s; replaying events since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g)].length;

  // 1. A plain restart. The image is built as soon as the daemon is back,
  //    usually before the watch has reconnected (its backoff is still waiting).
  const before = await build(`${repo}:before`, 'classic', host);
  await w.waitFor('the first verdict', () => Boolean(w.result(before)));
  await daemonCtl('restart');
  const afterRestart = await build(`${repo}:after-restart`, 'buildkit', host);
  await w.waitFor('the image built after the restart', () => Boolean(w.result(afterRestart)));
  t.is(lost(), 1, w.stderr);
  t.is(regained(), 1, w.stderr);
  t.deepEqual(policies(w.result(afterRestart)), ['SQ40104']);

  // 2. An outage held open until the images are made: the daemon restarts (its
  //    event memory starts empty), one image is made, then more than 256
  //    events push it out of what the daemon can replay, then another.
  pipe.down();
  await w.waitFor('the second loss', () => lost() === 2);
  await daemonCtl('restart');
  const pushedOut = await build(`${repo}:pushed-out`, 'classic', host);
  const api = dockerode(host);
  const noise = `dsp-watch-test/${RUN}-noise`;
  for (let i = 0; i < 300; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_x, k) => api.getImage(BASE).tag({ repo: noise, tag: String(i + k) })));
  }
  const replayed = await importImage(`${repo}:replayed`, ['EXPOSE 514'], host);
  pipe.up();
  await w.waitFor('both images made during the outage', () => Boolean(w.result(pushedOut) && w.result(replayed)));
  t.is(regained(), 2, w.stderr);
  const secondOutage = w.stderr.slice(w.stderr.lastIndexOf('lost the daemon'));
  t.regex(secondOutage, /1 new image found by listing/, 'the one the replay could not give back');
  t.deepEqual(policies(w.result(pushedOut)), ['SQ40104']);
  t.deepEqual(policies(w.result(replayed)), ['SQ40107']);
  for (const r of w.results) t.falsy(r.error, `${r.image}: ${r.error}`);
  const seen = w.results.map((r) => r.id);
  t.is(new Set(seen).size, seen.length, 'replays repeat events; verdicts are not repeated');

  t.is(await w.stop('SIGTERM'), 0);
});
