import test from 'ava';
import { ArchiveError, readArchive } from '../../../src/image/archive-reader.js';
import { NO_CONTENT } from '../../../src/image/layer-reader.js';
import { randomBytes } from 'node:crypto';
import {
  file,
  gzip,
  imageConfig,
  layerTar,
  legacyArchiveWithInfo,
  ociArchiveWithInfo,
  readImages,
  rewriteArchive,
  tarOf,
  tarOffsets,
  zstd,
} from '../helpers/archives.js';
import { standardImage } from './fixture.js';

const TRUNCATED = /truncated|corrupt/i;

async function rejectsWith(t: import('ava').ExecutionContext, buf: Buffer, message: RegExp, what: string): Promise<Error | undefined> {
  const error = await t.throwsAsync(readImages(buf), { message }, what);
  return error;
}

test('a legacy archive cut anywhere (inside a header, inside a layer, before manifest.json) rejects as truncated, never hangs', async (t) => {
  t.timeout(20_000);
  const fixture = await standardImage();
  const built = await legacyArchiveWithInfo({ config: fixture.config, layers: fixture.layers });
  const at = tarOffsets(built.buffer);
  const [l0, l1, l2] = built.layerPaths.map((p) => at.get(p)!);
  const manifest = at.get('manifest.json')!;
  const config = [...at.keys()].find((n) => /^[0-9a-f]{64}\.json$/.test(n))!;
  const cuts: Array<[string, number]> = [
    ['empty', 0],
    ['inside the first header', 100],
    ['inside a layer.tar header', l1.header + 300],
    ['at the start of a layer\'s data', l0.data],
    ['inside a layer, mid-block', l0.data + 1000],
    ['inside a layer, on a block boundary', l0.data + 512 * 7],
    ['inside a large file of a layer', l0.data + 100_000],
    ['inside the last layer', l2.data + Math.floor(l2.size / 2)],
    ['inside the config', at.get(config)!.data + 20],
    ['right before manifest.json', manifest.header],
    ['inside manifest.json', manifest.data + 10],
  ];
  for (const [what, cut] of cuts) {
    const error = await rejectsWith(t, built.buffer.subarray(0, cut), TRUNCATED, what);
    t.true(error instanceof ArchiveError, `${what}: ${error?.constructor.name}`);
  }
});

test('an OCI archive cut inside a gzip or zstd blob, or before index.json, rejects as truncated', async (t) => {
  t.timeout(20_000);
  const fixture = await standardImage();
  const layers = [
    { tar: fixture.layers[0], compression: 'gzip' as const },
    { tar: fixture.layers[1], compression: 'zstd' as const },
    { tar: fixture.layers[2], compression: 'none' as const },
  ];
  const built = await ociArchiveWithInfo({ config: fixture.config, layers });
  const at = tarOffsets(built.buffer);
  const [gz, zs] = built.layerPaths.map((p) => at.get(p)!);
  const cuts: Array<[string, number]> = [
    ['inside the gzip blob', gz.data + Math.floor(gz.size / 2)],
    ['inside the gzip blob, near its end', gz.data + gz.size - 3],
    ['inside the zstd blob', zs.data + Math.floor(zs.size / 2)],
    ['inside the zstd blob, near its end', zs.data + zs.size - 1],
    ['right before index.json', at.get('index.json')!.header],
  ];
  for (const [what, cut] of cuts) await rejectsWith(t, built.buffer.subarray(0, cut), TRUNCATED, what);
});

test('a corrupt gzip layer rejects with an error, and never hangs however large the layer', async (t) => {
  t.timeout(20_000);
  const fixture = await standardImage();
  // 2 MiB of random bytes: the layer is still streaming when the corruption is found.
  const large = await layerTar([file('random.bin', randomBytes(2 * 1024 * 1024))]);
  for (const [name, tar] of [['small layer', fixture.layers[0]], ['large layer', large]] as const) {
    const good = gzip(tar);
    const variants: Array<[string, Buffer]> = [
      ['garbage after the gzip header', Buffer.concat([good.subarray(0, 10), Buffer.alloc(200, 0xff), good.subarray(210)])],
      ['a flipped byte in the deflate data', Buffer.from(good.map((b, i) => (i === Math.floor(good.length / 2) ? b ^ 0x55 : b)))],
      ['a wrong CRC in the trailer', Buffer.from(good.map((b, i) => (i === good.length - 6 ? b ^ 0xff : b)))],
    ];
    for (const [what, blob] of variants) {
      const built = await ociArchiveWithInfo({ config: imageConfig([tar]), layers: [{ tar, compression: 'gzip', blob }] });
      const error = await t.throwsAsync(readImages(built.buffer), undefined, `${name}: ${what}`);
      t.true(error instanceof ArchiveError, `${name}: ${what}`);
      t.regex(error?.message ?? '', /corrupt|truncated|could not be read/i, `${name}: ${what}`);
      t.log(`${name}, ${what}: ${error?.message}`);
    }
  }
});

