// DSP30105: the daemon talks to a registry outside loopback over plain HTTP or
// without verifying its certificate (dockerd --insecure-registry, daemon.json
// "insecure-registries"): anyone on the path can swap the images it pulls.
// Read from /info RegistryConfig: InsecureRegistryCIDRs (dockerd always adds
// 127.0.0.0/8; ::1/128 is also loopback) and IndexConfigs entries with
// Secure false. Docker Desktop's own `*.docker.internal` names are internal
// to its VM and not flagged. One finding per registry or CIDR.
import { cidrWithinLoopback, isLoopbackHost } from '../../runtime/net.js';
import type { DaemonRule, RawRuntimeFinding } from '../runtime-rule.js';
import { daemonFinding, daemonSubject } from './common.js';

/** `reg.example:5000` → `reg.example`; `[::1]:5000` → `::1`. */
export function registryHost(name: string): string {
  const bracket = /^\[([^\]]+)\]/.exec(name);
  if (bracket) return bracket[1] ?? '';
  const host = name.split('/')[0] ?? '';
  return host.split(':').length === 2 ? (host.split(':')[0] ?? '') : host;
}

const FIX =
  'Fix: give the registry a TLS certificate (a trusted one, or its CA in /etc/docker/certs.d/HOST:PORT/ca.crt) and remove it from ' +
  '"insecure-registries" in daemon.json (dockerd --insecure-registry; Docker Desktop: Settings → Docker Engine), then restart the daemon';

export const insecureRegistries: DaemonRule = {
  scope: 'daemon',
  ids: ['DSP30105'],
  evaluate(d) {
    const registry = d.info.RegistryConfig;
    const findings: RawRuntimeFinding[] = [];
    for (const cidr of registry?.InsecureRegistryCIDRs ?? []) {
      if (cidrWithinLoopback(cidr)) continue;
      findings.push(
        daemonFinding(
          'DSP30105',
          'RegistryConfig.InsecureRegistryCIDRs',
          `${daemonSubject(d)} treats every registry in ${cidr} as insecure (plain HTTP or unverified TLS): whoever is on the ` +
            `network path can serve it other images. ${FIX}`,
        ),
      );
    }
    for (const [key, index] of Object.entries(registry?.IndexConfigs ?? {})) {
      if (index.Secure) continue;
      const name = index.Name || key;
      const host = registryHost(name);
      if (isLoopbackHost(host) || /\.docker\.internal$/i.test(host)) continue;
      findings.push(
        daemonFinding(
          'DSP30105',
          'RegistryConfig.IndexConfigs',
          `${daemonSubject(d)} pulls from ${name} as an insecure registry (plain HTTP or unverified TLS): whoever is on the ` +
            `network path can serve it other images. ${FIX}`,
        ),
      );
    }
    return findings;
  },
};
