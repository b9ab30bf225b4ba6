// Daemon host strings: docker's normalisation of -H / DOCKER_HOST (opts/hosts.go
// ParseHost) and the split of a host URL into what a client needs to connect.
import { PluginError } from './errors.js';

export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';
export const DEFAULT_HOST = `unix://${DEFAULT_UNIX_SOCKET}`;
export const DEFAULT_NAMED_PIPE = '//./pipe/docker_engine';
export const DEFAULT_HTTP_PORT = 2375;
export const DEFAULT_TLS_PORT = 2376;
const DEFAULT_TCP_HOST = `tcp://localhost:${DEFAULT_HTTP_PORT}`;
const DEFAULT_TLS_HOST = `tcp://localhost:${DEFAULT_TLS_PORT}`;

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** false: encrypt but accept any server certificate (--tlsverify=false, SkipTLSVerify). */
  verify: boolean;
}

export type EndpointTarget =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsMaterial }
  | { kind: 'npipe'; path: string }
  | { kind: 'ssh'; host: string; port?: number; user?: string };

/**
 * docker's ParseHost: the host the CLI connects to for -H / DOCKER_HOST.
 * Empty → the unix socket, or tcp://localhost:2376 when TLS is on; a bare
 * address is tcp; a tcp address without port gets 2375 (even with TLS, as
 * docker does). Throws PluginError with docker's reason.
 */
export function parseDockerHost(value: string | undefined, defaultToTLS: boolean): string {
  const host = (value ?? '').trim();
  if (host === '') return defaultToTLS ? DEFAULT_TLS_HOST : DEFAULT_HOST;
  const sep = host.indexOf('://');
  const proto = sep === -1 ? 'tcp' : host.slice(0, sep);
  const addr = sep === -1 ? host : host.slice(sep + 3);
  switch (proto) {
    case 'tcp':
      return parseTcpAddr(addr, host);
    case 'unix':
      return simpleProtoAddr('unix', addr, DEFAULT_UNIX_SOCKET);
    case 'npipe':
      return simpleProtoAddr('npipe', addr, DEFAULT_NAMED_PIPE);
    case 'ssh':
    case 'fd':
      return host;
    default:
      throw new PluginError(`invalid bind address format: ${host}`);
  }
}

function simpleProtoAddr(proto: string, addr: string, fallback: string): string {
  if (addr.includes('://')) throw new PluginError(`invalid proto, expected ${proto}: ${addr}`);
  return `${proto}://${addr === '' ? fallback : addr}`;
}

function parseTcpAddr(addr: string, original: string): string {
  if (addr === '') return DEFAULT_TCP_HOST;
  if (addr.includes('://')) throw new PluginError(`invalid proto, expected tcp: ${original}`);
  const slash = addr.indexOf('/');
  const hostPort = slash === -1 ? addr : addr.slice(0, slash);
  const path = slash === -1 ? '' : addr.slice(slash);
  const split = splitHostPort(hostPort.endsWith(']:') ? `${hostPort}${DEFAULT_HTTP_PORT}` : hostPort, DEFAULT_HTTP_PORT);
  if (split === undefined) throw new PluginError(`invalid bind address format: ${original}`);
  const host = split.host === '' ? 'localhost' : split.host;
  return `tcp://${joinHostPort(host, split.port)}${path}`;
}

/**
 * Go's net.SplitHostPort, retried once with the default port added (as
 * ParseTCPAddr does). undefined when the address does not parse.
 */
export function splitHostPort(hostPort: string, defaultPort: number): { host: string; port: number } | undefined {
  const direct = splitStrict(hostPort);
  const split = direct ?? splitStrict(joinHostPort(hostPort, String(defaultPort)));
  if (split === undefined) return undefined;
  const portText = split.port === '' ? String(defaultPort) : split.port;
  if (!/^\d+$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  return { host: split.host, port };
}

function splitStrict(hostPort: string): { host: string; port: string } | undefined {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1 || hostPort[close + 1] !== ':') return undefined;
    return { host: hostPort.slice(1, close), port: hostPort.slice(close + 2) };
  }
  const colon = hostPort.lastIndexOf(':');
  if (colon === -1 || hostPort.indexOf(':') !== colon) return undefined; // missing port, or too many colons
  return { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}

function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * What to connect to for a host URL (normalised or taken from a context).
 * A tcp host without port (possible in a context) gets 2376 with TLS, else
 * 2375. A missing unix path means the default socket.
 */
export function hostTarget(url: string, tls: boolean): EndpointTarget {
  const sep = url.indexOf('://');
  if (sep === -1) throw new PluginError(`unable to parse docker host "${url}": expected unix://, tcp://, ssh:// or npipe://`);
  const proto = url.slice(0, sep);
  const rest = url.slice(sep + 3);
  switch (proto) {
    case 'unix':
      return { kind: 'unix', socketPath: rest === '' ? DEFAULT_UNIX_SOCKET : rest };
    case 'npipe':
      return { kind: 'npipe', path: rest === '' ? DEFAULT_NAMED_PIPE : rest };
    case 'tcp': {
      const hostPort = rest.split('/')[0]!;
      const split = splitHostPort(hostPort, tls ? DEFAULT_TLS_PORT : DEFAULT_HTTP_PORT);
      if (split === undefined || split.host === '') throw new PluginError(`invalid bind address format: ${url}`);
      return { kind: 'tcp', host: split.host, port: split.port };
    }
    case 'ssh':
      return sshTarget(url);
    case 'fd':
      throw new PluginError(`unsupported docker host "${url}": fd:// is for the daemon, not a client`);
    default:
      throw new PluginError(`invalid bind address format: ${url}`);
  }
}

function sshTarget(url: string): EndpointTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PluginError(`invalid ssh host "${url}": expected ssh://[user@]host[:port]`);
  }
  if (parsed.hostname === '') throw new PluginError(`invalid ssh host "${url}": no host name`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    kind: 'ssh',
    host,
    ...(parsed.port === '' ? {} : { port: Number(parsed.port) }),
    ...(parsed.username === '' ? {} : { user: decodeURIComponent(parsed.username) }),
  };
}
