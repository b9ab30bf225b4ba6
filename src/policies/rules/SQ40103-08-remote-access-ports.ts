// SQ40103–SQ40108: the image might expose an insecure remote-access service:
// FTP 21, SSH 22, Telnet 23, rlogin 513, rsh 514, RDP 3389. Triggers on the
// keys of the effective Config.ExposedPorts (ranges included, bare port = tcp;
// inherited EXPOSE counts, since it cannot be undone) and, as the "might"
// signal, on an Entrypoint/Cmd that starts the matching daemon.
import type { HistoryStep, ImageFacts } from '../../image/facts.js';
import { exposedPortsOf } from '../../image/instruction.js';
import { baseName, configLocation, describeStep, lastStep, stepThatSet } from '../history.js';
import type { RawFinding, Rule } from '../rule.js';

export interface Service {
  policy: string;
  name: string;
  /** `port/proto` keys that trigger the policy. */
  ports: string[];
  /** Why the service is a risk, for the message. */
  risk: string;
  /** Program names (basenames) of the service's daemons. */
  daemon: RegExp;
}

export const SERVICES: readonly Service[] = [
  { policy: 'SQ40103', name: 'FTP', ports: ['21/tcp'], risk: 'logins and files travel in clear text', daemon: /^(?:vsftpd|proftpd|pure-ftpd(?:-[\w-]+)?)$/ },
  { policy: 'SQ40104', name: 'SSH', ports: ['22/tcp'], risk: 'a remote shell into the container, often with baked-in keys', daemon: /^sshd$/ },
  { policy: 'SQ40105', name: 'Telnet', ports: ['23/tcp'], risk: 'logins travel in clear text', daemon: /^(?:in\.)?telnetd$/ },
  { policy: 'SQ40106', name: 'rlogin', ports: ['513/tcp'], risk: 'host-based trust and clear-text logins', daemon: /^in\.rlogind$/ },
  { policy: 'SQ40107', name: 'rsh', ports: ['514/tcp'], risk: 'host-based trust and clear-text commands', daemon: /^in\.rshd$/ },
  { policy: 'SQ40108', name: 'RDP', ports: ['3389/tcp', '3389/udp'], risk: 'a favourite brute-force target', daemon: /^xrdp$/ },
];

export interface PortSpec {
  from: number;
  to: number;
  proto: string;
}

