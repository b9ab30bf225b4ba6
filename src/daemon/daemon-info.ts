// What the daemon rules read, gathered through the API and the endpoint alone:
// GET /info and /version; the socket file's mode when the endpoint is a unix
// socket (always on this machine; skipped when it cannot be stat'ed); and
// whether tcp://127.0.0.1:2375 answers an unauthenticated GET /_ping (Docker
// Desktop's "expose daemon without TLS"). That probe only ever goes to
// 127.0.0.1, and only when the audited daemon is itself local.
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { homedir } from 'node:os';
import type { Endpoint } from '../plugin/endpoint.js';
import { endpointFactsOf, type DaemonReadings } from '../runtime/inspect-facts.js';
import { daemonError, withTimeout } from './errors.js';
import type { DaemonContext } from './inspect.js';

/** Docker's plain-HTTP port: what Docker Desktop's "expose daemon without TLS" opens on localhost. */
export const UNAUTHENTICATED_PORT = 2375;
export const LOOPBACK = '127.0.0.1';

export interface ReadDaemonOptions {
  /** Probe tcp://127.0.0.1:2375 (default: when the endpoint is local). */
  probe2375?: boolean;
  /** Limit of that probe, ms (default 1000). */
  pingTimeoutMs?: number;
  /** The user's home directory on the daemon's host (default: this machine's, when the endpoint is local). */
  homeDir?: string;
  /** True/false when the caller knows whether this is a development daemon. */
  development?: boolean;
}

/** The readings daemonFactsOf needs, from the daemon behind `endpoint`. */
export async function readDaemon(ctx: DaemonContext, endpoint: Endpoint, now: Date, options: ReadDaemonOptions = {}): Promise<DaemonReadings> {
  const facts = endpointFactsOf(endpoint, endpoint.url);
  const [info, version] = await Promise.all([
    call(ctx, () => ctx.docker.info() as Promise<unknown>, 'the daemon information (/info)'),
    call(ctx, () => ctx.docker.version() as Promise<unknown>, 'the daemon version (/version)'),
  ]);
  // This machine's daemon: a unix socket, a local named pipe, tcp to loopback (not ssh, even to localhost).
  const local = facts.isLoopback && endpoint.kind !== 'ssh';
  const [socket, ping] = await Promise.all([
    endpoint.kind === 'unix' ? socketMode(endpoint.socketPath) : Promise.resolve(undefined),
    (options.probe2375 ?? local) ? pingLoopback(UNAUTHENTICATED_PORT, options.pingTimeoutMs ?? 1000) : Promise.resolve(undefined),
  ]);
  const readings: DaemonReadings = { info, version, endpoint: facts, now };
  if (socket) readings.socket = socket;
  if (ping !== undefined) readings.unauthenticatedPing2375 = ping;
  const home = options.homeDir ?? (local ? safeHomedir() : undefined);
  if (home) readings.homeDir = home;
  if (options.development !== undefined) readings.development = options.development;
  return readings;
}

async function call<T>(ctx: DaemonContext, fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await withTimeout(fn(), ctx.timeoutMs, what);
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { what });
  }
}

/** The socket's st_mode, or undefined when it cannot be stat'ed (not there, not ours to see). */
export async function socketMode(path: string): Promise<{ path: string; mode: number } | undefined> {
  try {
    const s = await stat(path);
    return { path, mode: s.mode };
  } catch {
    return undefined;
  }
}

function safeHomedir(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when http://127.0.0.1:PORT/_ping answers 200 without credentials (a
 * Docker API: the body is `OK`, or the reply carries an Api-Version header);
 * false when refused, timed out or anything else. Only ever loopback.
 */
export function pingLoopback(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const req = request({ host: LOOPBACK, port, path: '/_ping', method: 'GET', agent: false, headers: { Connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 64) body += chunk;
      });
      res.on('end', () => done(res.statusCode === 200 && (body.trim() === 'OK' || res.headers['api-version'] !== undefined)));
      res.on('error', () => done(false));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done(false);
    }, timeoutMs);
    timer.unref();
    req.on('error', () => done(false));
    req.end();
  });
}
