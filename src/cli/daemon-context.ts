// Connects to the daemon the docker CLI would use (see plugin/endpoint.ts).
import Docker from 'dockerode';
import type { GlobalOptions } from '../plugin/argv.js';
import type { DaemonContext } from '../daemon/inspect.js';

export interface Connection {
  context: DaemonContext;
}

export function connectDaemon(_global: GlobalOptions, timeoutMs: number): Connection {
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const docker = new Docker({ socketPath: host.replace(/^unix:\/\//, '') });
  return { context: { docker, endpoint: host, timeoutMs } };
}
