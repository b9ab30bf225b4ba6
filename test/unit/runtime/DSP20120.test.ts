import test from 'ava';
import { HARDENED, container, containerFindings, portBindings, publishedOnBridge } from '../helpers/runtime-facts.js';

test('DSP20120 fires once per port published on 0.0.0.0 and ::, with the loopback fix for docker run and compose', (t) => {
  const findings = containerFindings('DSP20120', container({ name: 'db', ports: publishedOnBridge({ '5432/tcp': '5432', '8080/tcp': '80' }) }));
  t.is(findings.length, 2);
  const [pg] = findings;
  t.deepEqual(pg!.subject, { port: '5432/tcp' });
  t.is(pg!.location.kind === 'container' ? pg!.location.field : '', 'NetworkSettings.Ports');
  t.is(
    pg!.message,
    'Container db publishes 5432/tcp on all interfaces (0.0.0.0:5432, [::]:5432; NetworkSettings.Ports): it is reachable from every ' +
      'network the host is on, past host firewalls such as ufw. Fix: bind it to loopback, -p 5432:5432 → -p 127.0.0.1:5432:5432 ' +
      '(compose: ports: ["127.0.0.1:5432:5432"]), unless it is meant to be reached from other machines',
  );
});

test('DSP20120 fires on a stopped container bound to the daemon default (no address) or 0.0.0.0 explicitly', (t) => {
  const [f] = containerFindings('DSP20120', container({ running: false, hostConfig: { PortBindings: portBindings({ '80/tcp': '8080' }) } }));
  t.regex(f!.message, /on all interfaces \(all interfaces:8080; HostConfig\.PortBindings\)/);
  t.is(containerFindings('DSP20120', container({ running: false, hostConfig: { PortBindings: portBindings({ '80/tcp': '8080' }, '0.0.0.0') } })).length, 1);
});

test('DSP20120 fires on UDP and on ports the daemon picks (-p 53/udp, -P)', (t) => {
  const [udp] = containerFindings('DSP20120', container({ running: false, hostConfig: { PortBindings: portBindings({ '53/udp': '' }) } }));
  t.regex(udp!.message, /-p 53\/udp → -p 127\.0\.0\.1::53\/udp/);
  const [all] = containerFindings('DSP20120', container({ running: false, exposedPorts: ['80/tcp'], hostConfig: { PublishAllPorts: true } }));
  t.regex(all!.message, /-P → -p 127\.0\.0\.1::80/);
});

test('DSP20120 does not fire on loopback or on one specific address (the probe: -p 127.0.0.1:8080:80)', (t) => {
  t.deepEqual(containerFindings('DSP20120', container({ ports: publishedOnBridge({ '80/tcp': '8080' }, '127.0.0.1') })), []);
  t.deepEqual(containerFindings('DSP20120', container({ ports: publishedOnBridge({ '80/tcp': '8080' }, '::1') })), []);
  t.deepEqual(containerFindings('DSP20120', container({ ports: publishedOnBridge({ '80/tcp': '8080' }, '192.168.1.20') })), []);
  t.deepEqual(containerFindings('DSP20120', container({ running: false, hostConfig: { PortBindings: portBindings({ '80/tcp': '8080' }, '127.0.0.1') } })), []);
});

test('DSP20120 does not fire without publications, or where docker publishes nothing (host, none)', (t) => {
  t.deepEqual(containerFindings('DSP20120', container()), []);
  t.deepEqual(containerFindings('DSP20120', container(HARDENED)), []);
  t.deepEqual(containerFindings('DSP20120', container({ exposedPorts: ['80/tcp'], ports: { '80/tcp': null } })), []);
  const none = container({ hostConfig: { NetworkMode: 'none', PortBindings: portBindings({ '22/tcp': '2222' }) } });
  t.deepEqual(containerFindings('DSP20120', none), [], 'the probe: --network none -p 2222:22 publishes nothing');
});
