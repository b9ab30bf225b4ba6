// From a resolved Endpoint to the options of `new Docker(...)` (dockerode 4 /
// docker-modem 5).
//
// docker-modem merges its own defaults from DOCKER_HOST, DOCKER_CERT_PATH,
// DOCKER_TLS_VERIFY and DOCKER_CLIENT_TIMEOUT *under* the options given, and
// a `host` left over from DOCKER_HOST would win over our `socketPath`. So
// every connection key is set here, explicitly undefined when unused.
// Construct the client inside `withoutModemEnv` as well: the modem's default
// step reads DOCKER_CERT_PATH files and parses DOCKER_HOST, and throws on bad
// values even when the endpoint came from --context.
import type { Agent } from 'node:https';
import type Docker from 'dockerode';
import type { Endpoint } from './endpoint.js';
import type { Env } from './environment.js';
import { lazyModule } from '../lazy-module.js';
import { defaultCasWithExtra } from './extra-ca.js';

// Only an https endpoint that skips verification needs an Agent (start-up time).
const https = lazyModule<typeof import('node:https')>('node:https');

/** dockerode's options plus `agent`, which docker-modem honours but the types omit. */
export type DockerodeOptions = Docker.DockerOptions & { agent?: Agent | undefined };

export function dockerodeOptions(endpoint: Endpoint, timeoutMs?: number, env: Env = {}): DockerodeOptions {
  // docker-modem's `timeout` is an idle-socket timeout on every request,
  // event and export streams included: leave it undefined for long streams.
  const none: DockerodeOptions = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    username: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    agent: undefined,
    timeout: timeoutMs !== undefined && timeoutMs > 0 ? timeoutMs : undefined,
  };
  switch (endpoint.kind) {
    case 'unix':
      return { ...none, socketPath: endpoint.socketPath, protocol: 'http' };
    case 'npipe':
      return { ...none, socketPath: endpoint.path, protocol: 'http' };
    case 'tcp': {
      const tls = endpoint.tls;
      if (tls === undefined) return { ...none, host: endpoint.host, port: endpoint.port, protocol: 'http' };
      // Verified against Node's default CAs when the endpoint has none: those include the launcher's extra ones.
      const material = { ca: tls.ca ?? (tls.verify ? defaultCasWithExtra(env) : undefined), cert: tls.cert, key: tls.key };
      return {
        ...none,
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'https',
        ...material,
        // The modem passes no rejectUnauthorized; an agent carries it.
        agent: tls.verify ? undefined : new (https().Agent)({ ...material, rejectUnauthorized: false }),
      };
    }
    case 'ssh':
      return {
        ...none,
        host: endpoint.host,
        port: endpoint.port ?? 22,
        protocol: 'ssh',
        username: endpoint.user,
        sshOptions: { agent: env.SSH_AUTH_SOCK },
      };
  }
}

/** The variables docker-modem reads while constructing a client. */
export const MODEM_ENV_VARS = ['DOCKER_HOST', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'DOCKER_CLIENT_TIMEOUT', 'DOCKER_PATH_PREFIX'] as const;

/**
 * Runs `make` (e.g. `() => new Docker(options)`) with the modem's environment
 * variables hidden, then puts them back. The endpoint has already accounted
 * for them.
 */
export function withoutModemEnv<T>(make: () => T, env: NodeJS.ProcessEnv = process.env): T {
  const saved = new Map<string, string>();
  for (const name of MODEM_ENV_VARS) {
    const value = env[name];
    if (value !== undefined) {
      saved.set(name, value);
      delete env[name];
    }
  }
  try {
    return make();
  } finally {
    for (const [name, value] of saved) env[name] = value;
  }
}
