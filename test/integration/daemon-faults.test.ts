// Daemon faults as the user meets them: no daemon, a socket they may not use,
// a wrong DOCKER_HOST, a TLS endpoint whose certificates do not match, the
// daemon killed mid-export, a daemon that stops answering, the image deleted
// between its inspect and its export. Each one: exit 2, exactly one line on
// stderr, no stack trace, and the line says what to do.
//
// The cases that hurt a daemon (kill, stop, delete) use a private daemon of
// their own (instance "faults", DSP_FAULTS_DAEMON_DIR, started by
// scripts/test.sh), never the one the other test files share. It also holds
// the 200 images of the audit case, which watches audit's exports from
// outside through a socket pipe.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';
import anyTest, { type ExecutionContext } from 'ava';
import { daemonAvailable, integrationTest, run, type Run, type RunOptions } from './cli.js';

const test = integrationTest('daemon-faults').serial;
const FAULTS_DIR = process.env.DSP_FAULTS_DAEMON_DIR;
const faultsTest = FAULTS_DIR && daemonAvailable() ? test : anyTest.skip;
if (!FAULTS_DIR && daemonAvailable()) {
  anyTest.skip('daemon faults on a daemon of their own: no "faults" private daemon here (scripts/test.sh starts one when run as root)', () => {});
}
const FAULTS_SOCK = `${FAULTS_DIR ?? '/nonexistent'}/docker.sock`;
const FAULTS_HOST = `unix://${FAULTS_SOCK}`;
const TEST_DAEMON = fileURLToPath(new URL('../../../scripts/test-daemon.sh', import.meta.url));
const DOCKER = '/usr/bin/docker';
const RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const work = mkdtempSync(path.join(tmpdir(), 'dsp-faults-'));
anyTest.after.always(() => rmSync(work, { recursive: true, force: true }));

