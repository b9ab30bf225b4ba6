// Runtime facts for runtime-rule tests, built the way audit builds them: an
// inspect JSON shaped like what dockerd 20.10 returns (recorded from probe
// containers on the test daemon: `docker run -d --network none … busybox`),
// changed by a compact spec, then read with containerFactsOf.
//
//   const c = container({ name: 'web', hostConfig: { Privileged: true } });
//   const h = container({ ...HARDENED, name: 'api' });
//   const d = daemon({ info: { Debug: true } });
//
// Defaults are `docker run -d --name web busybox sleep 1d` on the default
// bridge network: root, no limits, writable rootfs, nothing published.
import type { ContainerInspectInfo } from 'dockerode';
import { containerFactsOf, daemonFactsOf } from '../../../src/runtime/inspect-facts.js';
import type { ContainerFacts, DaemonFacts, EndpointFacts, HostContext, PortMap } from '../../../src/runtime/facts.js';
import { hostContext } from '../../../src/runtime/facts.js';
import type { ContainerRule, DaemonRule, RawRuntimeFinding } from '../../../src/policies/runtime-rule.js';
import { containerRules } from '../../../src/policies/container-rules/index.js';
import { daemonRules } from '../../../src/policies/daemon-rules/index.js';

type Json = Record<string, unknown>;

/** One entry of inspect's top-level Mounts, as dockerd writes it. */
export interface MountSpec {
  Type?: 'bind' | 'volume' | 'tmpfs' | 'npipe';
  Source: string;
  Destination: string;
  RW?: boolean;
  Name?: string;
}

export interface ContainerSpec {
  /** Without the slash; default `web`. */
  name?: string;
  id?: string;
  /** Default true; false gives State.Status `exited` unless `status` says otherwise. */
  running?: boolean;
  status?: string;
  platform?: string;
  /** Config.User; default '' (what the daemon stores when neither --user nor the image set one). */
  user?: string;
  image?: string;
  exposedPorts?: string[];
  /** Merged over the default HostConfig. */
  hostConfig?: Json;
  mounts?: MountSpec[];
  /** NetworkSettings.Ports. */
  ports?: PortMap;
  imageUser?: string;
}

/** The hardened run: `--read-only --user 10001:10001 --cap-drop ALL --security-opt no-new-privileges --memory 64m --pids-limit 100`. */
export const HARDENED: ContainerSpec = {
  user: '10001:10001',
  hostConfig: {
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    Memory: 67108864,
    PidsLimit: 100,
    ReadonlyRootfs: true,
  },
};

