// Connects to the daemon the docker CLI would use (plugin/endpoint.ts) with
// dockerode. Our own per-call limits (daemon/errors.ts withTimeout, the
// export's idle limit) replace docker-modem's socket timeout, which would
// also cut long exports.
import { COMMAND } from '../plugin/metadata.js';
import { createRequire } from 'node:module';
import '../daemon/lazy-transports.js'; // before dockerode: defers ssh2 and gRPC
import type Docker from 'dockerode';
import type { GlobalOptions } from '../plugin/argv.js';
import { resolveEndpoint, type Endpoint } from '../plugin/endpoint.js';
import { dockerodeOptions, withoutModemEnv } from '../plugin/docker-options.js';
import { processInputs } from '../plugin/environment.js';
import type { DaemonContext } from '../daemon/inspect.js';

// Required, not imported (after lazy-transports, as every static import runs
// first): importing a CommonJS package makes Node scan its source for export
// names, 44 KB for dockerode's main file, and V8 then optimised that scanner
// on the other core, ~20 ms of every start-up.
const DockerClient = createRequire(import.meta.url)('dockerode') as typeof Docker;

export interface Connection {
  endpoint: Endpoint;
  context: DaemonContext;
}

/** `--timeout`'s default, in seconds: how long the daemon may stay silent. */
export const DEFAULT_TIMEOUT_S = 120;

// One client per process and global options: the one the image list was asked ahead with is the command's.
const clients = new WeakMap<GlobalOptions, { endpoint: Endpoint; docker: Docker }>();

/** The endpoint and client for these global options, made on first use. Throws as resolveEndpoint does. */
function clientFor(global: GlobalOptions): { endpoint: Endpoint; docker: Docker } {
  let client = clients.get(global);
  if (!client) {
    const inputs = processInputs();
    const endpoint = resolveEndpoint(global, inputs);
    const options = dockerodeOptions(endpoint, undefined, inputs.env);
    client = { endpoint, docker: withoutModemEnv(() => new DockerClient(options)) };
    clients.set(global, client);
  }
  return client;
}

/** The connection for these global options, its endpoint's warnings not said (connectDaemon says them). */
export function connection(global: GlobalOptions, timeoutMs: number): Connection {
  const { endpoint, docker } = clientFor(global);
  return { endpoint, context: { docker, endpoint: endpoint.display, timeoutMs } };
}

export function connectDaemon(global: GlobalOptions, timeoutMs: number): Connection {
  const made = connection(global, timeoutMs);
  for (const w of made.endpoint.warnings) process.stderr.write(`${COMMAND}: warning: ${w}\n`);
  return made;
}
