import test from 'ava';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { connectCliSocket, PLUGIN_SOCKET_ENV, socketPath } from '../../../src/plugin/cli-socket.js';

test('"@name" is a Linux abstract socket, anything else a path', (t) => {
  t.is(socketPath('@docker_cli_123'), '\0docker_cli_123');
  t.is(socketPath('/tmp/docker_cli_123'), '/tmp/docker_cli_123');
});

test('without DOCKER_CLI_PLUGIN_SOCKET there is nothing to connect to', (t) => {
  t.is(connectCliSocket({}, () => t.fail()), undefined);
});

test('a socket that is not there is ignored', async (t) => {
  const socket = connectCliSocket({ [PLUGIN_SOCKET_ENV]: '/nonexistent/sock' }, () => t.fail());
  t.truthy(socket);
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket?.close();
});

// Like the docker CLI: listen, and close the connection to cancel the plugin.
async function cliServer(address: string): Promise<{ connection: Promise<Socket>; close(): void }> {
  const server = createServer();
  const connection = once(server, 'connection').then(([c]) => c as Socket);
  server.listen(socketPath(address));
  await once(server, 'listening');
  return { connection, close: () => server.close() };
}

test('when the docker CLI closes the connection, the plugin is told to cancel, once', async (t) => {
  const address = `@dsp-test-${process.pid}-${Date.now()}`;
  const cli = await cliServer(address);
  t.teardown(() => cli.close());
  let cancelled = 0;
  const done = new Promise<void>((resolve) => {
    connectCliSocket({ [PLUGIN_SOCKET_ENV]: address }, () => {
      cancelled += 1;
      resolve();
    });
  });
  (await cli.connection).end();
  await done;
  t.is(cancelled, 1);
});

test('closing our side ourselves is not a cancellation', async (t) => {
  const address = `@dsp-test-own-${process.pid}-${Date.now()}`;
  const cli = await cliServer(address);
  t.teardown(() => cli.close());
  const socket = connectCliSocket({ [PLUGIN_SOCKET_ENV]: address }, () => t.fail('cancelled'));
  const server = await cli.connection;
  socket?.close();
  await once(server, 'close');
  t.pass();
});
