// From what the Engine API returns to the runtime facts the rules read: keeps
// only the fields the rules use and gives loosely typed API fields (dockerode
// types several as `any`, /info not at all) their exact shape. Pure: the
// caller does the I/O (inspect, info, version, stat of the socket, the ping).
import type { ContainerInspectInfo } from 'dockerode';
import type { EndpointTarget } from '../plugin/docker-host.js';
import type { ContainerFacts, ContainerMount, DaemonFacts, EndpointFacts, IndexConfig, PortBinding, PortMap } from './facts.js';
import { isLoopbackHost } from './net.js';

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null;
}

function portMap(value: unknown): PortMap | null {
  const map = obj(value);
  if (!map) return null;
  const out: PortMap = {};
  for (const [key, bindings] of Object.entries(map)) {
    if (!Array.isArray(bindings)) {
      out[key] = null;
      continue;
    }
    out[key] = bindings.flatMap((b): PortBinding[] => {
      const o = obj(b);
      if (!o) return [];
      const binding: PortBinding = {};
      const ip = str(o.HostIp);
      const port = str(o.HostPort);
      if (ip !== undefined) binding.HostIp = ip;
      if (port !== undefined) binding.HostPort = port;
      return [binding];
    });
  }
  return out;
}

/** The container facts of one inspect result; `imageUser` is the image's Config.User when known. */
export function containerFactsOf(info: ContainerInspectInfo, imageUser?: string): ContainerFacts {
  const raw = info as unknown as Json;
  const config = obj(raw.Config) ?? {};
  const host = obj(raw.HostConfig) ?? {};
  const state = obj(raw.State) ?? {};
  const network = obj(raw.NetworkSettings) ?? {};
  const exposed = obj(config.ExposedPorts);
  const exposedPorts = exposed ? Object.fromEntries(Object.keys(exposed).map((k): [string, object] => [k, {}])) : null;

  const hostConfig: ContainerFacts['HostConfig'] = {
    CapAdd: strings(host.CapAdd),
    CapDrop: strings(host.CapDrop),
    SecurityOpt: strings(host.SecurityOpt),
    PortBindings: portMap(host.PortBindings),
    Binds: strings(host.Binds),
    PidsLimit: num(host.PidsLimit) ?? null,
  };
  for (const key of ['Privileged', 'ReadonlyRootfs', 'PublishAllPorts'] as const) {
    const v = bool(host[key]);
    if (v !== undefined) hostConfig[key] = v;
  }
  for (const key of ['NetworkMode', 'PidMode', 'IpcMode', 'UTSMode'] as const) {
    const v = str(host[key]);
    if (v !== undefined) hostConfig[key] = v;
  }
  const memory = num(host.Memory);
  if (memory !== undefined) hostConfig.Memory = memory;

  const mounts: ContainerMount[] = (Array.isArray(raw.Mounts) ? raw.Mounts : []).flatMap((m): ContainerMount[] => {
    const o = obj(m);
    if (!o) return [];
    const mount: ContainerMount = {
      Type: str(o.Type) ?? '',
      Source: str(o.Source) ?? '',
      Destination: str(o.Destination) ?? '',
      RW: bool(o.RW) ?? true,
    };
    const name = str(o.Name);
    if (name) mount.Name = name;
    return [mount];
  });

  const facts: ContainerFacts = {
    Id: str(raw.Id) ?? '',
    Name: str(raw.Name) ?? '',
    Config: { User: str(config.User) ?? '', Image: str(config.Image) ?? str(raw.Image) ?? '', ExposedPorts: exposedPorts },
    HostConfig: hostConfig,
    Mounts: mounts,
    NetworkSettings: { Ports: portMap(network.Ports) },
    State: { Running: bool(state.Running) ?? false },
  };
  const platform = str(raw.Platform);
  if (platform) facts.Platform = platform;
  const status = str(state.Status);
  if (status) facts.State.Status = status;
  if (imageUser !== undefined) facts.imageUser = imageUser;
  return facts;
}

