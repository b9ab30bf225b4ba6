// The runtime engine: words and actions from the catalog and configuration,
// scopes kept apart, the hardened container silent, and every runtime policy
// in the catalog evaluated by exactly one rule.
import test from 'ava';
import { loadCatalog, policiesInScope } from '../../../src/policies/catalog.js';
import { containerRules } from '../../../src/policies/container-rules/index.js';
import { daemonRules } from '../../../src/policies/daemon-rules/index.js';
import { evaluateContainer, evaluateDaemon } from '../../../src/policies/runtime-engine.js';
import { hostContext, type ContainerFacts, type DaemonFacts } from '../../../src/runtime/facts.js';
import type { RuntimeRule } from '../../../src/policies/runtime-rule.js';
import { describeLocation } from '../../../src/report/location.js';
import { HARDENED, container, daemon, portBindings, publishedOnBridge } from '../helpers/runtime-facts.js';

const catalog = loadCatalog();
const rules: RuntimeRule[] = [...containerRules, ...daemonRules];

test('a hardened container produces no finding (read-only, non-root, cap-drop ALL, no-new-privileges, memory and pids limits, nothing published)', (t) => {
  t.deepEqual(evaluateContainer(container({ ...HARDENED, name: 'api' }), rules, catalog, { failOn: 'low' }), []);
  // …and so does the probe's shape: --network none, stopped.
  t.deepEqual(evaluateContainer(container({ ...HARDENED, running: false, hostConfig: { ...HARDENED.hostConfig, NetworkMode: 'none' } }), rules, catalog, { failOn: 'low' }), []);
});

test('a well-configured daemon (rootless, live restore, current engine, unix socket 0660) produces no finding', (t) => {
  const d = daemon({ info: { SecurityOptions: ['name=seccomp,profile=default', 'name=rootless', 'name=cgroupns'] } });
  t.deepEqual(evaluateDaemon(d, rules, catalog, { failOn: 'low' }), []);
});

test('a default `docker run` container gets the expected warnings and no failure at the default threshold', (t) => {
  const findings = evaluateContainer(container({ name: 'web' }), rules, catalog, { failOn: 'high' });
  t.deepEqual(findings.map((f) => [f.policy, f.severity, f.action]), [
    ['DSP20112', 'medium', 'warn'],
    ['DSP20113', 'medium', 'warn'],
    ['DSP20121', 'low', 'warn'],
    ['DSP20122', 'low', 'warn'],
    ['DSP20123', 'low', 'warn'],
  ]);
  for (const f of findings) {
    t.false(f.inherited);
    t.is(f.title, catalog.get(f.policy)!.title);
    t.is(f.remediation, catalog.get(f.policy)!.remediation);
    t.is(f.location.kind, 'container');
  }
});

