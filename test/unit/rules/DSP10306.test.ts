import test from 'ava';
import { DEBIAN_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';
import type { LayerScanHit } from '../../../src/image/file-scanner.js';
import { readLayer } from '../../../src/image/layer-reader.js';
import { sshKeyScanner } from '../../../src/policies/rules/remote-login/DSP10306-07-ssh-keys.js';
import { chunked, file, layerTar } from '../helpers/archives.js';

const HISTORY = [
  ...DEBIAN_BASE,
  'RUN /bin/sh -c apt-get install -y openssh-server # buildkit',
  'COPY id_rsa.pub /root/.ssh/authorized_keys # buildkit',
  'RUN /bin/sh -c rm -f /etc/ssh/ssh_host_* # buildkit',
];

const hit = (path: string, kind: string, layerIndex: number): LayerScanHit => ({ scanner: 'ssh-keys', kind, path, layerIndex });

test('DSP10306 fires on /root/.ssh/authorized_keys copied in by the own build', (t) => {
  const [f, ...rest] = findingsOf('DSP10306', {
    history: HISTORY,
    files: [{ path: '/usr/sbin/sshd', layerIndex: 1 }, { path: '/root/.ssh/authorized_keys', mode: 0o600, size: 400, layerIndex: 2 }],
    scanHits: [hit('/root/.ssh/authorized_keys', 'authorized-keys', 2)],
  });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/root/.ssh/authorized_keys is baked into the image: whoever holds a matching private key can log in as root ' +
      'wherever a container runs an SSH server; written by layer 2, step 3 (COPY id_rsa.pub /root/.ssh/authorized_keys)',
  );
  t.deepEqual(f!.location, {
    kind: 'file',
    path: '/root/.ssh/authorized_keys',
    layer: diffIdOf(2),
    layerIndex: 2,
    historyIndex: 3,
    instruction: 'COPY id_rsa.pub /root/.ssh/authorized_keys',
  });
  t.deepEqual(f!.subject, { path: '/root/.ssh/authorized_keys' });
  t.false(f!.inherited);
});

test('DSP10306 names the home of any account and says when no SSH server is installed', (t) => {
  const findings = findingsOf('DSP10306', {
    history: HISTORY,
    files: [{ path: '/home/deploy/.ssh/authorized_keys2', layerIndex: 2 }, { path: '/var/lib/git/.ssh/authorized_keys', layerIndex: 2 }],
    scanHits: [hit('/var/lib/git/.ssh/authorized_keys', 'authorized-keys', 2), hit('/home/deploy/.ssh/authorized_keys2', 'authorized-keys', 2)],
  });
  t.deepEqual(
    findings.map((f) => f.message.split(';')[0]),
    [
      '/home/deploy/.ssh/authorized_keys2 is baked into the image: whoever holds a matching private key can log in as deploy (home /home/deploy) wherever a container runs an SSH server (none is installed now)',
      '/var/lib/git/.ssh/authorized_keys is baked into the image: whoever holds a matching private key can log in as the account whose home is /var/lib/git wherever a container runs an SSH server (none is installed now)',
    ],
  );
});

test('DSP10307 fires on host keys that a later RUN deleted: their bytes still ship in the install layer', (t) => {
  const findings = findingsOf('DSP10307', {
    history: HISTORY,
    files: [{ path: '/usr/sbin/sshd', layerIndex: 1 }],
    scanHits: [hit('/etc/ssh/ssh_host_ed25519_key', 'host-key', 1), hit('/etc/ssh/ssh_host_rsa_key', 'host-key', 1)],
  });
  t.deepEqual(findings.map((f) => f.subject?.path), ['/etc/ssh/ssh_host_ed25519_key', '/etc/ssh/ssh_host_rsa_key']);
  t.is(
    findings[0]!.message,
    '/etc/ssh/ssh_host_ed25519_key is an SSH host private key baked into the image: every container from it has the same host identity, ' +
      'so anyone with the image can impersonate any of them to SSH clients (a man in the middle); ' +
      'added by layer 1, step 2 (RUN apt-get install -y openssh-server) and deleted by a later layer, but its bytes still ship in layer 1',
  );
});

test('DSP10307 reports a host key still present once, at the layer the merged view has, and Dropbear keys too', (t) => {
  const findings = findingsOf('DSP10307', {
    history: HISTORY,
    files: [{ path: '/etc/ssh/ssh_host_ecdsa_key', layerIndex: 3 }, { path: '/etc/dropbear/dropbear_ed25519_host_key', layerIndex: 0 }],
    scanHits: [
      hit('/etc/dropbear/dropbear_ed25519_host_key', 'host-key', 0),
      hit('/etc/ssh/ssh_host_ecdsa_key', 'host-key', 1),
      hit('/etc/ssh/ssh_host_ecdsa_key', 'host-key', 3),
    ],
  });
  t.deepEqual(
    findings.map((f) => [f.subject?.path, f.location.kind === 'file' ? f.location.layerIndex : -1, f.inherited]),
    [
      ['/etc/dropbear/dropbear_ed25519_host_key', 0, true],
      ['/etc/ssh/ssh_host_ecdsa_key', 3, false],
    ],
  );
  t.regex(findings[1]!.message, /; written by layer 3, step 4 \(RUN rm -f \/etc\/ssh\/ssh_host_\*\)$/);
});

test('DSP10306 and DSP10307 do not fire without scanner hits (public keys, known_hosts and empty files are not wanted)', (t) => {
  const spec = {
    history: HISTORY,
    files: [{ path: '/etc/ssh/ssh_host_rsa_key.pub' }, { path: '/root/.ssh/known_hosts' }, { path: '/root/.ssh/authorized_keys', size: 0 }],
  };
  t.deepEqual(findingsOf('DSP10306', spec), []);
  t.deepEqual(findingsOf('DSP10307', spec), []);
});

test('the ssh-keys scanner wants private host keys and non-empty authorized_keys, by name alone', async (t) => {
  const tar = await layerTar([
    file('etc/ssh/ssh_host_ed25519_key', '-----BEGIN OPENSSH PRIVATE KEY-----\n'),
    file('etc/ssh/ssh_host_ed25519_key.pub', 'ssh-ed25519 AAAA'),
    file('etc/ssh/keys/ssh_host_x_key', 'x'),
    file('home/app/.ssh/authorized_keys', 'ssh-ed25519 AAAA app@laptop\n'),
    file('root/.ssh/authorized_keys', ''),
    file('root/.ssh/id_ed25519', 'private'),
  ]);
  const layer = await readLayer(chunked(tar, 64), { wants: () => false, maxBytes: 0, paths: [], scanners: [sshKeyScanner] });
  t.deepEqual(layer.hits, [
    { scanner: 'ssh-keys', kind: 'host-key', path: '/etc/ssh/ssh_host_ed25519_key' },
    { scanner: 'ssh-keys', kind: 'authorized-keys', path: '/home/app/.ssh/authorized_keys' },
  ]);
});
