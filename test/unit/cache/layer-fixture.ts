// Synthetic layers for the layer-cache tests (also imported by the child
// processes of the concurrent-writer test, so no ava here).
import type { LayerContents, LayerEntry } from '../../../src/image/layer-reader.js';

/** A layer with every entry type, setuid bits, owners, links, whiteouts, opaque dirs and captured contents. */
export function sampleLayer(extraFiles = 0): LayerContents {
  const entries: LayerEntry[] = [
    { path: '/', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0 },
    { path: '/etc', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0 },
    { path: '/etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 30 },
    { path: '/etc/shadow', type: 'file', mode: 0o640, uid: 0, gid: 42, size: 12 },
    { path: '/usr', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0 },
    { path: '/usr/bin', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0 },
    { path: '/usr/bin/su', type: 'file', mode: 0o4755, uid: 0, gid: 0, size: 71_000 },
    { path: '/usr/bin/sudo', type: 'hardlink', mode: 0o4755, uid: 0, gid: 0, size: 0, linkTarget: '/usr/bin/su' },
    { path: '/usr/bin/sh', type: 'symlink', mode: 0o777, uid: 0, gid: 0, size: 0, linkTarget: 'busybox' },
    { path: '/dev/null', type: 'char', mode: 0o666, uid: 0, gid: 0, size: 0 },
    { path: '/dev/sda', type: 'block', mode: 0o660, uid: 0, gid: 6, size: 0 },
    { path: '/run/fifo', type: 'fifo', mode: 0o600, uid: 1000, gid: 1000, size: 0 },
    { path: '/weird', type: 'other', mode: 0, uid: 0, gid: 0, size: 0 },
    { path: '/home/ünïcödé/😀 file', type: 'file', mode: 0o600, uid: 65534, gid: 65534, size: 3 },
    { path: '/home/ünïcödé/😁 file', type: 'file', mode: 0o2755, uid: 4_294_967_294, gid: 1, size: 9_007_199_254 },
  ];
  for (let i = 0; i < extraFiles; i++) {
    entries.push({ path: `/usr/share/doc/package-${Math.floor(i / 20)}/file-${i}.txt`, type: 'file', mode: 0o644, uid: 0, gid: 0, size: i });
  }
  return {
    entries,
    whiteouts: ['/var/cache/apt', '/tmp/.wh.odd'],
    opaqueDirs: ['/opt/app'],
    hits: [
      { scanner: 'secrets', kind: 'private-key', path: '/root/.ssh/id_rsa', line: 1, excerpt: '-----BEGIN OPENSSH PRIVATE KEY-----' },
      { scanner: 'secrets', kind: 'keystore', path: '/app/keystore.jks' },
    ],
    contents: new Map([
      ['/etc/passwd', Buffer.from('root:x:0:0:root:/root:/bin/sh\n')],
      ['/etc/shadow', Buffer.from([0, 1, 2, 255, 254, 10, 13, 0, 0, 0, 7, 8])],
    ]),
    bytes: 123_456,
    compression: 'gzip',
  };
}

export const SAMPLE_DIFF_ID = 'sha256:' + 'ab'.repeat(32);