test('the everything-wrong probe fails on critical and high policies and sorts failures first', (t) => {
  const c = container({
    name: 'dsp-rt-probe-3',
    hostConfig: {
      NetworkMode: 'default',
      PidMode: 'host',
      Privileged: true,
      CapAdd: ['SYS_ADMIN'],
      SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined', 'label=disable'],
      PortBindings: portBindings({ '22/tcp': '2222' }),
    },
    ports: publishedOnBridge({ '22/tcp': '2222' }),
    mounts: [
      { Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock' },
      { Source: '/etc', Destination: '/host-etc', RW: false },
      { Source: '/', Destination: '/host', RW: false },
    ],
  });
  const findings = evaluateContainer(c, rules, catalog, { failOn: 'high' });
  const failing = findings.filter((f) => f.action === 'fail').map((f) => f.policy);
  t.deepEqual(failing, ['DSP20101', 'DSP20102', 'DSP20103', 'DSP20104', 'DSP20106', 'DSP20109', 'DSP20110', 'DSP20115']);
  t.is(findings.findIndex((f) => f.action === 'warn'), failing.length, 'failing findings come first');
  t.deepEqual(findings.find((f) => f.policy === 'DSP20115')!.subject, { port: '22/tcp' });
});

test('configuration applies as for images: off, action and severity overrides, --policy selection', (t) => {
  const c = container({ name: 'web' });
  const off = evaluateContainer(c, rules, catalog, { failOn: 'high', policies: { DSP20113: { action: 'off' } } });
  t.false(off.some((f) => f.policy === 'DSP20113'));
  const fail = evaluateContainer(c, rules, catalog, { failOn: 'high', policies: { DSP20123: { action: 'fail' }, DSP20121: { severity: 'high' } } });
  t.is(fail.find((f) => f.policy === 'DSP20123')!.action, 'fail');
  t.deepEqual([fail.find((f) => f.policy === 'DSP20121')!.severity, fail.find((f) => f.policy === 'DSP20121')!.action], ['high', 'fail']);
  const only = evaluateContainer(c, rules, catalog, { failOn: 'low', only: new Set(['DSP20121']) });
  t.deepEqual(only.map((f) => [f.policy, f.action]), [['DSP20121', 'fail']]);
});

/** As audit runs them: the daemon first, its host context then given to the container rules. */
function daemonThenContainers(d: DaemonFacts, containers: ContainerFacts[]) {
  const host = hostContext(d);
  return [...evaluateDaemon(d, rules, catalog, { failOn: 'high' }), ...containers.flatMap((c) => evaluateContainer(c, rules, catalog, { failOn: 'high' }, host))];
}

test("the daemon's host context gives container rules the home directory", (t) => {
  const d = daemon({ info: { LiveRestoreEnabled: false }, homeDir: '/home/alice' });
  const c = container({ name: 'notes', ...HARDENED, mounts: [{ Source: '/home/alice', Destination: '/home', RW: false }] });
  const findings = daemonThenContainers(d, [c]);
  t.deepEqual(findings.map((f) => [f.policy, f.location.kind]).sort(), [
    ['DSP20104', 'container'],
    ['DSP30104', 'daemon'],
    ['DSP30106', 'daemon'],
  ]);
  t.regex(findings.find((f) => f.policy === 'DSP20104')!.message, /user's home directory/);
});

test('the daemon socket path reaches the container rules through the host context', (t) => {
  const d = daemon({
    info: { SecurityOptions: ['name=rootless'] },
    endpoint: { url: 'unix:///srv/engine/api', scheme: 'unix', tls: false, host: '', isLoopback: true },
    socket: { path: '/srv/engine/api', mode: 0o660 },
  });
  const c = container({ ...HARDENED, mounts: [{ Source: '/srv/engine/api', Destination: '/api' }] });
  t.deepEqual(daemonThenContainers(d, [c]).map((f) => f.policy), ['DSP20102']);
});

test('a rule reporting a policy of another scope, or without words, is a programming error', (t) => {
  const wrongScope: RuntimeRule = { scope: 'container', ids: ['DSP30106'], evaluate: () => [{ policy: 'DSP30106', message: 'm', location: { kind: 'daemon', field: 'x' } }] };
  t.throws(() => evaluateContainer(container(), [wrongScope], catalog, { failOn: 'high' }), { message: /a container rule reported DSP30106, whose policies\/DSP30106\.yaml has scope daemon/ });
  const image: RuntimeRule = { scope: 'daemon', ids: ['SQ40101'], evaluate: () => [{ policy: 'SQ40101', message: 'm', location: { kind: 'daemon', field: 'x' } }] };
  t.throws(() => evaluateDaemon(daemon(), [image], catalog, { failOn: 'high' }), { message: /scope image/ });
  const unknown: RuntimeRule = { scope: 'daemon', ids: ['DSP39999'], evaluate: () => [{ policy: 'DSP39999', message: 'm', location: { kind: 'daemon', field: 'x' } }] };
  t.throws(() => evaluateDaemon(daemon(), [unknown], catalog, { failOn: 'high' }), { message: /no policies\/DSP39999\.yaml/ });
});

test('every container and daemon policy in the catalog has exactly one rule of its scope, and the other way round', (t) => {
  for (const [scope, list] of [['container', containerRules], ['daemon', daemonRules]] as const) {
    const ids = list.flatMap((r) => r.ids);
    t.is(new Set(ids).size, ids.length, `${scope}: no policy evaluated twice`);
    t.deepEqual([...ids].sort(), [...policiesInScope(catalog, scope).keys()].sort(), scope);
    for (const rule of list) t.is(rule.scope, scope, rule.ids.join(','));
  }
});

test('runtime locations read in words', (t) => {
  const c = container({ name: 'web', id: 'f78375b1c487e03c9438c729345e54db9d20cfa2ac1fc3494b6eb60872e74778' });
  const [f] = evaluateContainer(c, rules, catalog, { failOn: 'high', only: new Set(['DSP20123']) });
  t.is(describeLocation(f!.location), 'container web (f78375b1c487)\nHostConfig.ReadonlyRootfs');
  t.is(describeLocation({ kind: 'daemon', field: 'LiveRestoreEnabled' }), 'daemon LiveRestoreEnabled');
});
