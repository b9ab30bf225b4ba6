// The containers and daemon half of `audit`: read every container (running and
// stopped) and the daemon through the API alone, run the runtime rules with the
// same configuration as `check` (per-policy action and severity, --fail-on,
// --policy/--skip), and hand back per-container and daemon results for the
// report. Nothing here prints or exits.
import type { DaemonContext } from '../daemon/inspect.js';
import { readContainers, type ListContainersOptions } from '../daemon/containers.js';
import { readDaemon, type ReadDaemonOptions } from '../daemon/daemon-info.js';
import type { Endpoint } from '../plugin/endpoint.js';
import { containerRules } from '../policies/container-rules/index.js';
import { daemonRules } from '../policies/daemon-rules/index.js';
import { selectRules, severityRank } from '../policies/engine.js';
import { evaluateContainer, evaluateDaemon, type RuntimeFinding } from '../policies/runtime-engine.js';
import { hostContext, type ContainerFacts, type DaemonFacts, type HostContext } from '../runtime/facts.js';
import { daemonFactsOf } from '../runtime/inspect-facts.js';
import type { CheckSetup } from './check-setup.js';

/** What the runtime audit needs of checkSetup(): the catalog and the engine options. */
export type RuntimeSetup = Pick<CheckSetup, 'catalog' | 'engine'>;

/** One container's audit. */
export interface ContainerAudit {
  /** Full container ID. */
  id: string;
  /** Without the leading slash (the short ID when it has no name). */
  name: string;
  /** The image as the container was created with it (`nginx:1.27`, or an ID). */
  image: string;
  /** `running`, `exited`, `created`, `paused`, `restarting`, `dead`… */
  state: string;
  running: boolean;
  /** No finding whose action is `fail`. */
  passed: boolean;
  /** Sorted worst first. */
  findings: RuntimeFinding[];
}

export interface AuditContainersOptions extends ListContainersOptions {
  /** What container rules know of the daemon's host (DaemonAudit.host): home directory, the daemon's socket. */
  host?: HostContext;
}

/** Audits every container of the daemon, in the daemon's list order (the report sorts). */
export async function auditContainers(ctx: DaemonContext, setup: RuntimeSetup, options: AuditContainersOptions = {}): Promise<ContainerAudit[]> {
  const facts = await readContainers(ctx, options);
  return facts.map((c) => auditContainerFacts(c, setup, options.host));
}

