import test from 'ava';
import { HARDENED, container, containerFindings, portBindings, publishedOnBridge } from '../helpers/runtime-facts.js';

const SERVICES: Array<[string, string, string]> = [
  ['DSP20114', '21/tcp', 'FTP'],
  ['DSP20115', '22/tcp', 'SSH'],
  ['DSP20116', '23/tcp', 'Telnet'],
  ['DSP20117', '513/tcp', 'rlogin'],
  ['DSP20118', '514/tcp', 'rsh'],
  ['DSP20119', '3389/tcp', 'RDP'],
];

for (const [policy, port, name] of SERVICES) {
  test(`${policy} fires when a running container publishes ${port} (${name})`, (t) => {
    const hostPort = `2${port.split('/')[0]}`;
    const [f, ...rest] = containerFindings(policy, container({ name: 'box', ports: publishedOnBridge({ [port]: hostPort }) }));
    t.is(rest.length, 0);
    t.deepEqual(f!.subject, { port });
    t.is(f!.location.kind === 'container' ? f!.location.field : '', 'NetworkSettings.Ports');
    t.true(f!.message.startsWith(`Container box publishes ${port} (${name}: `), f!.message);
    t.regex(f!.message, new RegExp(`on 0\\.0\\.0\\.0:${hostPort}, \\[::\\]:${hostPort}`));
    t.regex(f!.message, new RegExp(`remove -p ${hostPort}:${port.split('/')[0]} \\(compose: the ports entry for ${port.split('/')[0]}\\)`));
  });
}

test('DSP20119 fires on RDP over UDP too (the probe: -p 3389:3389/udp)', (t) => {
  const [f] = containerFindings('DSP20119', container({ hostConfig: { PortBindings: portBindings({ '3389/udp': '3389' }) }, running: false }));
  t.deepEqual(f!.subject, { port: '3389/udp' });
  t.regex(f!.message, /remove -p 3389:3389\/udp/);
  t.is(f!.location.kind === 'container' ? f!.location.field : '', 'HostConfig.PortBindings');
});

test('DSP20115 fires on a stopped container from its PortBindings: what it publishes at the next start', (t) => {
  const [f] = containerFindings('DSP20115', container({ name: 'sshd', running: false, hostConfig: { PortBindings: portBindings({ '22/tcp': '2222' }) } }));
  t.regex(f!.message, /^Container sshd \(exited\) publishes 22\/tcp \(SSH: .*\) on all interfaces:2222 \(HostConfig\.PortBindings\)/);
});

test('DSP20115 fires on a loopback-only publication too: the service is still there', (t) => {
  const [f] = containerFindings('DSP20115', container({ ports: publishedOnBridge({ '22/tcp': '2222' }, '127.0.0.1') }));
  t.regex(f!.message, /on 127\.0\.0\.1:2222/);
  t.regex(f!.message, /remove -p 127\.0\.0\.1:2222:22/);
});

test('DSP20115 fires on -P with an exposed 22 (the probe: -P --expose 22, stopped)', (t) => {
  const c = container({ running: false, exposedPorts: ['22/tcp'], hostConfig: { PublishAllPorts: true } });
  const [f] = containerFindings('DSP20115', c);
  t.regex(f!.message, /remove -P/);
  t.is(f!.location.kind === 'container' ? f!.location.field : '', 'HostConfig.PublishAllPorts');
});

test('DSP20114-19 judge the container port, not the host port', (t) => {
  t.deepEqual(containerFindings('DSP20115', container({ ports: publishedOnBridge({ '8080/tcp': '22' }) })), []);
});

test('DSP20114-19 do not fire on exposed-but-unpublished ports, or with host, none or container network modes', (t) => {
  t.deepEqual(containerFindings('DSP20115', container({ exposedPorts: ['22/tcp'], ports: { '22/tcp': null } })), []);
  for (const NetworkMode of ['host', 'none', 'container:4f695ef4cd4b']) {
    const c = container({ running: false, hostConfig: { NetworkMode, PortBindings: portBindings({ '22/tcp': '2222' }) } });
    t.deepEqual(containerFindings('DSP20115', c), [], NetworkMode);
  }
  t.deepEqual(containerFindings('DSP20115', container(HARDENED)), []);
});

test('DSP20114-19 read what is published now for a running container, not what was asked for', (t) => {
  // Running on a user network: dockerd reports the live bindings; the PortBindings key matches.
  const c = container({
    hostConfig: { NetworkMode: 'app_default', PortBindings: portBindings({ '22/tcp': '2222' }) },
    ports: publishedOnBridge({ '22/tcp': '2222' }),
  });
  const [f, ...rest] = containerFindings('DSP20115', c);
  t.is(rest.length, 0);
  t.is(f!.location.kind === 'container' ? f!.location.field : '', 'NetworkSettings.Ports');
});
