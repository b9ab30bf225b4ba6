// The runtime half of `audit` on real daemons, through the functions the audit
// command calls (auditContainers, auditDaemon):
//   - on the shared private daemon, one container per bad setting (running and
//     created-only ones) and one hardened container: each bad one gets its
//     rule, the hardened one nothing; a container removed between the list and
//     its inspect is skipped;
//   - the daemon rules against the shared daemon (unix socket) and against the
//     third private daemon that scripts/test.sh starts insecure on purpose, on
//     loopback only (DSP_AUDIT_DAEMON_HOST tcp://127.0.0.1:PORT, with --debug
//     and --insecure-registry 10.0.0.0/8; skipped when it is not there).
// The shared daemon has no default bridge: containers run with --network
// none/host, or on a user-defined network (which allows publishing; without
// iptables nothing is forwarded), or are only created (HostConfig is what the
// rules judge for a container that is not running).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { auditContainers, auditDaemon, type ContainerAudit, type DaemonAudit, type RuntimeSetup } from '../../src/cli/audit-runtime.js';
import { checkSetup } from '../../src/cli/check-setup.js';
import { connectDaemon } from '../../src/cli/daemon-context.js';
import { readContainers } from '../../src/daemon/containers.js';
import { pingLoopback } from '../../src/daemon/daemon-info.js';
import { emptyGlobalOptions } from '../../src/plugin/argv.js';
import { ENGINE_EOL, releaseLine } from '../../src/policies/daemon-rules/DSP30108-engine-eol.js';
import { containersJson, daemonJson, renderContainers, renderDaemon } from '../../src/report/audit-runtime.js';
import anyTest from 'ava';
import { daemonAvailable, integrationTest } from './cli.js';

const test = integrationTest('audit-runtime');
const run = promisify(execFile);