/** The contract of every case: exit 2, one stderr line, no stack, the line matching `says`. */
function oneLine(t: ExecutionContext, r: Run, says: RegExp): string {
  t.is(r.code, 2, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  t.is(lines.length, 1, `exactly one line on stderr:\n${r.stderr}`);
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  t.regex(r.stderr, says);
  t.log(`${lines[0]}`);
  return lines[0] ?? '';
}

async function timed(t: ExecutionContext, what: Promise<Run>): Promise<Run & { seconds: number }> {
  const started = Date.now();
  const r = await what;
  const seconds = (Date.now() - started) / 1000;
  t.log(`took ${seconds.toFixed(1)} s`);
  return { ...r, seconds };
}

function docker(args: string[], host = FAULTS_HOST, input?: { pipe(to: NodeJS.WritableStream): unknown }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(DOCKER, args, { env: { ...process.env, DOCKER_HOST: host }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`docker ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
    if (input) {
      child.stdin!.on('error', () => {}); // docker failed: its error says why
      input.pipe(child.stdin!);
    }
  });
}

function daemonCtl(command: 'start' | 'stop' | 'status'): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('bash', [TEST_DAEMON, command], { env: { ...process.env, DSP_TEST_DAEMON_DIR: FAULTS_DIR, DSP_TEST_DAEMON_FLAGS: '' } }, (err, _o, stderr) =>
      err ? reject(new Error(`test-daemon.sh ${command}: ${stderr}`)) : resolve(),
    ),
  );
}

/** After a SIGKILL of dockerd its containerd lingers a while, and a new dockerd waits for it in vain: end it first. */
async function reapContainerd(): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(`${FAULTS_DIR}/exec/containerd/containerd.pid`, 'utf8').trim());
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!(pid > 1) || !alive()) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && alive(); i++) await sleep(50);
  if (alive()) process.kill(pid, 'SIGKILL');
}

function dockerdPid(): number {
  return Number(readFileSync(`${FAULTS_DIR}/dockerd.pid`, 'utf8').trim());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the CLI (optionally under a prefix command such as setpriv) with a fresh layer cache. */
function cli(args: string[], env: Record<string, string>, options: RunOptions = {}): Promise<Run> {
  return run(args, { XDG_CONFIG_HOME: path.join(work, 'no-config'), DSP_CACHE_DIR: mkdtempSync(path.join(work, 'cache-')), ...env }, options);
}

/** A one-layer image from files, by `docker import` (distinct content: its own layer). */
async function importImage(tag: string, files: Array<{ name: string; size?: number; body?: string }>, host = FAULTS_HOST): Promise<string> {
  const pack = tar.pack();
  const feed = (async () => {
    for (const f of files) {
      if (f.body !== undefined) {
        pack.entry({ name: f.name, mode: 0o644 }, f.body);
        continue;
      }
      const size = f.size ?? 0;
      const entry = pack.entry({ name: f.name, mode: 0o644, size });
      const block = Buffer.alloc(1024 * 1024, 0x5a);
      for (let left = size; left > 0; left -= block.length) {
        const piece = left >= block.length ? block : block.subarray(0, left);
        if (!entry.write(piece)) await new Promise<void>((r) => entry.once('drain', () => r()));
      }
      entry.end(null);
    }
    pack.finalize();
  })();
  const id = await docker(['import', '-', tag], host, pack);
  await feed;
  return id;
}

// --- (a) no daemon --------------------------------------------------------------------

test('daemon not running, no socket file: says to start Docker or point DOCKER_HOST at it', async (t) => {
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: `unix://${work}/absent.sock` }));
  oneLine(t, r, /cannot reach the Docker daemon at unix:\/\/\S+absent\.sock: no socket there; is Docker running\? \(or point DOCKER_HOST/);
});

test('daemon not running, a stale socket file nobody listens on: connection refused, is Docker running?', async (t) => {
  const stale = path.join(work, 'stale.sock');
  const server = net.createServer().listen(stale);
  await new Promise((r) => server.once('listening', r));
  // Closing a listening unix socket in Node unlinks it; a crashed daemon leaves the file: keep a copy of the inode.
  const kept = path.join(work, 'stale-kept.sock');
  await new Promise<void>((resolve, reject) => execFile('ln', [stale, kept], (err) => (err ? reject(err) : resolve())));
  await new Promise((r) => server.close(r));
  t.true(existsSync(kept), 'the socket file is still there');
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: `unix://${kept}` }));
  oneLine(t, r, /cannot reach the Docker daemon at unix:\/\/\S+stale-kept\.sock: connection refused; is Docker running\?/);
});

// --- (b) permission denied ----------------------------------------------------------------

// Root opens any socket, so the CLI runs without root's permission override (CAP_DAC_OVERRIDE and
// CAP_DAC_READ_SEARCH dropped): like a user outside the docker group, it may not open a socket
// whose mode denies it, while it still reads its own files wherever the checkout is.
const withoutOverride = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') ? test : anyTest.skip;
withoutOverride('socket permission denied (a socket whose mode denies the CLI): says to join the docker group', async (t) => {
  const sock = path.join(work, 'denied.sock');
  const server = net.createServer().listen(sock);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  chmodSync(sock, 0o000);
  const r = await timed(
    t,
    cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: `unix://${sock}` }, {
      prefix: ['/usr/bin/setpriv', '--bounding-set', '-dac_override,-dac_read_search'],
    }),
  );
  oneLine(t, r, /permission denied on the Docker socket unix:\/\/\S+denied\.sock: add your user to the docker group \(sudo usermod -aG docker \$USER/);
});

// --- (c) wrong DOCKER_HOST --------------------------------------------------------------------

test('DOCKER_HOST with a malformed scheme: names the variable and the value', async (t) => {
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: 'htp://localhost:2375' }));
  oneLine(t, r, /invalid daemon host "htp:\/\/localhost:2375" \(DOCKER_HOST\)/);
});

test('DOCKER_HOST naming an unknown host: ENOTFOUND, check DOCKER_HOST', async (t) => {
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: 'tcp://no-such-docker-host.invalid:2375' }));
  oneLine(t, r, /cannot reach the Docker daemon at tcp:\/\/no-such-docker-host\.invalid:2375: ENOTFOUND; check DOCKER_HOST \/ --host/);
});

