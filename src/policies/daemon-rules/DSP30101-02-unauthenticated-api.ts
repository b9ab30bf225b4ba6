// DSP30101, DSP30102: the Engine API is reachable without TLS, so without any
// authentication: whoever reaches it controls the daemon and, through it, the
// host as root.
//   DSP30101  the endpoint this audit used is tcp:// without TLS.
//   DSP30102  tcp://127.0.0.1:2375 answered an unauthenticated GET /_ping (the
//             caller probes loopback only; it is Docker Desktop's "Expose
//             daemon on tcp://localhost:2375 without TLS" or a `-H
//             tcp://127.0.0.1:2375`). Not reported again when the endpoint in
//             use already is that address (DSP30101 says it).
import type { DaemonFacts } from '../../runtime/facts.js';
import type { DaemonRule, RawRuntimeFinding } from '../runtime-rule.js';
import { daemonFinding, daemonSubject } from './common.js';

const FIX_TLS =
  'Fix: serve the API with TLS client certificates (dockerd --tlsverify --tlscacert ca.pem --tlscert server-cert.pem --tlskey server-key.pem ' +
  '-H tcp://0.0.0.0:2376; daemon.json: "tlsverify": true, "tlscacert", "tlscert", "tlskey", "hosts") and connect with --tlsverify ' +
  '(DOCKER_TLS_VERIFY=1), or reach it over SSH (docker context create NAME --docker host=ssh://user@host), or keep to the unix socket';

/** Port of a tcp:// URL, 2375 when absent (docker's default for plain TCP). */
function tcpPort(url: string): number {
  const m = /:(\d+)\/?$/.exec(url.replace(/^tcp:\/\//, ''));
  return m ? Number(m[1]) : 2375;
}

function plainTcp(d: DaemonFacts): RawRuntimeFinding[] {
  const e = d.endpoint;
  if (e.scheme !== 'tcp' || e.tls) return [];
  const who = e.isLoopback
    ? 'any local user or process (and any container on the host network) can drive it'
    : 'anyone who can reach that address can drive it, and requests and answers travel in clear text';
  return [
    daemonFinding(
      'DSP30101',
      'Endpoint',
      `${daemonSubject(d)} is reached over TCP without TLS at ${e.url}: the API has no authentication of its own and driving it ` +
        `is root on the host; ${who}. ${FIX_TLS}`,
    ),
  ];
}

function loopback2375(d: DaemonFacts): RawRuntimeFinding[] {
  if (d.unauthenticatedPing2375 !== true) return [];
  const e = d.endpoint;
  if (e.scheme === 'tcp' && !e.tls && e.isLoopback && tcpPort(e.url) === 2375) return []; // DSP30101 covers it
  return [
    daemonFinding(
      'DSP30102',
      'tcp://127.0.0.1:2375',
      `${daemonSubject(d)} also answers on tcp://127.0.0.1:2375 without TLS (an unauthenticated GET /_ping succeeded): any local ` +
        'process or user can control the daemon, and so the host (with Docker Desktop, its VM and every shared folder), with no ' +
        'credentials. Fix: Docker Desktop for Windows: Settings → General → clear "Expose daemon on tcp://localhost:2375 without TLS"; ' +
        'dockerd: remove tcp://127.0.0.1:2375 from -H and from "hosts" in daemon.json',
      { port: '2375/tcp' },
    ),
  ];
}

export const unauthenticatedApi: DaemonRule = {
  scope: 'daemon',
  ids: ['DSP30101', 'DSP30102'],
  evaluate(d) {
    return [...plainTcp(d), ...loopback2375(d)];
  },
};
