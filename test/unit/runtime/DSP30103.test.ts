import test from 'ava';
import { daemon, daemonFindings } from '../helpers/runtime-facts.js';

const socket = (mode: number) => daemon({ socket: { path: '/var/run/docker.sock', mode } });

test('DSP30103 fires on a world-writable socket (srw-rw-rw-), with chmod/chown', (t) => {
  const [f, ...rest] = daemonFindings('DSP30103', socket(0o140666));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'daemon', field: 'Socket' });
  t.deepEqual(f!.subject, { path: '/var/run/docker.sock' });
  t.regex(f!.message, /socket \/var\/run\/docker\.sock has mode 0666, world-writable: every local user can connect/);
  t.regex(f!.message, /chmod 660 \/var\/run\/docker\.sock and chown root:docker/);
});

test('DSP30103 fires on a world-readable socket and says what that does and does not allow', (t) => {
  const [f] = daemonFindings('DSP30103', socket(0o664));
  t.regex(f!.message, /mode 0664, world-readable: others cannot connect/);
  t.is(daemonFindings('DSP30103', socket(0o662)).length, 1);
});

test('DSP30103 does not fire on 0660 or 0600, without a socket, or for a remote endpoint', (t) => {
  t.deepEqual(daemonFindings('DSP30103', socket(0o140660)), []);
  t.deepEqual(daemonFindings('DSP30103', socket(0o600)), []);
  const remote = daemon({ endpoint: { url: 'tcp://10.0.0.5:2376', scheme: 'tcp', tls: true, host: '10.0.0.5', isLoopback: false } });
  t.deepEqual(daemonFindings('DSP30103', { ...remote, socket: undefined }), []);
  t.deepEqual(daemonFindings('DSP30103', remote), [], 'a socket stat only counts for the unix endpoint in use');
});