test('DOCKER_HOST on a tcp port with nothing listening: connection refused', async (t) => {
  const port = await freePort();
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: `tcp://127.0.0.1:${port}` }));
  oneLine(t, r, new RegExp(`cannot reach the Docker daemon at tcp://127\\.0\\.0\\.1:${port}: connection refused; is Docker running\\?`));
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// --- (d) TLS with bad certificates ----------------------------------------------------------

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('openssl', args, { cwd }, (err, _o, stderr) => (err ? reject(new Error(`openssl ${args.join(' ')}: ${stderr}`)) : resolve())),
  );
}

interface Pki {
  dir: string;
  /** DOCKER_CERT_PATH directories. */
  wrongCa: string;
  rightCa: string;
}

/** Two CAs: the daemon's ("real") and another; a server certificate for 127.0.0.1; client certificates from both. */
async function makePki(): Promise<Pki> {
  const dir = path.join(work, 'pki');
  mkdirSync(dir, { recursive: true });
  for (const ca of ['real', 'wrong']) {
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${ca}-ca`, '-keyout', `${ca}-ca.key`, '-out', `${ca}-ca.pem`], dir);
  }
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  await openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'real-ca.pem', '-CAkey', 'real-ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.pem'], dir);
  const client = async (ca: string, into: string, trust: string) => {
    const d = path.join(dir, into);
    mkdirSync(d);
    await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=client', '-keyout', path.join(d, 'key.pem'), '-out', path.join(d, 'client.csr')], dir);
    await openssl(['x509', '-req', '-in', path.join(d, 'client.csr'), '-CA', `${ca}-ca.pem`, '-CAkey', `${ca}-ca.key`, '-CAcreateserial', '-days', '2', '-extfile', 'client.ext', '-out', path.join(d, 'cert.pem')], dir);
    writeFileSync(path.join(d, 'ca.pem'), readFileSync(path.join(dir, `${trust}-ca.pem`)));
    return d;
  };
  // Trusts the wrong CA (the daemon's certificate does not verify); its client certificate is from the wrong CA too.
  const wrongCa = await client('wrong', 'wrong-ca', 'wrong');
  // Trusts the right CA, but its client certificate is from the wrong one: the daemon rejects it.
  const rightCa = await client('wrong', 'right-ca', 'real');
  return { dir, wrongCa, rightCa };
}

/** A daemon-like HTTPS endpoint on loopback with the daemon's certificate, signed by the real CA. */
async function tlsDaemon(t: ExecutionContext, pki: Pki): Promise<number> {
  const server = https.createServer(
    { key: readFileSync(path.join(pki.dir, 'server.key')), cert: readFileSync(path.join(pki.dir, 'server.pem')) },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

/**
 * As dockerd --tlsverify does: a client certificate from its CA is required,
 * and a wrong one gets a TLS alert (Node's own server just hangs up, so this is
 * openssl s_server).
 */
async function clientCertDaemon(t: ExecutionContext, pki: Pki): Promise<number> {
  const port = await freePort();
  const server = spawn(
    'openssl',
    ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', 'server.pem', '-key', 'server.key', '-CAfile', 'real-ca.pem', '-Verify', '1', '-verify_return_error', '-www', '-quiet'],
    { cwd: pki.dir, stdio: 'ignore' },
  );
  t.teardown(() => void server.kill());
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (up) break;
    await sleep(50);
  }
  return port;
}

let pki: Promise<Pki> | undefined;

test('TLS endpoint whose certificate is not signed by the CA in DOCKER_CERT_PATH: names the problem and the CA to check', async (t) => {
  pki ??= makePki();
  const p = await pki;
  const port = await tlsDaemon(t, p);
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.wrongCa }));
  oneLine(t, r, /TLS verification of the Docker daemon at tcp:\/\/127\.0\.0\.1:\d+ failed: its certificate is not signed by the CA you trust \(\w+\); check the CA in DOCKER_CERT_PATH \(ca\.pem\)/);
});

test('TLS endpoint reached by a name its certificate is not for: says so', async (t) => {
  pki ??= makePki();
  const p = await pki;
  const port = await tlsDaemon(t, p);
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: `tcp://localhost:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.rightCa }));
  oneLine(t, r, /TLS verification of the Docker daemon at tcp:\/\/localhost:\d+ failed: its certificate is for another host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
});

test('TLS endpoint that rejects the client certificate: says which files to replace', async (t) => {
  pki ??= makePki();
  const p = await pki;
  const port = await clientCertDaemon(t, p);
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.rightCa }));
  oneLine(t, r, /the Docker daemon at tcp:\/\/127\.0\.0\.1:\d+ rejected the TLS client certificate \(ERR_SSL_\w+\); use a cert\.pem\/key\.pem signed by the daemon's CA/);
});