/** Reads an ExposedPorts key or EXPOSE argument: `22`, `22/tcp`, `20-23/tcp`, `3389/UDP`. */
export function parsePortSpec(spec: string): PortSpec | undefined {
  const m = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/.exec(spec.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return { from, to, proto: (m[3] ?? 'tcp').toLowerCase() };
}

/** True when the spec (`20-23/tcp`) covers the `port/proto` (`22/tcp`). */
export function portSpecIncludes(spec: PortSpec | undefined, port: string): boolean {
  const target = parsePortSpec(port);
  return !!spec && !!target && spec.proto === target.proto && spec.from <= target.from && target.from <= spec.to;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);
const WRAPPERS = new Set(['exec', 'env', 'nohup', 'sudo', 'tini', 'tini-static', 'dumb-init', 'setsid', 'chpst', 's6-setuidgid', 'gosu', 'su-exec']);
const WRAPPERS_WITH_USER = new Set(['gosu', 'su-exec', 's6-setuidgid', 'chpst']);

/**
 * Program names (basenames) that an argv starts: its first program after
 * wrappers (`tini --`, `exec`, `gosu user`…), or, for `sh -c script` and
 * `cmd /S /C script`, the first program of each command in the script.
 */
export function startedPrograms(argv: readonly string[]): string[] {
  let i = 0;
  while (i < argv.length) {
    const word = baseName(argv[i] ?? '');
    const lower = word.toLowerCase();
    if (SHELLS.has(word) && /^-\w*c$/.test(argv[i + 1] ?? '') && argv[i + 2] !== undefined) {
      return scriptPrograms(argv[i + 2] as string);
    }
    if (lower === 'cmd' || lower === 'cmd.exe') {
      let j = i + 1;
      while (j < argv.length && /^\/[A-Za-z]$/.test(argv[j] ?? '') && !/^\/c$/i.test(argv[j] ?? '')) j++;
      if (/^\/c$/i.test(argv[j] ?? '')) return scriptPrograms(argv.slice(j + 1).join(' '));
    }
    if (WRAPPERS.has(word)) {
      i++;
      while (i < argv.length && (/^-/.test(argv[i] ?? '') || /^[A-Za-z_]\w*=/.test(argv[i] ?? ''))) {
        if (argv[i] === '--') {
          i++;
          break;
        }
        i++;
      }
      if (WRAPPERS_WITH_USER.has(word)) i++;
      continue;
    }
    return word ? [word] : [];
  }
  return [];
}

function scriptPrograms(script: string): string[] {
  const out: string[] = [];
  for (const command of script.split(/&&|\|\||[;&|\n]/)) {
    const words = command
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/^['"(]+|['")]+$/g, ''))
      .filter(Boolean);
    out.push(...startedPrograms(words));
  }
  return out;
}

interface Exposure {
  service: Service;
  port: string;
  /** The ExposedPorts key that covers the port (a range, or the port itself). */
  key: string;
}

function exposures(facts: ImageFacts): Exposure[] {
  const keys = Object.keys(facts.config.ExposedPorts ?? {});
  const found = new Map<string, Exposure>();
  for (const service of SERVICES) {
    for (const port of service.ports) {
      for (const key of keys) {
        if (!portSpecIncludes(parsePortSpec(key), port)) continue;
        const seen = found.get(port);
        // Prefer the key that names the port itself over a range that covers it.
        if (!seen || (seen.key !== port && parsePortSpec(key)?.from === parsePortSpec(key)?.to)) {
          found.set(port, { service, port, key });
        }
      }
    }
  }
  return [...found.values()];
}

/** The latest EXPOSE step whose ports include `port`. */
function exposeStep(facts: ImageFacts, port: string): HistoryStep | undefined {
  return lastStep(
    facts,
    (_s, ins) => ins.keyword === 'EXPOSE' && exposedPortsOf(ins.args).some((p) => portSpecIncludes(parsePortSpec(p), port)),
  );
}

function setBy(step: HistoryStep | undefined): string {
  if (!step) return '';
  return `; set by ${step.inherited ? 'the base image at ' : ''}${describeStep(step)}`;
}

interface Started {
  program: string;
  field: 'Entrypoint' | 'Cmd';
}

function startedDaemons(facts: ImageFacts): Started[] {
  const out: Started[] = [];
  for (const field of ['Entrypoint', 'Cmd'] as const) {
    for (const program of startedPrograms(facts.config[field] ?? [])) out.push({ program, field });
  }
  return out;
}

export const remoteAccessPorts: Rule = {
  ids: SERVICES.map((s) => s.policy),
  needs: {},
  evaluate(facts) {
    const findings: RawFinding[] = [];
    const daemons = startedDaemons(facts);
    const exposed = exposures(facts);

    for (const { service, port, key } of exposed) {
      const step = exposeStep(facts, port);
      const range = parsePortSpec(key);
      const via = range && range.from !== range.to ? ` through the range ${key}` : '';
      const daemon = daemons.find((d) => service.daemon.test(d.program));
      const alsoStarts = daemon ? `; its ${daemon.field} also starts ${daemon.program}` : '';
      findings.push({
        policy: service.policy,
        message: `Exposes ${port} (${service.name}: ${service.risk})${via}${setBy(step)}${alsoStarts}`,
        location: configLocation('Config.ExposedPorts', step),
        inherited: step?.inherited ?? false,
        subject: { port },
      });
    }

    // The "might" signal: the daemon starts at launch without an EXPOSE of its port.
    for (const service of SERVICES) {
      if (exposed.some((e) => e.service === service)) continue;
      const daemon = daemons.find((d) => service.daemon.test(d.program));
      if (!daemon) continue;
      const step = stepThatSet(facts, daemon.field);
      const port = service.ports[0] as string;
      findings.push({
        policy: service.policy,
        message:
          `Starts ${daemon.program} (${service.name} server: ${service.risk}) from its ${daemon.field}` +
          ` without EXPOSE ${port}; it may still listen on ${port}${setBy(step)}`,
        location: configLocation(`Config.${daemon.field}`, step),
        inherited: step?.inherited ?? false,
        subject: { port },
      });
    }
    return findings;
  },
};