/** The inspect JSON of the spec, full shape (fields the rules ignore included). */
export function inspectJson(spec: ContainerSpec = {}): Json {
  const name = spec.name ?? 'web';
  const id = spec.id ?? `${Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  const running = spec.running ?? true;
  const exposed = Object.fromEntries((spec.exposedPorts ?? []).map((p) => [p, {}]));
  return {
    Id: id,
    Created: '2026-11-23T15:32:51.010884204Z',
    Path: 'sleep',
    Args: ['1d'],
    State: {
      Status: spec.status ?? (running ? 'running' : 'exited'),
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: running ? 14352 : 0,
      ExitCode: 0,
      Error: '',
      StartedAt: '2026-11-23T15:32:51.247612676Z',
      FinishedAt: running ? '0001-01-01T00:00:00Z' : '2026-11-23T15:33:51.247612676Z',
    },
    Image: 'sha256:c55e4bf3c763928ae5be460312b31796737c1492ffd2b7eac7cf9f8d14fc33fd',
    Name: `/${name}`,
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: spec.platform ?? 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: 'docker-default',
    ExecIDs: null,
    HostConfig: {
      Binds: null,
      ContainerIDFile: '',
      LogConfig: { Type: 'json-file', Config: {} },
      NetworkMode: 'default',
      PortBindings: {},
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: false,
      CapAdd: null,
      CapDrop: null,
      CgroupnsMode: 'host',
      IpcMode: 'private',
      PidMode: '',
      Privileged: false,
      PublishAllPorts: false,
      ReadonlyRootfs: false,
      SecurityOpt: null,
      UTSMode: '',
      UsernsMode: '',
      ShmSize: 67108864,
      Runtime: 'runc',
      Memory: 0,
      MemorySwap: 0,
      PidsLimit: null,
      Mounts: null,
      MaskedPaths: ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/sys/firmware'],
      ReadonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
      ...spec.hostConfig,
    },
    Mounts: (spec.mounts ?? []).map((m) => ({
      Type: m.Type ?? 'bind',
      ...(m.Name ? { Name: m.Name } : {}),
      Source: m.Source,
      Destination: m.Destination,
      Mode: m.RW === false ? 'ro' : '',
      RW: m.RW ?? true,
      Propagation: 'rprivate',
    })),
    Config: {
      Hostname: id.slice(0, 12),
      Domainname: '',
      User: spec.user ?? '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ...(spec.exposedPorts ? { ExposedPorts: exposed } : {}),
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['sleep', '1d'],
      Image: spec.image ?? 'busybox:latest',
      Volumes: null,
      WorkingDir: '',
      Entrypoint: null,
      OnBuild: null,
      Labels: {},
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: '17fbb0394f1a3e534057f25bd156ede54e54fbf66af5320d8fdcb7f958163609',
      Ports: spec.ports ?? {},
      SandboxKey: '/var/run/docker/netns/17fbb0394f1a',
      Networks: {},
    },
  };
}

/** Container facts as audit would read them. */
export function container(spec: ContainerSpec = {}): ContainerFacts {
  return containerFactsOf(inspectJson(spec) as unknown as ContainerInspectInfo, spec.imageUser);
}

/** A running container published on the default bridge: NetworkSettings.Ports for `-p HOST:CONTAINER`, both address families, as dockerd reports it. */
export function publishedOnBridge(bindings: Record<string, string>, hostIp?: string): PortMap {
  const ports: PortMap = {};
  for (const [containerPort, hostPort] of Object.entries(bindings)) {
    ports[containerPort] = hostIp
      ? [{ HostIp: hostIp, HostPort: hostPort }]
      : [
          { HostIp: '0.0.0.0', HostPort: hostPort },
          { HostIp: '::', HostPort: hostPort },
        ];
  }
  return ports;
}

/** HostConfig.PortBindings for `-p HOST:CONTAINER` (no address: the daemon default). */
export function portBindings(bindings: Record<string, string>, hostIp = ''): PortMap {
  return Object.fromEntries(Object.entries(bindings).map(([c, h]) => [c, [{ HostIp: hostIp, HostPort: h }]]));
}

export const NOW = new Date('2026-06-01T12:00:00Z');

/** /info of the test daemon (dockerd 20.10.24+dfsg1 on Debian 12), trimmed to what matters plus some context. */
export function infoJson(overrides: Json = {}): Json {
  return {
    ID: 'QX4L:3ZSD:…',
    Containers: 3,
    Driver: 'overlay2',
    SecurityOptions: ['name=apparmor', 'name=seccomp,profile=default', 'name=cgroupns'],
    LiveRestoreEnabled: true,
    Debug: false,
    RegistryConfig: {
      AllowNondistributableArtifactsCIDRs: [],
      AllowNondistributableArtifactsHostnames: [],
      InsecureRegistryCIDRs: ['127.0.0.0/8'],
      IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true } },
      Mirrors: [],
    },
    ServerVersion: '29.1.2',
    OperatingSystem: 'Ubuntu 24.04.1 LTS',
    OSType: 'linux',
    Architecture: 'x86_64',
    Name: 'build-01',
    Swarm: { NodeID: '', LocalNodeState: 'inactive' },
    ...overrides,
  };
}

export function versionJson(version = '29.1.2', overrides: Json = {}): Json {
  return {
    Platform: { Name: 'Docker Engine - Community' },
    Components: [
      { Name: 'Engine', Version: version, Details: { ApiVersion: '1.52', Os: 'linux' } },
      { Name: 'containerd', Version: '1.7.24' },
      { Name: 'runc', Version: '1.2.2' },
    ],
    Version: version,
    ApiVersion: '1.52',
    MinAPIVersion: '1.24',
    Os: 'linux',
    Arch: 'amd64',
    ...overrides,
  };
}

export const UNIX_ENDPOINT: EndpointFacts = { url: 'unix:///var/run/docker.sock', scheme: 'unix', tls: false, host: '', isLoopback: true };

export interface DaemonSpec {
  info?: Json;
  version?: string;
  versionJson?: Json;
  endpoint?: EndpointFacts;
  socket?: { path: string; mode: number };
  unauthenticatedPing2375?: boolean;
  homeDir?: string;
  development?: boolean;
  now?: Date;
}

/** Daemon facts of a well-configured Linux daemon (rootful, apparmor, live restore, current engine), changed by the spec. */
export function daemon(spec: DaemonSpec = {}): DaemonFacts {
  const readings: Parameters<typeof daemonFactsOf>[0] = {
    info: infoJson(spec.info ?? {}),
    version: spec.versionJson ?? versionJson(spec.version ?? (spec.info?.ServerVersion as string | undefined)),
    endpoint: spec.endpoint ?? UNIX_ENDPOINT,
    socket: spec.socket ?? { path: '/var/run/docker.sock', mode: 0o140660 },
    now: spec.now ?? NOW,
  };
  if (spec.unauthenticatedPing2375 !== undefined) readings.unauthenticatedPing2375 = spec.unauthenticatedPing2375;
  if (spec.homeDir !== undefined) readings.homeDir = spec.homeDir;
  if (spec.development !== undefined) readings.development = spec.development;
  return daemonFactsOf(readings);
}

function containerRuleFor(policy: string): ContainerRule {
  const rule = containerRules.find((r) => r.ids.includes(policy));
  if (!rule) throw new Error(`no container rule evaluates ${policy}`);
  return rule;
}

function daemonRuleFor(policy: string): DaemonRule {
  const rule = daemonRules.find((r) => r.ids.includes(policy));
  if (!rule) throw new Error(`no daemon rule evaluates ${policy}`);
  return rule;
}

/** The raw findings of one container policy for the container (from its rule, filtered to the policy). */
export function containerFindings(policy: string, facts: ContainerFacts, host: HostContext = {}): RawRuntimeFinding[] {
  return containerRuleFor(policy)
    .evaluate(facts, host)
    .filter((f) => f.policy === policy);
}

/** Every container rule's raw findings for the container. */
export function allContainerFindings(facts: ContainerFacts, host: HostContext = {}): RawRuntimeFinding[] {
  return containerRules.flatMap((r) => r.evaluate(facts, host));
}

/** The raw findings of one daemon policy. */
export function daemonFindings(policy: string, facts: DaemonFacts): RawRuntimeFinding[] {
  return daemonRuleFor(policy)
    .evaluate(facts)
    .filter((f) => f.policy === policy);
}

export { hostContext };