test('TLS asked of a plain-HTTP port: says it is not the TLS port', async (t) => {
  const server = net.createServer((c) => c.on('error', () => {}).end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => void server.close());
  pki ??= makePki();
  const p = await pki;
  const port = (server.address() as net.AddressInfo).port;
  const r = await timed(t, cli(['check', 'dsp-fixture/busybox:base'], { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: p.rightCa }));
  oneLine(t, r, /TLS with the Docker daemon at tcp:\/\/127\.0\.0\.1:\d+ failed \(\w+\); is that port the daemon's TLS port\?/);
});

// --- the faults daemon: (f) silence, (e) killed mid-export, (g) image deleted meanwhile -----------------

const BIG_MB = 384;
const BIG = `dsp-faults/big:${BIG_MB}m`;

/** Reads /proc/PID/io's rchar: bytes the process has read (files and sockets). */
function rchar(pid: number): number {
  try {
    return Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

if (FAULTS_DIR && daemonAvailable()) {
  anyTest.before(async () => {
    await daemonCtl('start');
    await docker(['image', 'inspect', BIG]).catch(() => importImage(BIG, [{ name: 'big/blob', size: BIG_MB * 1024 * 1024 }]));
  });
  anyTest.after.always(async () => {
    try {
      process.kill(dockerdPid(), 'SIGCONT');
    } catch {
      // not running
    }
    await daemonCtl('start').catch(() => {}); // leave it running, whatever happened
  });
}

faultsTest('the default --timeout is documented and sensible: 120 s of daemon silence', async (t) => {
  const help = await run(['check', '--help']);
  t.regex(help.stdout, /--timeout\s+seconds of daemon silence before giving up\s+\[number\] \[default: 120\]/);
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  t.regex(readme, /`--timeout SECONDS` \| give up when the daemon sends nothing for this long \(default 120;/);
});

faultsTest('a daemon that stops answering (SIGSTOP): --timeout 2 gives up after 2 s and says to raise --timeout', async (t) => {
  const pid = dockerdPid();
  process.kill(pid, 'SIGSTOP');
  t.teardown(() => process.kill(pid, 'SIGCONT'));
  const r = await timed(t, cli(['check', '--timeout', '2', BIG], { DOCKER_HOST: FAULTS_HOST }));
  process.kill(pid, 'SIGCONT');
  oneLine(t, r, /the Docker daemon did not answer inspect of dsp-faults\/big:\d+m within 2 s; raise --timeout if it is just slow/);
  t.true(r.seconds < 10, `bounded: ${r.seconds} s`);
});

// The daemon stages a large export (copies its layers) before the first byte: --timeout 10 leaves room for that.
faultsTest('a daemon that stops answering mid-export (SIGSTOP): the export gives up after 10 s of silence', async (t) => {
  const pid = dockerdPid();
  let stopped = false;
  t.teardown(() => process.kill(pid, 'SIGCONT'));
  const r = await timed(
    t,
    cli(['check', '--no-cache', '--timeout', '10', BIG], { DOCKER_HOST: FAULTS_HOST }, {
      onSpawn: (cliPid) => void stopWhenReading(cliPid, () => {
        process.kill(pid, 'SIGSTOP');
        stopped = true;
      }),
    }),
  );
  process.kill(pid, 'SIGCONT');
  t.true(stopped, 'the daemon was stopped mid-export');
  oneLine(t, r, /the Docker daemon sent nothing of the export of sha256:[0-9a-f]{64} for 10 s; raise --timeout for very large images/);
  t.true(r.seconds < 40, `bounded: ${r.seconds} s`);
});

/** Calls `act` once the CLI has read 64 MB more than at start-up: the export is streaming. */
async function stopWhenReading(cliPid: number, act: () => void): Promise<void> {
  // Node's start-up (modules, policies) reads a few MB; the image is hundreds.
  const threshold = 96 * 1024 * 1024;
  for (let i = 0; i < 6000; i++) {
    const n = rchar(cliPid);
    if (n > threshold) {
      act();
      return;
    }
    await sleep(5);
  }
}

faultsTest('the daemon killed mid-export (SIGKILL): exit 2, one line saying it went away; it comes back for the next case', async (t) => {
  const pid = dockerdPid();
  let killedAt = 0;
  const r = await timed(
    t,
    cli(['check', '--no-cache', BIG], { DOCKER_HOST: FAULTS_HOST }, {
      onSpawn: (cliPid) => void stopWhenReading(cliPid, () => {
        process.kill(pid, 'SIGKILL');
        killedAt = rchar(cliPid);
      }),
    }),
  );
  t.true(killedAt > 0 && killedAt < BIG_MB * 1024 * 1024, 'killed while the export was streaming');
  oneLine(t, r, /the Docker daemon at unix:\/\/\S+ closed the connection while reading the export of sha256:[0-9a-f]{64}; was it stopped\?/);
  await reapContainerd();
  await daemonCtl('start');
  const again = await cli(['check', '--format', 'json', '--policy', 'SQ40101', BIG], { DOCKER_HOST: FAULTS_HOST });
  t.true(again.code === 0 || again.code === 1, `the restarted daemon answers: ${again.stderr}`);
});

/**
 * A byte pipe in front of the faults daemon that holds the export request of
 * the image back until `meanwhile` has run against the daemon itself.
 */
async function holdExport(listenOn: string, meanwhile: () => Promise<void>): Promise<{ held: () => boolean; close: () => Promise<void> }> {
  let held = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(FAULTS_SOCK);
    open.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (!held && /^GET \S*\/images\/\S+\/get /.test(chunk.toString('latin1'))) {
        held = true;
        client.pause();
        void meanwhile().then(() => {
          upstream.write(chunk);
          client.resume();
        });
        return;
      }
      upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(listenOn, resolve));
  return {
    held: () => held,
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

faultsTest('the image deleted between inspect and export (docker rmi -f while its export is held back): says it was removed meanwhile', async (t) => {
  const tag = `dsp-faults/removed:${RUN}`;
  const id = await importImage(tag, [{ name: 'etc/removed', body: RUN }]);
  t.teardown(() => docker(['rmi', '-f', id]).then(() => undefined, () => undefined));
  const pipePath = path.join(work, 'hold.sock');
  const pipe = await holdExport(pipePath, async () => {
    await docker(['rmi', '-f', id]);
  });
  t.teardown(() => pipe.close());
  const r = await timed(t, cli(['check', '--no-cache', tag], { DOCKER_HOST: `unix://${pipePath}` }));
  t.true(pipe.held(), 'the export was asked for after the inspect');
  oneLine(t, r, new RegExp(`${tag.replace(/[/.]/g, '\\$&')}: the image was removed from the daemon while it was being checked \\(docker rmi or prune meanwhile\\); check it again if it still exists`));
});

// --- audit over 200 images: the concurrency limit, seen from outside, and peak memory ----------

const MANY = 200;
const MAX_RSS_KB = 256 * 1024;

/** 200 one-layer images, each with its own layer and label, in one `docker load`. */
async function loadManyImages(repo: string): Promise<void> {
  const pack = tar.pack();
  const manifest: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
  for (let i = 0; i < MANY; i++) {
    const layerPack = tar.pack();
    layerPack.entry({ name: `etc/dsp-many-${i}`, mode: 0o644 }, `${RUN} ${i}\n`);
    layerPack.finalize();
    const chunks: Buffer[] = [];
    for await (const c of layerPack) chunks.push(c as Buffer);
    const layer = Buffer.concat(chunks);
    const diffId = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        created: new Date().toISOString(),
        config: { Labels: { 'dsp.faults.index': String(i) }, Cmd: ['/bin/true'] },
        rootfs: { type: 'layers', diff_ids: [diffId] },
        history: [{ created: new Date().toISOString(), created_by: `dsp faults test image ${i}` }],
      }),
    );
    const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
    pack.entry({ name: `layer-${i}/layer.tar` }, layer);
    pack.entry({ name: configName }, config);
    manifest.push({ Config: configName, RepoTags: [`${repo}:${i}`], Layers: [`layer-${i}/layer.tar`] });
  }
  pack.entry({ name: 'manifest.json' }, JSON.stringify(manifest));
  pack.finalize();
  await docker(['load', '-q'], FAULTS_HOST, pack);
}

/** A byte pipe in front of the faults daemon that counts image exports in flight (request seen → response's last chunk or close). */
async function exportCounter(listenOn: string): Promise<{ peak: () => number; total: () => number; close: () => Promise<void> }> {
  let inFlight = 0;
  let peak = 0;
  let total = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(FAULTS_SOCK);
    open.add(client).add(upstream);
    let exporting = false;
    const done = () => {
      if (exporting) {
        exporting = false;
        inFlight--;
      }
    };
    const end = () => {
      done();
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (/^GET \S*\/images\/\S+\/get /.test(chunk.toString('latin1'))) {
        exporting = true;
        total++;
        peak = Math.max(peak, ++inFlight);
      }
    });
    // The export is chunked: its end is the zero-length chunk.
    upstream.on('data', (chunk: Buffer) => {
      if (exporting && chunk.subarray(-5).toString('latin1') === '0\r\n\r\n') done();
    });
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(listenOn, resolve));
  return {
    peak: () => peak,
    total: () => total,
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

faultsTest(`audit of ${MANY} images: never more exports at a time than --jobs, and peak memory under ${MAX_RSS_KB / 1024} MB`, async (t) => {
  const repo = `dsp-faults/many-${RUN}`;
  await loadManyImages(repo);
  t.teardown(async () => {
    const tags = Array.from({ length: MANY }, (_x, i) => `${repo}:${i}`);
    for (let i = 0; i < tags.length; i += 100) await docker(['rmi', ...tags.slice(i, i + 100)]).catch(() => {});
  });
  const listed = (await docker(['images', '--format', '{{.Repository}}', repo])).split('\n').filter(Boolean);
  t.is(listed.length, MANY);
  for (const jobs of [2, 4]) {
    const pipePath = path.join(work, `count-${jobs}.sock`);
    const counter = await exportCounter(pipePath);
    const r = await timed(
      t,
      cli(['audit', '--format', 'json', '--no-containers', '--no-daemon', '--jobs', String(jobs)], { DOCKER_HOST: `unix://${pipePath}` }, {
        prefix: ['/usr/bin/time', '-f', 'dsp-max-rss-kb=%M'],
      }),
    );
    await counter.close();
    const rss = Number(/dsp-max-rss-kb=(\d+)/.exec(r.stderr)?.[1]);
    t.log(`--jobs ${jobs}: ${counter.total()} exports, at most ${counter.peak()} at a time, peak RSS ${(rss / 1024).toFixed(0)} MB`);
    const report = JSON.parse(r.stdout) as { results: Array<{ image: string; error?: string }> };
    const ours = report.results.filter((x) => x.image.startsWith(`${repo}:`));
    t.is(ours.length, MANY, 'every image audited');
    t.deepEqual(ours.filter((x) => x.error), [], 'none failed');
    t.true(counter.total() >= MANY, `each image exported (fresh cache): ${counter.total()}`);
    t.true(counter.peak() <= jobs, `at most ${jobs} exports at a time: ${counter.peak()}`);
    t.true(counter.peak() >= 2, 'the counter sees exports overlap (it is watching)');
    t.true(rss > 0 && rss < MAX_RSS_KB, `peak RSS ${rss} KB under ${MAX_RSS_KB} KB`);
  }
});
