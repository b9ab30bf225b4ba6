import test from 'ava';
import { NO_CONTENT, readLayer } from '../../../src/image/layer-reader.js';
import { sniffCompression } from '../../../src/image/compression.js';
import { mergeLayers } from '../../../src/image/merge.js';
import {
  HAVE_NATIVE_ZSTD,
  chunked,
  device,
  dir,
  file,
  gzip,
  hardlink,
  layerTar,
  manyFilesLayer,
  mergedFiles,
  ociArchive,
  legacyArchive,
  imageConfig,
  readImages,
  symlink,
  wantPaths,
  whiteout,
  zstd,
  zstdNative,
} from '../helpers/archives.js';
import { PASSWD_2, standardImage } from './fixture.js';

test('hardlinks keep their target as an absolute image path; symlinks keep theirs as written', async (t) => {
  const tar = await layerTar([
    dir('bin'),
    file('bin/busybox', 'elf', { mode: 0o755 }),
    hardlink('bin/sh', 'bin/busybox'),
    hardlink('./bin/ash', './bin/busybox'),
    symlink('bin/ls', 'busybox'),
    symlink('bin/abs', '/usr/bin/env'),
  ]);
  const layer = await readLayer(chunked(tar), NO_CONTENT);
  const by = new Map(layer.entries.map((e) => [e.path, e]));
  t.like(by.get('/bin/sh'), { type: 'hardlink', linkTarget: '/bin/busybox', size: 0 });
  t.like(by.get('/bin/ash'), { type: 'hardlink', linkTarget: '/bin/busybox' });
  t.like(by.get('/bin/ls'), { type: 'symlink', linkTarget: 'busybox' });
  t.like(by.get('/bin/abs'), { type: 'symlink', linkTarget: '/usr/bin/env' });
  t.is(by.get('/bin/busybox')?.linkTarget, undefined);
});

test('setuid, setgid and sticky bits survive; uid and gid are kept', async (t) => {
  const tar = await layerTar([
    file('usr/bin/passwd', 'x', { mode: 0o4755 }),
    file('usr/bin/wall', 'x', { mode: 0o2755, gid: 5 }),
    file('usr/bin/both', 'x', { mode: 0o6711, uid: 0, gid: 0 }),
    dir('tmp', { mode: 0o1777 }),
    file('home/u/f', 'x', { mode: 0o600, uid: 1000, gid: 1001 }),
    device('char', 'dev/null', { mode: 0o666 }),
    device('fifo', 'run/pipe', { mode: 0o620 }),
  ]);
  const layer = await readLayer(chunked(tar), NO_CONTENT);
  t.deepEqual(
    layer.entries.map((e) => [e.path, e.type, e.mode, e.uid, e.gid]),
    [
      ['/usr/bin/passwd', 'file', 0o4755, 0, 0],
      ['/usr/bin/wall', 'file', 0o2755, 0, 5],
      ['/usr/bin/both', 'file', 0o6711, 0, 0],
      ['/tmp', 'dir', 0o1777, 0, 0],
      ['/home/u/f', 'file', 0o600, 1000, 1001],
      ['/dev/null', 'char', 0o666, 0, 0],
      ['/run/pipe', 'fifo', 0o620, 0, 0],
    ],
  );
});

test('`./`-prefixed, plain, slash-terminated and `/`-rooted names all normalise to `/…`', async (t) => {
  const tar = await layerTar([
    dir('./'),
    dir('./etc'),
    file('./etc/hosts', 'h'),
    dir('usr/'),
    file('usr/x', 'x'),
    file('/abs/y', 'y'),
    file('a//b/./c', 'c'),
    whiteout('./etc/old'),
    whiteout('top'),
  ]);
  const layer = await readLayer(chunked(tar), NO_CONTENT);
  t.deepEqual(layer.entries.map((e) => e.path), ['/', '/etc', '/etc/hosts', '/usr', '/usr/x', '/abs/y', '/a/b/c']);
  t.deepEqual(layer.whiteouts, ['/etc/old', '/top']);
});

test('PAX long names (path and link target) are read whole', async (t) => {
  const long = `opt/${'n'.repeat(120)}/${'m'.repeat(120)}/file-with-a-name-of-some-length.txt`;
  const tar = await layerTar([file(long, 'x'), symlink('opt/link', `/${long}`), hardlink('opt/hard', long), whiteout(`${long}.old`)]);
  t.true(tar.includes(Buffer.from('PaxHeader')), 'tar-stream wrote PAX headers');
  const layer = await readLayer(chunked(tar, 100), NO_CONTENT);
  t.deepEqual(layer.entries.map((e) => [e.path, e.linkTarget]), [
    [`/${long}`, undefined],
    ['/opt/link', `/${long}`],
    ['/opt/hard', `/${long}`],
  ]);
  t.deepEqual(layer.whiteouts, [`/${long}.old`]);
});

