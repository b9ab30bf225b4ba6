// DSP20120: a port is published on all host interfaces (0.0.0.0 / ::, or no
// address, which is dockerd's default) instead of 127.0.0.1, so anyone on the
// networks the host is on can reach it, and docker's own iptables rules let
// it past a host firewall such as ufw. One finding per published port.
// Ports bound to loopback or to one specific address are not flagged.
import { isAllInterfaces } from '../../runtime/net.js';
import type { ContainerRule } from '../runtime-rule.js';
import { finding, groupByPort, hostAddress, publications, publishOption, subjectOf, type Publication } from './common.js';

/** `127.0.0.1:8080:80`, `127.0.0.1::80`, `127.0.0.1:3389:3389/udp`: the same publication on loopback. */
function onLoopback(p: Publication): string {
  const [port, proto] = p.port.split('/');
  const container = proto === 'tcp' ? `${port}` : p.port;
  return `127.0.0.1:${p.hostPort}:${container}`;
}

export const allInterfaces: ContainerRule = {
  scope: 'container',
  ids: ['DSP20120'],
  evaluate(c) {
    const open = publications(c).filter((p) => isAllInterfaces(p.hostIp));
    return groupByPort(open).map((group) => {
      const first = group[0]!;
      const where = [...new Set(group.map(hostAddress))].join(', ');
      const loopback = onLoopback(first);
      return finding(
        c,
        'DSP20120',
        first.field,
        `${subjectOf(c)} publishes ${first.port} on all interfaces (${where}; ${first.field}): it is reachable from every ` +
          `network the host is on, past host firewalls such as ufw. Fix: bind it to loopback, ${publishOption(first)} → -p ${loopback} ` +
          `(compose: ports: ["${loopback}"]), unless it is meant to be reached from other machines`,
        { port: first.port },
      );
    });
  },
};