/** The endpoint facts of a resolved endpoint (src/plugin/endpoint.ts) and its URL. */
export function endpointFactsOf(target: EndpointTarget, url: string): EndpointFacts {
  switch (target.kind) {
    case 'unix':
      return { url, scheme: 'unix', tls: false, host: '', isLoopback: true };
    case 'npipe':
      // `//./pipe/…` is local; `//server/pipe/…` reaches another machine.
      return { url, scheme: 'npipe', tls: false, host: '', isLoopback: /^[/\\]{2}\.[/\\]/.test(target.path) };
    case 'tcp':
      return { url, scheme: 'tcp', tls: target.tls !== undefined, host: target.host, isLoopback: isLoopbackHost(target.host) };
    case 'ssh':
      return { url, scheme: 'ssh', tls: false, host: target.host, isLoopback: isLoopbackHost(target.host) };
  }
}

export interface DaemonReadings {
  /** GET /info, as the API returned it. */
  info: unknown;
  /** GET /version (dockerode's DockerVersion, or the raw JSON). */
  version: unknown;
  endpoint: EndpointFacts;
  socket?: { path: string; mode: number };
  unauthenticatedPing2375?: boolean;
  homeDir?: string;
  development?: boolean;
  now: Date;
}

/** The daemon facts of /info, /version and what the caller learnt about the endpoint. */
export function daemonFactsOf(readings: DaemonReadings): DaemonFacts {
  const info = obj(readings.info) ?? {};
  const version = obj(readings.version) ?? {};
  const registry = obj(info.RegistryConfig);
  const indexConfigs = obj(registry?.IndexConfigs);
  const swarm = obj(info.Swarm);

  const facts: DaemonFacts = {
    info: { SecurityOptions: strings(info.SecurityOptions) },
    version: {},
    endpoint: readings.endpoint,
    now: readings.now,
  };
  const i = facts.info;
  const liveRestore = bool(info.LiveRestoreEnabled);
  if (liveRestore !== undefined) i.LiveRestoreEnabled = liveRestore;
  const debug = bool(info.Debug);
  if (debug !== undefined) i.Debug = debug;
  if (registry) {
    const configs: Record<string, IndexConfig> = {};
    for (const [key, value] of Object.entries(indexConfigs ?? {})) {
      const o = obj(value);
      if (!o) continue;
      const entry: IndexConfig = { Name: str(o.Name) ?? key, Secure: bool(o.Secure) ?? true, Mirrors: strings(o.Mirrors) };
      const official = bool(o.Official);
      if (official !== undefined) entry.Official = official;
      configs[key] = entry;
    }
    i.RegistryConfig = { InsecureRegistryCIDRs: strings(registry.InsecureRegistryCIDRs), IndexConfigs: configs };
  }
  for (const key of ['ServerVersion', 'OperatingSystem', 'OSType', 'Name'] as const) {
    const v = str(info[key]);
    if (v !== undefined) i[key] = v;
  }
  const nodeState = str(swarm?.LocalNodeState);
  if (nodeState !== undefined) i.Swarm = { LocalNodeState: nodeState };

  for (const key of ['Version', 'ApiVersion', 'Os'] as const) {
    const v = str(version[key]);
    if (v !== undefined) facts.version[key] = v;
  }
  if (Array.isArray(version.Components)) {
    facts.version.Components = version.Components.flatMap((c) => {
      const o = obj(c);
      const name = str(o?.Name);
      if (!o || name === undefined) return [];
      const v = str(o.Version);
      return [v === undefined ? { Name: name } : { Name: name, Version: v }];
    });
  }

  if (readings.socket) facts.socket = readings.socket;
  if (readings.unauthenticatedPing2375 !== undefined) facts.unauthenticatedPing2375 = readings.unauthenticatedPing2375;
  if (readings.homeDir) facts.homeDir = readings.homeDir;
  if (readings.development !== undefined) facts.development = readings.development;
  return facts;
}
