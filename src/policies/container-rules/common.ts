// Helpers the container rules share: how a container is named in messages,
// its locations, the parsed --security-opt list, and what it publishes. Pure.
import type { ContainerFacts, PortBinding } from '../../runtime/facts.js';
import { isAllInterfaces } from '../../runtime/net.js';
import type { RawRuntimeFinding, RuntimeLocation } from '../runtime-rule.js';

/** The container's name without the leading slash; its short ID when it has none. */
export function containerName(c: ContainerFacts): string {
  const name = c.Name.replace(/^\//, '');
  return name || c.Id.slice(0, 12);
}

/** `Container web` or `Container web (exited)`: how messages start. */
export function subjectOf(c: ContainerFacts): string {
  const state = c.State.Running ? '' : ` (${c.State.Status && c.State.Status !== 'running' ? c.State.Status : 'stopped'})`;
  return `Container ${containerName(c)}${state}`;
}

export function containerLocation(c: ContainerFacts, field: string): Extract<RuntimeLocation, { kind: 'container' }> {
  return { kind: 'container', container: containerName(c), id: c.Id, field };
}

/** A finding at a container field. */
export function finding(
  c: ContainerFacts,
  policy: string,
  field: string,
  message: string,
  subject?: RawRuntimeFinding['subject'],
): RawRuntimeFinding {
  const raw: RawRuntimeFinding = { policy, message, location: containerLocation(c, field) };
  if (subject) raw.subject = subject;
  return raw;
}

export interface SecurityOption {
  /** As written: `seccomp=unconfined`. */
  text: string;
  /** `seccomp`, `apparmor`, `no-new-privileges`, `label`, `systempaths`… (lower case). */
  key: string;
  /** What follows `=` (or the legacy `:`); `''` for a bare `no-new-privileges`. */
  value: string;
}

/** HostConfig.SecurityOpt parsed: `key=value`, or docker's legacy `key:value`. */
export function securityOptions(c: ContainerFacts): SecurityOption[] {
  return (c.HostConfig.SecurityOpt ?? []).map((text) => {
    const m = /^([^=:]*)[=:]?(.*)$/s.exec(text.trim());
    return { text, key: (m?.[1] ?? '').trim().toLowerCase(), value: (m?.[2] ?? '').trim() };
  });
}

/** `SYS_ADMIN`, `cap_sys_admin`, `CAP_SYS_ADMIN` → `SYS_ADMIN`. */
export function capabilityName(cap: string): string {
  return cap.trim().toUpperCase().replace(/^CAP_/, '');
}

/** One port the container publishes on the host. */
export interface Publication {
  /** The container side, `port/proto`: `22/tcp`. */
  port: string;
  /** `''` (the daemon default: all interfaces), `0.0.0.0`, `::`, `127.0.0.1`… */
  hostIp: string;
  /** `''` when the daemon picks it. */
  hostPort: string;
  /** The inspect field it was read from. */
  field: 'NetworkSettings.Ports' | 'HostConfig.PortBindings' | 'HostConfig.PublishAllPorts';
}

/** `22` → `22/tcp`. */
export function portKey(key: string): string {
  return key.includes('/') ? key.toLowerCase() : `${key}/tcp`;
}

/**
 * What the container publishes: for a running container what is published now
 * (NetworkSettings.Ports), else what it asks for at every start
 * (HostConfig.PortBindings, and `-P` with the image's exposed ports). Nothing
 * for host, none or container:… network modes, where docker publishes nothing.
 */
export function publications(c: ContainerFacts): Publication[] {
  const mode = c.HostConfig.NetworkMode ?? 'default';
  if (mode === 'host' || mode === 'none' || mode.startsWith('container:')) return [];
  const live = bindingsOf(c.NetworkSettings.Ports, 'NetworkSettings.Ports');
  if (c.State.Running && live.length > 0) return live;
  const configured = bindingsOf(c.HostConfig.PortBindings, 'HostConfig.PortBindings');
  if (c.HostConfig.PublishAllPorts) {
    const bound = new Set(configured.map((p) => p.port));
    for (const key of Object.keys(c.Config.ExposedPorts ?? {})) {
      const port = portKey(key);
      if (!bound.has(port)) configured.push({ port, hostIp: '', hostPort: '', field: 'HostConfig.PublishAllPorts' });
    }
  }
  return configured;
}

function bindingsOf(map: Record<string, PortBinding[] | null> | null | undefined, field: Publication['field']): Publication[] {
  const out: Publication[] = [];
  for (const [key, bindings] of Object.entries(map ?? {})) {
    for (const b of bindings ?? []) out.push({ port: portKey(key), hostIp: b.HostIp ?? '', hostPort: b.HostPort ?? '', field });
  }
  return out;
}

/** `0.0.0.0:2222`, `[::]:2222`, `127.0.0.1:8080`, `all interfaces:2222` (daemon default), port `(any)` when the daemon picks it. */
export function hostAddress(p: Publication): string {
  const port = p.hostPort || '(a port the daemon picks)';
  if (p.hostIp === '') return `all interfaces:${port}`;
  return p.hostIp.includes(':') ? `[${p.hostIp}]:${port}` : `${p.hostIp}:${port}`;
}

/** The `-p` option that publishes it, as a user would write it: `-p 2222:22`, `-p 127.0.0.1:8080:80`, `-p 3389:3389/udp`. */
export function publishOption(p: Publication): string {
  const [port, proto] = p.port.split('/');
  const container = proto && proto !== 'tcp' ? `${port}/${proto}` : `${port}`;
  if (p.field === 'HostConfig.PublishAllPorts') return '-P';
  const ip = isAllInterfaces(p.hostIp) ? '' : p.hostIp.includes(':') ? `[${p.hostIp}]:` : `${p.hostIp}:`;
  return `-p ${ip}${p.hostPort ? `${p.hostPort}:` : ''}${container}`;
}

/** Publications of the same container port and host port (0.0.0.0 and :: of one `-p`) as one group. */
export function groupByPort(pubs: Publication[]): Publication[][] {
  const groups = new Map<string, Publication[]>();
  for (const p of pubs) {
    const key = `${p.port} ${p.hostPort} ${p.field}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()];
}
