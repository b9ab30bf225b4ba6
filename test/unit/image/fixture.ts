// The three-layer image most archive tests read: every kind of entry, and
// every way an upper layer changes a lower one. `EXPECTED_FILES` is the
// merged filesystem a container would see.
import type { FileFact } from '../../../src/image/facts.js';
import { device, dir, file, hardlink, imageConfig, layerTar, opaque, symlink, whiteout } from '../helpers/archives.js';
import type { ConfigDocument } from '../../../src/image/layout.js';

export const LONG = 'a-directory-name-long-enough-that-ustar-cannot-hold-it-'.repeat(3); // 165 chars: PAX
export const PASSWD_0 = 'root:x:0:0:root:/root:/bin/sh\n';
export const PASSWD_2 = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n';
export const BUSYBOX = Buffer.alloc(300 * 1024, 'busybox!'); // > 128 KiB: several zstd blocks

export interface Fixture {
  layers: Buffer[];
  config: ConfigDocument;
}

export async function standardImage(): Promise<Fixture> {
  const l0 = await layerTar([
    dir('etc'),
    file('etc/passwd', PASSWD_0),
    file('etc/shadow', 'root:*:19000:0:99999:7:::\n', { mode: 0o640, gid: 42 }),
    dir('bin'),
    file('bin/busybox', BUSYBOX, { mode: 0o755 }),
    hardlink('bin/sh', 'bin/busybox', { mode: 0o755 }),
    symlink('bin/ls', 'busybox'),
    dir('usr'),
    dir('usr/bin'),
    file('usr/bin/passwd', 'passwd', { mode: 0o4755 }),
    file('usr/bin/wall', 'wall', { mode: 0o2755, gid: 5 }),
    dir('var'),
    dir('var/cache'),
    dir('var/cache/apt'),
    file('var/cache/apt/pkgcache.bin', 'cache'),
    dir('var/cache/apt/archives'),
    file('var/cache/apt/archives/x.deb', 'deb'),
    dir('opt'),
    dir('opt/app'),
    file('opt/app/old.txt', 'old'),
    dir('srv'),
    dir('srv/data'),
    file('srv/data/a', 'a'),
    dir('tmp', { mode: 0o1777 }),
    file('tmp/note', 'note'),
    dir('dev'),
    device('char', 'dev/null', { mode: 0o666 }),
  ]);
  const l1 = await layerTar([
    dir('etc'),
    whiteout('etc/shadow'),
    dir('var/cache'),
    whiteout('var/cache/apt'),
    dir('opt/app'),
    opaque('opt/app'),
    file('opt/app/new.txt', 'new'),
    dir('srv'),
    file('srv/data', 'now a file'),
    dir('usr/share'),
    dir('usr/share/doc'),
    dir(`usr/share/doc/${LONG}`),
    file(`usr/share/doc/${LONG}/README`, 'readme'),
    dir('home'),
    dir('home/app', { uid: 1000, gid: 1000, mode: 0o750 }),
    file('home/app/.profile', 'export A=1\n', { uid: 1000, gid: 1000 }),
  ]);
  // Docker writes `./`-less names; other tools write `./etc/passwd`.
  const l2 = await layerTar([
    dir('./etc'),
    file('./etc/passwd', PASSWD_2),
    dir('./var/cache/apt'),
    file('./var/cache/apt/fresh', 'fresh'),
    dir('./tmp', { mode: 0o1777 }),
    whiteout('./tmp/note'),
    file('./tmp/keep', 'keep'),
    whiteout('./tmp/keep'), // same layer: deletes nothing of its own layer
  ]);
  const layers = [l0, l1, l2];
  return { layers, config: imageConfig(layers) };
}

type Row = [path: string, type: FileFact['type'], mode: number, uid: number, gid: number, size: number, layerIndex: number, linkTarget?: string];

const ROWS: Row[] = [
  ['/bin', 'dir', 0o755, 0, 0, 0, 0],
  ['/bin/busybox', 'file', 0o755, 0, 0, BUSYBOX.length, 0],
  ['/bin/ls', 'symlink', 0o777, 0, 0, 0, 0, 'busybox'],
  ['/bin/sh', 'hardlink', 0o755, 0, 0, 0, 0, '/bin/busybox'],
  ['/dev', 'dir', 0o755, 0, 0, 0, 0],
  ['/dev/null', 'char', 0o666, 0, 0, 0, 0],
  ['/etc', 'dir', 0o755, 0, 0, 0, 2],
  ['/etc/passwd', 'file', 0o644, 0, 0, PASSWD_2.length, 2],
  ['/home', 'dir', 0o755, 0, 0, 0, 1],
  ['/home/app', 'dir', 0o750, 1000, 1000, 0, 1],
  ['/home/app/.profile', 'file', 0o644, 1000, 1000, 11, 1],
  ['/opt', 'dir', 0o755, 0, 0, 0, 0],
  ['/opt/app', 'dir', 0o755, 0, 0, 0, 1],
  ['/opt/app/new.txt', 'file', 0o644, 0, 0, 3, 1],
  ['/srv', 'dir', 0o755, 0, 0, 0, 1],
  ['/srv/data', 'file', 0o644, 0, 0, 10, 1],
  ['/tmp', 'dir', 0o1777, 0, 0, 0, 2],
  ['/tmp/keep', 'file', 0o644, 0, 0, 4, 2],
  ['/usr', 'dir', 0o755, 0, 0, 0, 0],
  ['/usr/bin', 'dir', 0o755, 0, 0, 0, 0],
  ['/usr/bin/passwd', 'file', 0o4755, 0, 0, 6, 0],
  ['/usr/bin/wall', 'file', 0o2755, 0, 5, 4, 0],
  ['/usr/share', 'dir', 0o755, 0, 0, 0, 1],
  ['/usr/share/doc', 'dir', 0o755, 0, 0, 0, 1],
  [`/usr/share/doc/${LONG}`, 'dir', 0o755, 0, 0, 0, 1],
  [`/usr/share/doc/${LONG}/README`, 'file', 0o644, 0, 0, 6, 1],
  ['/var', 'dir', 0o755, 0, 0, 0, 0],
  ['/var/cache', 'dir', 0o755, 0, 0, 0, 1],
  ['/var/cache/apt', 'dir', 0o755, 0, 0, 0, 2],
  ['/var/cache/apt/fresh', 'file', 0o644, 0, 0, 5, 2],
];

export const EXPECTED_FILES: FileFact[] = ROWS.map(([path, type, mode, uid, gid, size, layerIndex, linkTarget]) => {
  const fact: FileFact = { path, type, mode, uid, gid, size, layerIndex };
  if (linkTarget !== undefined) fact.linkTarget = linkTarget;
  return fact;
}).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