const DOCKER = ['/usr/bin/docker', '/usr/local/bin/docker'].find((p) => {
  try {
    execFileSync(p, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}) ?? 'docker';
const IMAGE = 'dsp-fixture/busybox:base';
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const PREFIX = `dsp-audit-test-${RUN}-`;
const NETWORK = `${PREFIX}net`;
const NOW = new Date();

function docker(args: string[], host = process.env.DOCKER_HOST): Promise<{ stdout: string; stderr: string }> {
  return run(DOCKER, args, { env: { ...process.env, DOCKER_HOST: host }, maxBuffer: 16 * 1024 * 1024 });
}

function setup(): RuntimeSetup {
  const cwd = mkdtempSync(join(tmpdir(), 'dsp-audit-runtime-'));
  return checkSetup({ failOn: 'high' }, cwd, { XDG_CONFIG_HOME: join(cwd, 'no-config'), HOME: cwd });
}

function connection(host: string) {
  return connectDaemon({ ...emptyGlobalOptions(), hosts: [host] }, 30_000);
}

/** The unix socket path of DOCKER_HOST, for the socket-mount case. */
function socketPath(): string {
  const host = process.env.DOCKER_HOST ?? '';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

interface Case {
  /** Suffix of the container name. */
  name: string;
  /** `run` (started, sleeping) or `create` (never started). */
  how: 'run' | 'create';
  args: string[];
  /** Policies that must be among its findings. */
  expect: string[];
  /** Policies that must not be. */
  absent?: string[];
}

const CASES: Case[] = [
  { name: 'privileged', how: 'run', args: ['--network', 'none', '--privileged'], expect: ['DSP20101'] },
  { name: 'docker-socket', how: 'create', args: ['--network', 'none', '-v', `${socketPath()}:/var/run/docker.sock`], expect: ['DSP20102'] },
  { name: 'host-network', how: 'run', args: ['--network', 'host'], expect: ['DSP20105'], absent: ['DSP20120'] },
  { name: 'host-pid', how: 'run', args: ['--network', 'none', '--pid', 'host'], expect: ['DSP20106'] },
  { name: 'cap-sys-admin', how: 'run', args: ['--network', 'none', '--cap-add', 'SYS_ADMIN'], expect: ['DSP20109'] },
  { name: 'seccomp-unconfined', how: 'run', args: ['--network', 'none', '--security-opt', 'seccomp=unconfined'], expect: ['DSP20110'] },
  { name: 'etc-bind', how: 'create', args: ['--network', 'none', '-v', '/etc:/host-etc:ro'], expect: ['DSP20104'] },
  {
    name: 'no-limits',
    how: 'run',
    args: ['--network', 'none'],
    expect: ['DSP20112', 'DSP20113', 'DSP20121', 'DSP20122', 'DSP20123'],
    absent: ['DSP20101', 'DSP20102', 'DSP20104', 'DSP20105', 'DSP20106', 'DSP20109', 'DSP20110', 'DSP20115', 'DSP20120'],
  },
  // Published on every interface: created only (nothing binds), judged from HostConfig.PortBindings.
  { name: 'ssh-all-interfaces', how: 'create', args: ['-p', '0.0.0.0:22022:22'], expect: ['DSP20115', 'DSP20120'] },
  // Published and running, on loopback (a user-defined network; NetworkSettings.Ports): SSH still, all-interfaces not.
  { name: 'ssh-loopback', how: 'run', args: ['--network', NETWORK, '-p', '127.0.0.1::22'], expect: ['DSP20115'], absent: ['DSP20120'] },
];

const HARDENED: Case = {
  name: 'hardened',
  how: 'run',
  args: [
    '--read-only',
    '--user',
    '1000:1000',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--memory',
    '64m',
    '--pids-limit',
    '64',
    '--network',
    'none',
  ],
  expect: [],
};

async function removeAll(): Promise<void> {
  const { stdout } = await docker(['ps', '-aq', '--filter', `name=${PREFIX}`]).catch(() => ({ stdout: '' }));
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await docker(['rm', '-f', '-v', ...ids]).catch(() => undefined);
  await docker(['network', 'rm', NETWORK]).catch(() => undefined);
}

let audits: ContainerAudit[] = [];
let sharedDaemon: DaemonAudit | undefined;
let vanished: string | undefined;
/** Cases this daemon would not start, with why. */
const notStarted = new Map<string, string>();

// Hooks from ava itself: the skipped `test` of integrationTest() has none.
anyTest.before(async () => {
  if (!daemonAvailable()) return;
  try {
    await docker(['network', 'create', NETWORK]);
    for (const c of [...CASES, HARDENED]) {
      const name = `${PREFIX}${c.name}`;
      await docker(['create', '--name', name, ...c.args, IMAGE, 'sleep', '1d']);
      if (c.how !== 'run') continue;
      try {
        await docker(['start', name]);
      } catch (err) {
        // A daemon that itself runs in a container may not be allowed to start it
        // (--privileged: "unable to apply caps"); the created container is still judged.
        notStarted.set(c.name, String((err as { stderr?: string }).stderr ?? err).trim());
      }
    }
    await docker(['create', '--name', `${PREFIX}vanishing`, '--network', 'none', IMAGE, 'true']);

    const { context, endpoint } = connection(process.env.DOCKER_HOST ?? '');
    const s = setup();
    sharedDaemon = await auditDaemon(context, endpoint, s, NOW);
    audits = await auditContainers(context, s, {
      host: sharedDaemon.host,
      concurrency: 4,
      select: (entry) => {
        const name = entry.names[0] ?? '';
        if (name === `${PREFIX}vanishing`) {
          // Gone between the list and the inspect: skipped, not an error.
          execFileSync(DOCKER, ['rm', '-f', name], { env: { ...process.env }, stdio: 'ignore' });
          vanished = name;
        }
        return name.startsWith(PREFIX);
      },
    });
  } catch (err) {
    await removeAll();
    throw err;
  }
});

anyTest.after.always(async () => {
  if (!daemonAvailable()) return;
  await removeAll();
});

function auditOf(name: string): ContainerAudit {
  const a = audits.find((x) => x.name === `${PREFIX}${name}`);
  if (!a) throw new Error(`no audit of ${PREFIX}${name}; audited: ${audits.map((x) => x.name).join(', ')}`);
  return a;
}

for (const c of CASES) {
  test(`container with ${c.name}: ${c.expect.join(', ')}${c.absent ? `; not ${c.absent.join(', ')}` : ''}`, (t) => {
    const a = auditOf(c.name);
    const policies = a.findings.map((f) => f.policy);
    for (const p of c.expect) t.true(policies.includes(p), `${c.name}: expected ${p} among ${policies.join(', ')}`);
    for (const p of c.absent ?? []) t.false(policies.includes(p), `${c.name}: ${p} must not fire (${policies.join(', ')})`);
    const running = c.how === 'run' && !notStarted.has(c.name);
    if (notStarted.has(c.name)) t.log(`not started on this daemon (judged as created): ${notStarted.get(c.name) ?? ''}`);
    t.is(a.running, running);
    t.is(a.state, running ? 'running' : 'created');
    t.is(a.image, IMAGE);
    for (const f of a.findings) {
      t.is(f.location.kind, 'container');
      if (f.location.kind === 'container') t.is(f.location.container, a.name);
      t.true(f.message.includes(a.name), f.message);
      t.regex(f.message, /Fix: /);
    }
  });
}

test('the hardened container has no finding at all, even with --fail-on low', async (t) => {
  const a = auditOf('hardened');
  t.deepEqual(a.findings, []);
  t.true(a.passed);
  const { context } = connection(process.env.DOCKER_HOST ?? '');
  const cwd = mkdtempSync(join(tmpdir(), 'dsp-audit-runtime-'));
  const strict = checkSetup({ failOn: 'low' }, cwd, { XDG_CONFIG_HOME: join(cwd, 'no-config'), HOME: cwd });
  const again = await auditContainers(context, strict, { select: (e) => e.names.includes(`${PREFIX}hardened`) });
  t.is(again.length, 1);
  t.deepEqual(again[0]?.findings, []);
});

test('exactly the test containers were audited; the one removed before its inspect was skipped', (t) => {
  t.is(vanished, `${PREFIX}vanishing`);
  t.deepEqual(audits.map((a) => a.name).sort(), [...CASES, HARDENED].map((c) => `${PREFIX}${c.name}`).sort());
});

test('the privileged and socket containers fail at the default threshold; the default one only warns', (t) => {
  t.false(auditOf('privileged').passed);
  t.false(auditOf('docker-socket').passed);
  t.true(auditOf('no-limits').passed);
  t.true(auditOf('no-limits').findings.every((f) => f.action === 'warn'));
});

test("readContainers reads the image's user for containers without one (busybox sets none)", async (t) => {
  const { context } = connection(process.env.DOCKER_HOST ?? '');
  const facts = await readContainers(context, { select: (e) => e.names.includes(`${PREFIX}no-limits`) || e.names.includes(`${PREFIX}hardened`) });
  const byName = new Map(facts.map((f) => [f.Name, f]));
  t.is(byName.get(`/${PREFIX}no-limits`)?.imageUser, '');
  t.is(byName.get(`/${PREFIX}hardened`)?.Config.User, '1000:1000');
  t.is(byName.get(`/${PREFIX}hardened`)?.imageUser, undefined);
});

test('the table and JSON of the real audit: worst (critical, failing) first, the hardened one last', (t) => {
  const out = renderContainers(audits, { width: 160, color: false });
  t.true(out.includes(`11 containers audited (${8 - notStarted.size} running)`), out);
  t.regex(out, /DSP20101/);
  const json = containersJson(audits);
  t.true([`${PREFIX}docker-socket`, `${PREFIX}privileged`].includes(json[0]?.name ?? ''), json[0]?.name);
  t.is(json[json.length - 1]?.name, `${PREFIX}hardened`);
  t.deepEqual(JSON.parse(JSON.stringify(json)), json);
});

function expectEol(version: string | undefined): boolean {
  const line = version === undefined ? undefined : releaseLine(version);
  const eol = line === undefined ? undefined : ENGINE_EOL[line];
  return eol !== undefined && NOW.toISOString().slice(0, 10) >= eol;
}

test('the shared daemon over its unix socket: socket stat-ed, no TLS finding, the settings it has', (t) => {
  const d = sharedDaemon;
  if (!d) return t.fail('no daemon audit');
  const policies = d.findings.map((f) => f.policy);
  t.is(d.summary.endpoint.scheme, 'unix');
  t.truthy(d.summary.version);
  t.false(policies.includes('DSP30101'));
  if (d.summary.socket) {
    // The private daemon's socket is 0660 root:docker.
    const worldBits = Number.parseInt(d.summary.socket.mode, 8) & 0o006;
    t.is(policies.includes('DSP30103'), worldBits !== 0);
  }
  t.is(policies.includes('DSP30102'), d.summary.unauthenticatedPing2375 === true);
  t.is(policies.includes('DSP30104'), !d.summary.rootless && !d.summary.userNamespaces);
  t.is(policies.includes('DSP30106'), d.facts.info.LiveRestoreEnabled === false);
  t.is(policies.includes('DSP30107'), d.facts.info.Debug === true);
  t.is(policies.includes('DSP30108'), expectEol(d.summary.version));
  t.deepEqual(d.host.daemonSocket, socketPath());
  t.regex(renderDaemon(d, { width: 120, color: false }), /^Daemon\nDocker Engine /);
});

const AUDIT_HOST = process.env.DSP_AUDIT_DAEMON_HOST;
const AUDIT_SOCK = process.env.DSP_AUDIT_DAEMON_SOCK;
// The insecure daemon comes from scripts/test.sh; without it these cases are skipped, not failed.
const auditDaemonTest = AUDIT_HOST && daemonAvailable() ? test : anyTest.skip;

auditDaemonTest(
  'the insecure daemon (tcp://127.0.0.1 without TLS, --debug, --insecure-registry 10.0.0.0/8, no live restore, no userns): DSP30101, DSP30104–07 fire, the others do not',
  async (t) => {
    const { context, endpoint } = connection(AUDIT_HOST ?? '');
    t.is(endpoint.kind, 'tcp');
    const d = await auditDaemon(context, endpoint, setup(), NOW);
    const policies = d.findings.map((f) => f.policy);
    for (const p of ['DSP30101', 'DSP30104', 'DSP30105', 'DSP30106', 'DSP30107']) t.true(policies.includes(p), `${p} among ${policies.join(', ')}`);
    // 2375 is not this daemon's port; a tcp endpoint has no socket file.
    t.is(policies.includes('DSP30102'), d.summary.unauthenticatedPing2375 === true);
    t.false(policies.includes('DSP30103'));
    t.is(policies.includes('DSP30108'), expectEol(d.summary.version));
    t.is(d.findings.find((f) => f.policy === 'DSP30101')?.action, 'fail');
    t.deepEqual(
      d.findings.filter((f) => f.policy === 'DSP30105').map((f) => f.location),
      [{ kind: 'daemon', field: 'RegistryConfig.InsecureRegistryCIDRs' }],
    );
    t.like(d.summary, { endpoint: { url: AUDIT_HOST, scheme: 'tcp', tls: false, loopback: true } });
    t.is(d.summary.socket, undefined);
    const json = daemonJson(d);
    t.deepEqual(JSON.parse(JSON.stringify(json)), json);
    const out = renderDaemon(d, { width: 140, color: false });
    t.regex(out, /no TLS/);
    t.regex(out, /FAIL {2}\d+ failing/);
  },
);

auditDaemonTest('the insecure daemon over its unix socket: no DSP30101, the socket is 0660 so no DSP30103, the rest still fires', async (t) => {
  if (!AUDIT_SOCK) return t.pass();
  const { context, endpoint } = connection(AUDIT_SOCK);
  const d = await auditDaemon(context, endpoint, setup(), NOW);
  const policies = d.findings.map((f) => f.policy);
  t.false(policies.includes('DSP30101'));
  t.is(d.summary.socket?.mode, '0660');
  t.false(policies.includes('DSP30103'));
  for (const p of ['DSP30104', 'DSP30105', 'DSP30106', 'DSP30107']) t.true(policies.includes(p), `${p} among ${policies.join(', ')}`);
});

auditDaemonTest('the loopback ping recognises an unauthenticated Docker API (the insecure daemon’s own port)', async (t) => {
  const port = Number(new URL(AUDIT_HOST ?? 'tcp://127.0.0.1:0').port);
  t.true(await pingLoopback(port, 2000));
});