/** The audit of one container's facts (pure). */
export function auditContainerFacts(container: ContainerFacts, setup: RuntimeSetup, host: HostContext = {}): ContainerAudit {
  const rules = selectRules(containerRules, setup.engine);
  const findings = evaluateContainer(container, rules, setup.catalog, setup.engine, host);
  return {
    id: container.Id,
    name: container.Name.replace(/^\//, '') || container.Id.slice(0, 12),
    image: container.Config.Image,
    state: container.State.Status ?? (container.State.Running ? 'running' : 'exited'),
    running: container.State.Running,
    passed: !findings.some((f) => f.action === 'fail'),
    findings,
  };
}

/** A few facts about the daemon worth showing next to its findings. */
export interface DaemonSummary {
  /** /info Name: the daemon host's name. */
  name?: string;
  /** Engine version (/info ServerVersion, else /version Version). */
  version?: string;
  apiVersion?: string;
  /** /info OperatingSystem: `Debian GNU/Linux 12 (bookworm)`, `Docker Desktop`… */
  operatingSystem?: string;
  /** `linux` or `windows`. */
  osType?: string;
  /** `name=rootless` in SecurityOptions. */
  rootless: boolean;
  /** `name=userns` in SecurityOptions (dockerd --userns-remap). */
  userNamespaces: boolean;
  /** The SecurityOptions as the daemon lists them. */
  securityOptions: string[];
  endpoint: {
    url: string;
    scheme: DaemonFacts['endpoint']['scheme'];
    tls: boolean;
    loopback: boolean;
  };
  /** The local socket file, when it could be stat'ed: its permission bits in octal (`0660`). */
  socket?: { path: string; mode: string };
  /** Whether tcp://127.0.0.1:2375 answered an unauthenticated ping; absent when not probed. */
  unauthenticatedPing2375?: boolean;
}

export interface DaemonAudit {
  summary: DaemonSummary;
  /** No finding whose action is `fail`. */
  passed: boolean;
  /** Sorted worst first. */
  findings: RuntimeFinding[];
  /** The facts the rules judged (for callers; not part of the JSON). */
  facts: DaemonFacts;
  /** What the container rules should know about this daemon's host: pass to auditContainers. */
  host: HostContext;
}

/** Reads /info, /version, the socket and the loopback 2375 probe, and audits the daemon. */
export async function auditDaemon(
  ctx: DaemonContext,
  endpoint: Endpoint,
  setup: RuntimeSetup,
  now: Date,
  options: ReadDaemonOptions = {},
): Promise<DaemonAudit> {
  const readings = await readDaemon(ctx, endpoint, now, options);
  return auditDaemonFacts(daemonFactsOf(readings), setup);
}

/** The audit of the daemon's facts (pure). */
export function auditDaemonFacts(facts: DaemonFacts, setup: RuntimeSetup): DaemonAudit {
  const rules = selectRules(daemonRules, setup.engine);
  const findings = evaluateDaemon(facts, rules, setup.catalog, setup.engine);
  return { summary: daemonSummary(facts), passed: !findings.some((f) => f.action === 'fail'), findings, facts, host: hostContext(facts) };
}

export function daemonSummary(facts: DaemonFacts): DaemonSummary {
  const options = facts.info.SecurityOptions ?? [];
  const names = new Set(options.map((o) => /(?:^|,)name=([^,]+)/.exec(o)?.[1]?.toLowerCase()));
  const e = facts.endpoint;
  const summary: DaemonSummary = {
    rootless: names.has('rootless'),
    userNamespaces: names.has('userns'),
    securityOptions: options,
    endpoint: { url: e.url, scheme: e.scheme, tls: e.tls, loopback: e.isLoopback },
  };
  if (facts.info.Name) summary.name = facts.info.Name;
  const version = facts.info.ServerVersion || facts.version.Version;
  if (version) summary.version = version;
  if (facts.version.ApiVersion) summary.apiVersion = facts.version.ApiVersion;
  if (facts.info.OperatingSystem) summary.operatingSystem = facts.info.OperatingSystem;
  const osType = facts.info.OSType || facts.version.Os;
  if (osType) summary.osType = osType;
  if (facts.socket && e.scheme === 'unix') summary.socket = { path: facts.socket.path, mode: octalMode(facts.socket.mode) };
  if (facts.unauthenticatedPing2375 !== undefined) summary.unauthenticatedPing2375 = facts.unauthenticatedPing2375;
  return summary;
}

/** Permission bits of st_mode as `0660`. */
export function octalMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Failing and warning findings of a container or the daemon. */
export function countActions(findings: readonly RuntimeFinding[]): { fail: number; warn: number } {
  let fail = 0;
  for (const f of findings) if (f.action === 'fail') fail++;
  return { fail, warn: findings.length - fail };
}

/** Worst first: more failing findings, then the worst severity, more warnings, then by name. */
export function compareContainerAudits(a: ContainerAudit, b: ContainerAudit): number {
  const ca = countActions(a.findings);
  const cb = countActions(b.findings);
  return (
    cb.fail - ca.fail ||
    worstRank(b.findings) - worstRank(a.findings) ||
    cb.warn - ca.warn ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The rank (higher is worse) of the worst failing finding, else of the worst finding; 0 when none. */
function worstRank(findings: readonly RuntimeFinding[]): number {
  const failing = findings.filter((f) => f.action === 'fail');
  const pool = failing.length > 0 ? failing : findings;
  return pool.reduce((max, f) => Math.max(max, severityRank(f.severity)), 0);
}