test('a layer reads the same plain, gzip, zstd (raw blocks, any block size) and natively compressed zstd', async (t) => {
  const tar = await layerTar([dir('data'), file('data/big', Buffer.alloc(400 * 1024, 'abc')), file('data/small', 'x')]);
  const plain = await readLayer(chunked(tar), NO_CONTENT);
  t.is(plain.compression, 'none');
  t.is(plain.bytes, tar.length);
  const variants: Array<[string, Buffer]> = [
    ['gzip', gzip(tar)],
    ['zstd 128 KiB blocks', zstd(tar)],
    ['zstd 1000-byte blocks', zstd(tar, { blockSize: 1000 })],
  ];
  const native = zstdNative(tar);
  if (native) variants.push(['zstd native', native]);
  t.log(HAVE_NATIVE_ZSTD ? 'native zstd present' : 'no native zstd on this Node: raw-block frames only');
  for (const [what, blob] of variants) {
    const layer = await readLayer(chunked(blob, 4093), NO_CONTENT);
    t.is(layer.compression, sniffCompression(blob), what);
    t.is(layer.bytes, tar.length, what);
    t.deepEqual(layer.entries, plain.entries, what);
  }
});

test('a compressed layer arriving one byte (or three) at a time reads the same', async (t) => {
  const tar = await layerTar([dir('etc'), file('etc/hosts', '127.0.0.1 localhost\n'), symlink('etc/mtab', '/proc/mounts')]);
  const expected = (await readLayer(chunked(tar), NO_CONTENT)).entries;
  for (const [what, blob] of [['plain', tar], ['gzip', gzip(tar)], ['zstd', zstd(tar, { blockSize: 700 })]] as const) {
    for (const size of [1, 3]) {
      const layer = await readLayer(chunked(blob, size), NO_CONTENT);
      t.deepEqual(layer.entries, expected, `${what} in ${size}-byte chunks`);
      t.is(layer.bytes, tar.length);
    }
  }
});

test('the raw-block zstd frame is well formed: magic, descriptor, window, last-block flag', (t) => {
  const frame = zstd(Buffer.from('hello'), { blockSize: 2 });
  t.is(frame.readUInt32LE(0), 0xfd2fb528);
  t.is(frame[4], 0); // no content size, no checksum, not single-segment, no dictionary
  t.is(frame[5] >> 3, 7); // window 2^(10+7) = 128 KiB
  // Blocks of 2, 2, 1 bytes: header = size << 3 | type 0 << 1 | last.
  t.deepEqual([frame.readUIntLE(6, 3), frame.readUIntLE(11, 3), frame.readUIntLE(16, 3)], [2 << 3, 2 << 3, (1 << 3) | 1]);
  t.is(frame.length, 6 + 3 * 3 + 5);
  const empty = zstd(Buffer.alloc(0));
  t.is(empty.readUIntLE(6, 3), 1, 'an empty input is one empty last block');
});

test('requested contents come from the topmost layer that has the file', async (t) => {
  t.timeout(10_000);
  const fixture = await standardImage();
  const request = wantPaths(['/etc/passwd', '/etc/shadow', '/opt/app/old.txt', '/tmp/note', '/tmp/keep', '/bin/busybox', '/home/app/.profile'], 4096);
  for (const layers of [fixture.layers, fixture.layers.map((tar) => ({ tar, compression: 'gzip' as const }))]) {
    const buffer = Buffer.isBuffer(layers[0])
      ? await legacyArchive({ config: fixture.config, layers })
      : await ociArchive({ config: fixture.config, layers });
    const { images } = await readImages(buffer, request);
    const merged = mergeLayers(images[0].layers);
    // /etc/shadow: whiteout; /opt/app/old.txt: opaque dir; /tmp/note: whiteout; /bin/busybox: over the cap.
    t.deepEqual([...merged.contents.keys()].sort(), ['/etc/passwd', '/home/app/.profile', '/tmp/keep']);
    t.is(merged.contents.get('/etc/passwd')?.toString(), PASSWD_2);
    t.is(merged.contents.get('/home/app/.profile')?.toString(), 'export A=1\n');
    // The base layer did capture its own /etc/passwd and /etc/shadow; the merge dropped them.
    t.true(images[0].layers[0].contents.has('/etc/shadow'));
  }
});

