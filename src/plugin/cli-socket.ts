// The docker CLI's cancellation channel (cli-plugins/socket): when it runs a
// plugin it listens on a unix socket named in DOCKER_CLI_PLUGIN_SOCKET ("@name"
// is a Linux abstract socket). The plugin connects; when the CLI is
// interrupted and its output is not a terminal, it closes the connection
// instead of signalling the plugin, and the plugin should stop. With a
// terminal, the plugin gets SIGINT from the terminal as usual.
import { connect, type Socket } from 'node:net';
import type { Env } from './environment.js';

export const PLUGIN_SOCKET_ENV = 'DOCKER_CLI_PLUGIN_SOCKET';

export interface CliSocket {
  /** Stop listening (call when the command finished). */
  close(): void;
}

/** The path to pass to net.connect for the socket address docker gives. */
export function socketPath(address: string): string {
  return address.startsWith('@') ? `\0${address.slice(1)}` : address;
}

/**
 * Connects to the CLI's socket and calls `onCancel` once when the CLI closes
 * it. undefined when not run by a docker CLI that offers one. Never throws.
 */
export function connectCliSocket(env: Env, onCancel: () => void): CliSocket | undefined {
  const address = env[PLUGIN_SOCKET_ENV];
  if (address === undefined || address === '') return undefined;
  let closedByUs = false;
  let fired = false;
  const socket: Socket = connect({ path: socketPath(address) });
  socket.unref(); // never keeps the process alive
  socket.on('error', () => undefined); // no socket: behave as usual
  socket.on('data', () => undefined);
  socket.on('end', () => {
    if (!closedByUs && !fired) {
      fired = true;
      onCancel();
    }
  });
  return {
    close() {
      closedByUs = true;
      socket.destroy();
    },
  };
}
