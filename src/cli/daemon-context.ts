// Connects to the daemon the docker CLI would use (plugin/endpoint.ts) with
// dockerode. Our own per-call limits (daemon/errors.ts withTimeout, the
// export's idle limit) replace docker-modem's socket timeout, which would
// also cut long exports.
import { COMMAND } from '../plugin/metadata.js';
import '../daemon/lazy-transports.js'; // before dockerode: defers ssh2 and gRPC
import Docker from 'dockerode';
import type { GlobalOptions } from '../plugin/argv.js';
import { resolveEndpoint, type Endpoint } from '../plugin/endpoint.js';
import { dockerodeOptions, withoutModemEnv } from '../plugin/docker-options.js';
import { processInputs } from '../plugin/environment.js';
import type { DaemonContext } from '../daemon/inspect.js';

export interface Connection {
  endpoint: Endpoint;
  context: DaemonContext;
}

export function connectDaemon(global: GlobalOptions, timeoutMs: number): Connection {
  const inputs = processInputs();
  const endpoint = resolveEndpoint(global, inputs);
  for (const w of endpoint.warnings) process.stderr.write(`${COMMAND}: warning: ${w}\n`);
  const options = dockerodeOptions(endpoint, undefined, inputs.env);
  const docker = withoutModemEnv(() => new Docker(options));
  return { endpoint, context: { docker, endpoint: endpoint.display, timeoutMs } };
}
