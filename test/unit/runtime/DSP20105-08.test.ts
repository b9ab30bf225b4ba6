import test from 'ava';
import { HARDENED, container, containerFindings } from '../helpers/runtime-facts.js';

const CASES: Array<[string, string, string, RegExp]> = [
  ['DSP20105', 'NetworkMode', 'network', /--network host \(compose: network_mode: host\)/],
  ['DSP20106', 'PidMode', 'PID', /--pid host \(compose: pid: host\)/],
  ['DSP20107', 'IpcMode', 'IPC', /--ipc host \(compose: ipc: host\)/],
  ['DSP20108', 'UTSMode', 'UTS', /--uts host \(compose: uts: host\)/],
];

for (const [policy, field, name, fix] of CASES) {
  test(`${policy} fires on HostConfig.${field} host, naming the container, the setting and the fix`, (t) => {
    const [f, ...rest] = containerFindings(policy, container({ name: 'agent', hostConfig: { [field]: 'host' } }));
    t.is(rest.length, 0);
    t.is(f!.location.kind === 'container' ? f!.location.field : '', `HostConfig.${field}`);
    t.true(f!.message.startsWith(`Container agent shares the host's ${name} namespace (HostConfig.${field}: host)`), f!.message);
    t.regex(f!.message, fix);
  });

  test(`${policy} does not fire on the default, private or container-shared ${name} namespace`, (t) => {
    for (const value of ['', 'default', 'private', 'bridge', 'none', 'shareable', 'container:4f695ef4cd4b', 'my-net']) {
      t.deepEqual(containerFindings(policy, container({ hostConfig: { [field]: value } })), [], value);
    }
    t.deepEqual(containerFindings(policy, container(HARDENED)), []);
  });
}

test('DSP20105-08: the probe with --network host --pid host --ipc host --uts host fires all four, once each', (t) => {
  const c = container({ name: 'dsp-rt-probe-3', hostConfig: { NetworkMode: 'host', PidMode: 'host', IpcMode: 'host', UTSMode: 'host', SecurityOpt: ['label=disable'] } });
  t.deepEqual(CASES.map(([policy]) => containerFindings(policy, c).length), [1, 1, 1, 1]);
});