test('files over the cap, directories, links and unwanted paths are not captured', async (t) => {
  const tar = await layerTar([
    file('etc/a', 'x'.repeat(10)),
    file('etc/b', 'x'.repeat(11)),
    dir('etc/d'),
    symlink('etc/s', 'a'),
    hardlink('etc/h', 'etc/a'),
    file('etc/unwanted', 'u'),
  ]);
  const layer = await readLayer(chunked(tar), wantPaths(['/etc/a', '/etc/b', '/etc/d', '/etc/s', '/etc/h'], 10));
  t.deepEqual([...layer.contents.keys()], ['/etc/a']);
  t.is(layer.contents.get('/etc/a')?.toString(), 'x'.repeat(10));
  t.is(layer.entries.length, 6, 'uncaptured entries are still listed');
});

test('a config with a requested file deleted by a whiteout has no content for it', async (t) => {
  const l0 = await layerTar([dir('root'), file('root/.aws/credentials', '[default]\nkey=1\n')]);
  const l1 = await layerTar([whiteout('root/.aws')]);
  const { images } = await readImages(await legacyArchive({ config: imageConfig([l0, l1]), layers: [l0, l1] }), wantPaths(['/root/.aws/credentials']));
  t.true(images[0].layers[0].contents.has('/root/.aws/credentials'), 'still shipped in the lower layer');
  const merged = mergedFiles(images[0].layers);
  t.deepEqual(merged.map((f) => f.path), ['/root']);
});

test('bounded memory: a layer of 200 000 tiny entries parses, keeping only entry records', async (t) => {
  t.timeout(30_000);
  const started = Date.now();
  const before = process.memoryUsage().heapUsed;
  const layer = await readLayer(manyFilesLayer(200_000), NO_CONTENT);
  const took = Date.now() - started;
  t.is(layer.entries.length, 200_000);
  t.is(layer.entries[199_999].path, '/d99/f199999');
  t.is(layer.bytes, 200_000 * 512 + 1024);
  t.is(layer.contents.size, 0);
  const grown = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  t.log(`200 000 entries in ${took} ms, heap +${grown.toFixed(0)} MiB`);
  t.true(grown < 400, `heap grew ${grown.toFixed(0)} MiB`);
});

test('a layer of 100 000 unread entries arriving as one chunk reads whole, and a wanted file after them is captured', async (t) => {
  t.timeout(30_000);
  // Unread entries release the extractor early (in a microtask); one chunk of them must not nest a call per entry.
  const many: Buffer[] = [];
  for await (const chunk of manyFilesLayer(100_000)) many.push(chunk);
  const body = Buffer.concat(many).subarray(0, 100_000 * 512); // without its end-of-archive blocks
  const tail = await layerTar([file('etc/passwd', PASSWD_2), file('etc/motd', 'hi')]);
  const layer = await readLayer(chunked(Buffer.concat([body, tail]), body.length + tail.length), wantPaths(['/etc/passwd']));
  t.is(layer.entries.length, 100_002);
  t.is(layer.entries[100_000].path, '/etc/passwd');
  t.is(layer.contents.get('/etc/passwd')?.toString(), PASSWD_2);
  t.false(layer.contents.has('/etc/motd'));
});

test('a layer whose source fails mid-file rejects with that failure, and no entry stream error escapes uncaught', async (t) => {
  t.timeout(10_000);
  const tar = await layerTar([file('a', Buffer.alloc(100_000, 1)), file('b', 'x')]);
  const failure = new Error('connection reset');
  async function* failing(): AsyncGenerator<Buffer> {
    yield tar.subarray(0, 20_000);
    throw failure;
  }
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    await t.throwsAsync(readLayer(failing(), NO_CONTENT), { is: failure });
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  t.deepEqual(uncaught, []);
});

test('a gzip layer corrupt in its middle, read in small chunks, fails with zlib\'s error instead of waiting forever', async (t) => {
  const tar = await layerTar(Array.from({ length: 200 }, (_, i) => file(`f${i}`, Buffer.alloc(5000, i))));
  const gz = gzip(tar);
  for (let i = 100; i < gz.length; i += 997) gz[i] = gz[i]! ^ 0x55;
  await t.throwsAsync(readLayer(chunked(gz, 1024), NO_CONTENT), { code: 'Z_DATA_ERROR' });
});
