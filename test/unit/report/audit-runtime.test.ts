// The containers and daemon part of the audit report: the overview worst first,
// findings with the option that fixes them, the daemon section, JSON shapes,
// and nothing from the daemon reaching the terminal unescaped.
import test from 'ava';
import { auditContainerFacts, auditDaemonFacts, type RuntimeSetup } from '../../../src/cli/audit-runtime.js';
import { loadCatalog } from '../../../src/policies/catalog.js';
import type { RuntimeFinding } from '../../../src/policies/runtime-engine.js';
import {
  containersJson,
  containersLine,
  daemonJson,
  daemonLines,
  policyIds,
  renderContainers,
  renderDaemon,
  splitFix,
} from '../../../src/report/audit-runtime.js';
import { HARDENED, container, daemon } from '../helpers/runtime-facts.js';

const catalog = loadCatalog();
const setup: RuntimeSetup = { catalog, engine: { failOn: 'high' } };
const plain = { width: 140, color: false };

const audits = () => [
  auditContainerFacts(container({ ...HARDENED, name: 'api', image: 'api:1' }), setup),
  auditContainerFacts(container({ name: 'web', image: 'nginx:1.27' }), setup),
  auditContainerFacts(container({ name: 'dind', image: 'docker:dind', running: false, hostConfig: { Privileged: true } }), setup),
];

test('splitFix: the message up to "Fix:", and what follows as the fix', (t) => {
  const f = { message: 'Container web has no memory limit (HostConfig.Memory: 0): … Fix: --memory 512m (compose: mem_limit: 512m)', remediation: 'Set a limit. More.' };
  t.deepEqual(splitFix(f), { text: 'Container web has no memory limit (HostConfig.Memory: 0): ….', fix: '--memory 512m (compose: mem_limit: 512m)' });
  t.deepEqual(splitFix({ message: 'No fix here.', remediation: 'Run without `--privileged`. Then more.\n\nAnd more.' }), {
    text: 'No fix here.',
    fix: 'Run without `--privileged`.',
  });
});

