// The runtime half of `audit`, pure parts: containers and the daemon judged
// with the configuration's engine options, the summary shown, and the order
// containers are reported in.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  auditContainerFacts,
  auditDaemonFacts,
  compareContainerAudits,
  countActions,
  daemonSummary,
  octalMode,
  type ContainerAudit,
  type RuntimeSetup,
} from '../../../src/cli/audit-runtime.js';
import { checkSetup } from '../../../src/cli/check-setup.js';
import { loadCatalog } from '../../../src/policies/catalog.js';
import { HARDENED, UNIX_ENDPOINT, container, daemon, portBindings } from '../helpers/runtime-facts.js';

const catalog = loadCatalog();
const setup = (engine: RuntimeSetup['engine'] = { failOn: 'high' }): RuntimeSetup => ({ catalog, engine });

test('a container audit names the container, image and state, and passes when nothing fails', (t) => {
  const a = auditContainerFacts(container({ name: 'web', image: 'nginx:1.27' }), setup());
  t.is(a.name, 'web');
  t.is(a.image, 'nginx:1.27');
  t.is(a.state, 'running');
  t.true(a.running);
  t.true(a.passed);
  t.deepEqual(a.findings.map((f) => f.policy), ['DSP20112', 'DSP20113', 'DSP20121', 'DSP20122', 'DSP20123']);
  t.true(a.findings.every((f) => f.action === 'warn' && f.location.kind === 'container'));
});

test('a privileged, stopped container fails; the hardened one has no finding', (t) => {
  const bad = auditContainerFacts(container({ name: 'db', running: false, hostConfig: { Privileged: true } }), setup());
  t.is(bad.state, 'exited');
  t.false(bad.running);
  t.false(bad.passed);
  t.is(bad.findings[0]?.policy, 'DSP20101');
  t.is(bad.findings[0]?.action, 'fail');
  const good = auditContainerFacts(container({ ...HARDENED, name: 'api' }), setup({ failOn: 'low' }));
  t.deepEqual(good.findings, []);
  t.true(good.passed);
});

test('an unnamed container is shown by its short ID', (t) => {
  const c = container({ id: 'ab'.repeat(32) });
  c.Name = '';
  t.is(auditContainerFacts(c, setup()).name, 'abababababab');
});

test('the configuration applies: per-policy action off and severity, --fail-on, --policy and --skip', (t) => {
  const c = container({ name: 'web', hostConfig: { Privileged: true } });
  const off = auditContainerFacts(c, setup({ failOn: 'high', policies: { DSP20101: { action: 'off' } } }));
  t.false(off.findings.some((f) => f.policy === 'DSP20101'));
  const lowered = auditContainerFacts(c, setup({ failOn: 'high', policies: { DSP20101: { severity: 'low' } } }));
  const p = lowered.findings.find((f) => f.policy === 'DSP20101');
  t.is(p?.severity, 'low');
  t.is(p?.action, 'warn');
  const strict = auditContainerFacts(c, setup({ failOn: 'low' }));
  t.true(strict.findings.every((f) => f.action === 'fail'));
  const only = auditContainerFacts(c, setup({ failOn: 'high', only: new Set(['DSP20121']) }));
  t.deepEqual(only.findings.map((f) => f.policy), ['DSP20121']);
  const skip = auditContainerFacts(c, setup({ failOn: 'high', skip: new Set(['DSP20101', 'DSP20123']) }));
  t.false(skip.findings.some((f) => f.policy === 'DSP20101' || f.policy === 'DSP20123'));
});

test("checkSetup()'s engine options drive the runtime audit (--skip, --fail-on)", (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'dsp-audit-runtime-'));
  const s = checkSetup({ failOn: 'low', skip: 'DSP20123,DSP30106' }, cwd, { XDG_CONFIG_HOME: join(cwd, 'none'), HOME: cwd });
  const a = auditContainerFacts(container({ name: 'web' }), s);
  t.false(a.findings.some((f) => f.policy === 'DSP20123'));
  t.true(a.findings.every((f) => f.action === 'fail'));
  const d = auditDaemonFacts(daemon({ info: { LiveRestoreEnabled: false, Debug: true } }), s);
  t.deepEqual(d.findings.map((f) => f.policy), ['DSP30104', 'DSP30107']);
});

test('the daemon audit: findings, the verdict, the summary, and the host context for container rules', (t) => {
  const facts = daemon({
    info: { Debug: true, LiveRestoreEnabled: false, RegistryConfig: { InsecureRegistryCIDRs: ['10.0.0.0/8', '127.0.0.0/8'] }, Name: 'build-01' },
    endpoint: { url: 'tcp://127.0.0.1:2375', scheme: 'tcp', tls: false, host: '127.0.0.1', isLoopback: true },
    homeDir: '/home/me',
  });
  const a = auditDaemonFacts(facts, setup());
  t.deepEqual(a.findings.map((f) => f.policy), ['DSP30101', 'DSP30104', 'DSP30105', 'DSP30106', 'DSP30107']);
  t.false(a.passed);
  t.is(a.findings[0]?.action, 'fail');
  t.deepEqual(a.summary.endpoint, { url: 'tcp://127.0.0.1:2375', scheme: 'tcp', tls: false, loopback: true });
  t.is(a.summary.version, '29.1.2');
  t.is(a.summary.apiVersion, '1.52');
  t.is(a.summary.name, 'build-01');
  t.is(a.summary.osType, 'linux');
  t.false(a.summary.rootless);
  t.false(a.summary.userNamespaces);
  t.deepEqual(a.host, { homeDir: '/home/me' });
});

test('the daemon summary: rootless and userns from SecurityOptions, the socket mode in octal, the 2375 probe', (t) => {
  const s = daemonSummary(
    daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'] }, socket: { path: '/run/user/1000/docker.sock', mode: 0o140660 }, unauthenticatedPing2375: false }),
  );
  t.true(s.rootless);
  t.false(s.userNamespaces);
  t.deepEqual(s.socket, { path: '/run/user/1000/docker.sock', mode: '0660' });
  t.false(s.unauthenticatedPing2375);
  t.true(daemonSummary(daemon({ info: { SecurityOptions: ['name=userns'] } })).userNamespaces);
  const host = auditDaemonFacts(daemon({ endpoint: UNIX_ENDPOINT }), setup()).host;
  t.deepEqual(host, { daemonSocket: '/var/run/docker.sock' });
});

test('octalMode keeps the permission bits', (t) => {
  t.is(octalMode(0o140666), '0666');
  t.is(octalMode(0o660), '0660');
  t.is(octalMode(0o104755), '4755');
});

test('containers sort worst first: failing count, worst severity, warnings, name', (t) => {
  const s = setup();
  const audits: ContainerAudit[] = [
    auditContainerFacts(container({ ...HARDENED, name: 'a-hardened' }), s),
    auditContainerFacts(container({ name: 'b-default' }), s),
    auditContainerFacts(container({ name: 'c-ssh', hostConfig: { PortBindings: portBindings({ '22/tcp': '2222' }) }, running: false }), s),
    auditContainerFacts(container({ name: 'd-privileged', hostConfig: { Privileged: true } }), s),
    auditContainerFacts(container({ name: 'e-default' }), s),
  ];
  const order = [...audits].sort(compareContainerAudits).map((a) => a.name);
  t.deepEqual(order, ['d-privileged', 'c-ssh', 'b-default', 'e-default', 'a-hardened']);
  t.deepEqual(countActions(audits[3]!.findings), { fail: 1, warn: 5 });
});