test('a corrupt zstd layer rejects with an error', async (t) => {
  t.timeout(10_000);
  const fixture = await standardImage();
  const good = zstd(fixture.layers[0]);
  const reserved = Buffer.from(good);
  reserved[6] |= 0b110; // first block type 3: reserved
  const built = await ociArchiveWithInfo({
    config: fixture.config,
    layers: [{ tar: fixture.layers[0], compression: 'zstd', blob: reserved }, fixture.layers[1], fixture.layers[2]],
  });
  const error = await t.throwsAsync(readImages(built.buffer), { instanceOf: ArchiveError });
  t.regex(error?.message ?? '', /corrupt/i);
});

test('a corrupt outer tar header rejects as corrupt', async (t) => {
  t.timeout(10_000);
  const fixture = await standardImage();
  const built = await legacyArchiveWithInfo({ config: fixture.config, layers: fixture.layers });
  const manifest = tarOffsets(built.buffer).get('manifest.json')!;
  const broken = Buffer.from(built.buffer);
  broken[manifest.header + 3] ^= 0x20; // name byte changed: checksum no longer matches
  await rejectsWith(t, broken, /corrupt/i, 'bad checksum');
});

test('a manifest naming a missing layer rejects with an error naming it', async (t) => {
  t.timeout(10_000);
  const fixture = await standardImage();
  const legacy = await legacyArchiveWithInfo({ config: fixture.config, layers: fixture.layers });
  const missing = legacy.layerPaths[1];
  const withoutLayer = await rewriteArchive(legacy.buffer, (entries) => entries.filter((e) => e.name !== missing));
  const error = await t.throwsAsync(readImages(withoutLayer), { instanceOf: ArchiveError });
  t.true(error?.message.includes(missing), error?.message);

  const oci = await ociArchiveWithInfo({ config: fixture.config, layers: fixture.layers.map((tar) => ({ tar, compression: 'gzip' as const })) });
  const missingBlob = oci.layerPaths[2];
  const withoutBlob = await rewriteArchive(oci.buffer, (entries) => entries.filter((e) => e.name !== missingBlob));
  const ociError = await t.throwsAsync(readImages(withoutBlob), { instanceOf: ArchiveError });
  t.true(ociError?.message.includes(missingBlob), ociError?.message);
});

test('a manifest naming a missing config rejects with an error naming it', async (t) => {
  const fixture = await standardImage();
  const legacy = await legacyArchiveWithInfo({ config: fixture.config, layers: fixture.layers });
  const configName = `${legacy.id.slice('sha256:'.length)}.json`;
  const without = await rewriteArchive(legacy.buffer, (entries) => entries.filter((e) => e.name !== configName));
  const error = await t.throwsAsync(readImages(without), { instanceOf: ArchiveError });
  t.true(error?.message.includes(configName), error?.message);
});

test('a plain tar of files is not an image archive, and says so', async (t) => {
  t.timeout(10_000);
  const plain = await tarOf([
    { name: 'etc/', dir: true },
    { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
    { name: 'bin/sh', content: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(2000, 1)]) },
    { name: 'README', content: 'hello' },
  ]);
  await t.throwsAsync(readImages(plain), { instanceOf: ArchiveError, message: /not an image archive/ });
});

test('bytes that are not a tar at all reject as corrupt', async (t) => {
  t.timeout(10_000);
  const text = Buffer.from('this is not an archive\n'.repeat(100));
  await t.throwsAsync(readArchive((async function* () { yield text; })(), NO_CONTENT), { instanceOf: ArchiveError, message: /corrupt/i });
});

test('a failing source (the daemon dropping the connection) rejects with its error, not a hang', async (t) => {
  t.timeout(10_000);
  const fixture = await standardImage();
  const built = await legacyArchiveWithInfo({ config: fixture.config, layers: fixture.layers });
  const failure = Object.assign(new Error('the Docker daemon closed the export'), { exitCode: 2 });
  async function* dropping(): AsyncGenerator<Buffer> {
    yield built.buffer.subarray(0, 4096);
    yield built.buffer.subarray(4096, 150_000);
    throw failure;
  }
  const error = await t.throwsAsync(readArchive(dropping(), NO_CONTENT));
  t.is(error, failure);
});

test('a JSON document that does not parse rejects with an error naming it', async (t) => {
  t.timeout(10_000);
  const fixture = await standardImage();
  const legacy = await legacyArchiveWithInfo({ config: fixture.config, layers: fixture.layers });
  const broken = await rewriteArchive(legacy.buffer, (entries) =>
    entries.map((e) => (e.name === 'manifest.json' ? { name: e.name, content: '[{"Config": "x.json", ' } : e)),
  );
  await t.throwsAsync(readImages(broken), { instanceOf: ArchiveError, message: /manifest\.json.*not valid JSON/ });
});

test('a layer that is not a tar inside its compression rejects as corrupt', async (t) => {
  t.timeout(10_000);
  const fixture = await standardImage();
  const notTar = Buffer.from('plain text, gzip-compressed, that is no tar archive\n'.repeat(50));
  for (const compression of ['gzip', 'zstd'] as const) {
    const blob = compression === 'gzip' ? gzip(notTar) : zstd(notTar);
    const built = await ociArchiveWithInfo({
      config: fixture.config,
      layers: [{ tar: fixture.layers[0], compression, blob }, fixture.layers[1], fixture.layers[2]],
    });
    await t.throwsAsync(readImages(built.buffer), { instanceOf: ArchiveError, message: /corrupt/i }, compression);
  }
});
