// DSP20114–DSP20119: the container publishes a remote-access service's port on
// the host: FTP 21, SSH 22, Telnet 23, rlogin 513, rsh 514, RDP 3389 (the
// services and ports of image policies SQ40103–SQ40108, one runtime ID per
// service). Judged on the container port, whatever host port or address it is
// published on; see common.ts `publications` for what counts as published.
import { SERVICES } from '../rules/SQ40103-08-remote-access-ports.js';
import type { ContainerRule, RawRuntimeFinding } from '../runtime-rule.js';
import { finding, hostAddress, publications, publishOption, subjectOf, type Publication } from './common.js';

/** The runtime policy of each image policy's service. */
const RUNTIME_POLICY: Readonly<Record<string, string>> = {
  SQ40103: 'DSP20114',
  SQ40104: 'DSP20115',
  SQ40105: 'DSP20116',
  SQ40106: 'DSP20117',
  SQ40107: 'DSP20118',
  SQ40108: 'DSP20119',
};

const RUNTIME_SERVICES = SERVICES.map((s) => {
  const policy = RUNTIME_POLICY[s.policy];
  if (!policy) throw new Error(`no runtime policy for the remote-access service of ${s.policy}`);
  return { ...s, policy };
});

export const remoteAccessPorts: ContainerRule = {
  scope: 'container',
  ids: RUNTIME_SERVICES.map((s) => s.policy),
  evaluate(c) {
    const pubs = publications(c);
    const findings: RawRuntimeFinding[] = [];
    for (const service of RUNTIME_SERVICES) {
      for (const port of service.ports) {
        const matching = pubs.filter((p) => p.port === port);
        const first: Publication | undefined = matching[0];
        if (!first) continue;
        const where = [...new Set(matching.map(hostAddress))].join(', ');
        const options = [...new Set(matching.map(publishOption))].join(' ');
        findings.push(
          finding(
            c,
            service.policy,
            first.field,
            `${subjectOf(c)} publishes ${port} (${service.name}: ${service.risk}) on ${where} (${first.field}). ` +
              `Fix: remove ${options} (compose: the ports entry for ${port.split('/')[0]}) and the ${service.name} server; ` +
              'use docker exec for a shell, or reach the host, not the container',
            { port },
          ),
        );
      }
    }
    return findings;
  },
};