test('every runtime finding of a bad container has a fix naming a docker run option or a compose key', (t) => {
  const c = auditContainerFacts(
    container({ name: 'bad', hostConfig: { Privileged: true, NetworkMode: 'host', PidMode: 'host', CapAdd: ['SYS_ADMIN'], SecurityOpt: ['seccomp=unconfined'] }, mounts: [{ Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock' }] }),
    setup,
  );
  t.true(c.findings.length >= 8);
  for (const f of c.findings) {
    const { fix } = splitFix(f);
    t.regex(fix, /--|compose|USER|docker/, `${f.policy}: ${fix}`);
  }
});

test('the containers table: worst first, counts, policy IDs, then findings with the setting and fix', (t) => {
  const out = renderContainers(audits(), plain);
  t.false(/\u001b\[/.test(out));
  const dind = out.indexOf('dind');
  const web = out.indexOf('web');
  const api = out.indexOf('api');
  t.true(dind > 0 && dind < web && web < api, out);
  t.regex(out, /Container\s*│\s*Image\s*│\s*State\s*│\s*Fail\s*│\s*Warn\s*│\s*Policies/);
  t.regex(out, /DSP20101 DSP20112/);
  t.regex(out, /HostConfig\.Privileged/);
  t.regex(out, /--memory 512m/);
  t.regex(out, /exited/);
  t.regex(out, /3 containers audited \(2 running\), 1 failing, 2 passing/);
});

test('no containers: said in one line', (t) => {
  t.is(renderContainers([], plain), 'Containers\nno containers\n\n');
});

test('names, images and messages from the daemon are escaped', (t) => {
  const a = auditContainerFacts(container({ name: 'evil\u001b[2J', image: 'img\u0007:1' }), setup);
  const out = renderContainers([a], plain);
  t.false(out.includes('\u001b[2J'));
  t.false(out.includes('\u0007'));
  t.true(out.includes('evil\\x1b[2J'));
  t.true(out.includes('img\\x07:1'));
  const d = auditDaemonFacts(daemon({ info: { Name: 'host\u001b]0;x\u0007', Debug: true } }), setup);
  const dout = renderDaemon(d, plain);
  t.false(dout.includes('\u001b]'));
  t.true(dout.includes('host\\x1b]0;x\\x07'));
});

test('colour only when asked', (t) => {
  t.true(renderContainers(audits(), { width: 120, color: true }).includes('\u001b[31m'));
});

test('the daemon section: what it is, the verdict, findings with the setting that fixes each', (t) => {
  const d = auditDaemonFacts(
    daemon({
      info: { Debug: true, LiveRestoreEnabled: false, Name: 'box', OperatingSystem: 'Debian GNU/Linux 12 (bookworm)' },
      endpoint: { url: 'tcp://127.0.0.1:2375', scheme: 'tcp', tls: false, host: '127.0.0.1', isLoopback: true },
    }),
    setup,
  );
  const out = renderDaemon(d, plain);
  t.regex(out, /^Daemon\nDocker Engine 29\.1\.2 \(API 1\.52\) on "box" — Debian GNU\/Linux 12 \(bookworm\), linux\nendpoint tcp:\/\/127\.0\.0\.1:2375, no TLS\nisolation: rootful, no user namespaces\nFAIL  1 failing, 3 warnings\n/);
  t.regex(out, /DSP30101/);
  t.regex(out, /LiveRestoreEnabled/);
  t.regex(out, /"live-restore": true/);
  t.regex(out, /--tlsverify/);
  const clean = auditDaemonFacts(daemon({ info: { SecurityOptions: ['name=rootless'] } }), setup);
  t.regex(renderDaemon(clean, plain), /isolation: rootless\nPASS {2}no findings\n/);
});

test('daemonLines: the socket mode and the open 2375 are shown', (t) => {
  const d = auditDaemonFacts(daemon({ unauthenticatedPing2375: true }), setup);
  const lines = daemonLines(d.summary);
  t.is(lines[1], 'endpoint unix:///var/run/docker.sock, socket mode 0660');
  t.is(lines[3], 'tcp://127.0.0.1:2375 answers without TLS');
});

test('JSON: containers worst first, plain objects with the findings as reported', (t) => {
  const json = containersJson(audits());
  t.deepEqual(json.map((c) => [c.name, c.image, c.state, c.running, c.passed]), [
    ['dind', 'docker:dind', 'exited', false, false],
    ['web', 'nginx:1.27', 'running', true, true],
    ['api', 'api:1', 'running', true, true],
  ]);
  const first = json[0]!.findings[0] as RuntimeFinding;
  t.like(first, { policy: 'DSP20101', severity: 'critical', action: 'fail', inherited: false, location: { kind: 'container', container: 'dind', field: 'HostConfig.Privileged' } });
  t.deepEqual(JSON.parse(JSON.stringify(json)), json);
});

test('JSON: the daemon object carries the summary, the verdict and the findings', (t) => {
  const d = auditDaemonFacts(daemon({ info: { Debug: true } }), setup);
  const json = daemonJson(d);
  t.like(json, { version: '29.1.2', rootless: false, userNamespaces: false, passed: true, endpoint: { url: 'unix:///var/run/docker.sock', scheme: 'unix', tls: false, loopback: true }, socket: { path: '/var/run/docker.sock', mode: '0660' } });
  t.deepEqual(json.findings.map((f) => f.policy), ['DSP30104', 'DSP30107']);
  t.false('facts' in json);
  t.false('host' in json);
  t.deepEqual(JSON.parse(JSON.stringify(json)), json);
});

test('policyIds and containersLine', (t) => {
  const a = audits();
  t.deepEqual(policyIds(a[2]!.findings).slice(0, 2), ['DSP20101', 'DSP20112']);
  t.is(containersLine([a[0]!]), '1 container audited (1 running), 0 failing, 1 passing');
});
