import test from 'ava';
import { Readable } from 'node:stream';
import { readArchive } from '../../../src/image/archive-reader.js';
import { NO_CONTENT } from '../../../src/image/layer-reader.js';
import { legacyOf } from './hostile-tar.js';
import { gcCallsDuring } from '../helpers/gc-calls.js';
import {
  EMPTY_LAYER_TAR,
  HAVE_NATIVE_ZSTD,
  digestOf,
  dir,
  chunked,
  file,
  imageConfig,
  layerTar,
  legacyArchiveWithInfo,
  mergedFiles,
  ociArchiveWithInfo,
  podmanArchiveWithInfo,
  readImages,
  rewriteArchive,
  tarOffsets,
  whiteout,
  type BuiltArchive,
  type LayerCompression,
  type LayerInput,
} from '../helpers/archives.js';
import { EXPECTED_FILES, standardImage, type Fixture } from './fixture.js';

type Layout = 'legacy' | 'legacy-manifest-first' | 'podman' | 'docker25' | 'oci' | 'oci-nested';

const LAYOUTS: Layout[] = ['legacy', 'legacy-manifest-first', 'podman', 'docker25', 'oci', 'oci-nested'];
const COMPRESSIONS: Array<LayerCompression | 'mixed'> = ['none', 'gzip', 'zstd', 'mixed', ...(HAVE_NATIVE_ZSTD ? (['zstd-native'] as const) : [])];

function build(layout: Layout, fixture: Fixture, layers: LayerInput[]): Promise<BuiltArchive> {
  const { config } = fixture;
  switch (layout) {
    case 'legacy':
      return legacyArchiveWithInfo({ config, layers, repoTags: ['app:1'] });
    case 'legacy-manifest-first':
      return legacyArchiveWithInfo({ config, layers, repoTags: ['app:1'], manifestLast: false });
    case 'podman':
      return podmanArchiveWithInfo({ config, layers, repoTags: ['app:1'] });
    case 'docker25':
      return ociArchiveWithInfo({ config, layers, repoTags: ['app:1'], dockerManifestJson: true });
    case 'oci':
      return ociArchiveWithInfo({ config, layers, repoTags: ['app:1'] });
    case 'oci-nested':
      return ociArchiveWithInfo({ config, layers, repoTags: ['app:1'], nestedIndex: true });
  }
}

function layersWith(fixture: Fixture, compression: LayerCompression | 'mixed'): LayerInput[] {
  const mixed: LayerCompression[] = ['gzip', 'zstd', 'none'];
  return fixture.layers.map((tar, i) => ({ tar, compression: compression === 'mixed' ? mixed[i] : compression }));
}

test('every layout and compression reads to the same merged filesystem (path, type, mode, uid, gid, size, layer)', async (t) => {
  t.timeout(60_000);
  const fixture = await standardImage();
  for (const layout of LAYOUTS) {
    for (const compression of COMPRESSIONS) {
      const what = `${layout}/${compression}`;
      const layers = layersWith(fixture, compression);
      const built = await build(layout, fixture, layers);
      // Odd chunk sizes cross every header and block boundary.
      const { images } = await readImages(built.buffer, undefined, 7919);
      t.is(images.length, 1, what);
      const [image] = images;
      t.is(image.id, built.id, what);
      t.is(image.id, digestOf(JSON.stringify(fixture.config)), what);
      t.deepEqual(image.repoTags, ['app:1'], what);
      t.deepEqual(image.config.rootfs?.diff_ids, fixture.layers.map((l) => digestOf(l)), what);
      t.deepEqual(
        image.layers.map((l) => l.compression),
        layers.map((l) => (Buffer.isBuffer(l) ? 'none' : l.compression === 'zstd-native' ? 'zstd' : l.compression)),
        what,
      );
      t.deepEqual(image.layers.map((l) => l.bytes), fixture.layers.map((l) => l.length), `${what}: uncompressed bytes`);
      t.deepEqual(mergedFiles(image.layers), EXPECTED_FILES, what);
    }
  }
});

test('legacy: manifest.json last and v1 directories in sorted order (not stack order) still merge in stack order', async (t) => {
  t.timeout(20_000);
  const fixture = await standardImage();
  // Stack order 0,1,2 gets v1 IDs that sort 2,1,0: the archive holds the top layer first.
  const v1Ids = ['f'.repeat(64), '8'.repeat(64), '0'.repeat(64)];
  const built = await legacyArchiveWithInfo({ config: fixture.config, layers: fixture.layers, v1Ids });
  const offsets = [...tarOffsets(built.buffer).entries()].sort((a, b) => a[1].header - b[1].header).map(([name]) => name);
  t.is(offsets[offsets.length - 1], 'manifest.json');
  t.true(offsets.indexOf(`${v1Ids[2]}/layer.tar`) < offsets.indexOf(`${v1Ids[0]}/layer.tar`));

  const { archive, images } = await readImages(built.buffer);
  t.deepEqual([...archive.layers.keys()], [...v1Ids].reverse().map((id) => `${id}/layer.tar`), 'archive order');
  t.deepEqual(images[0].layers, built.layerPaths.map((p) => archive.layers.get(p)), 'stack order from the manifest');
  t.deepEqual(mergedFiles(images[0].layers), EXPECTED_FILES);
});

test('legacy: a layer referenced twice (the engine writes the duplicate as a symlink) is read once and used twice', async (t) => {
  t.timeout(10_000);
  const base = await layerTar([dir('etc'), file('etc/os-release', 'ID=test\n'), file('etc/motd', 'hi')]);
  const same = await layerTar([dir('app'), file('app/run.sh', '#!/bin/sh\n', { mode: 0o755 })]);
  const del = await layerTar([dir('etc'), whiteout('etc/motd')]);
  const layers = [base, same, del, same];
  const config = imageConfig(layers);
  // Sorted v1 IDs put the symlinked duplicate (layer 3) before the layer it points at (layer 1).
  const v1Ids = ['1'.repeat(64), '9'.repeat(64), '5'.repeat(64), '2'.repeat(64)];
  const built = await legacyArchiveWithInfo({ config, layers, v1Ids });
  const { archive, images } = await readImages(built.buffer);
  t.is(archive.layers.size, 3);
  t.is(archive.aliases.get(`${'2'.repeat(64)}/layer.tar`), `${'9'.repeat(64)}/layer.tar`);
  const [image] = images;
  t.is(image.layers.length, 4);
  t.is(image.layers[1], image.layers[3]);
  const expected = [
    ['/app', 3],
    ['/app/run.sh', 3],
    ['/etc', 2],
    ['/etc/os-release', 0],
  ];
  t.deepEqual(mergedFiles(image.layers).map((f) => [f.path, f.layerIndex]), expected);

  // Written out twice instead, or linked with a hard link (as a re-packing tar may do): the same result.
  const copies = await legacyArchiveWithInfo({ config, layers, v1Ids, duplicateLayerAsSymlink: false });
  const fromCopies = await readImages(copies.buffer);
  t.is(fromCopies.archive.layers.size, 4);
  t.deepEqual(mergedFiles(fromCopies.images[0].layers).map((f) => [f.path, f.layerIndex]), expected);
  const hardlinked = await rewriteArchive(built.buffer, (entries) =>
    entries.map((e) => ('symlink' in e ? { name: e.name, hardlink: `${'9'.repeat(64)}/layer.tar` } : e)),
  );
  // The hard link now precedes its target in the archive, which tar allows for links read by name.
  const fromHardlink = await readImages(hardlinked);
  t.deepEqual(mergedFiles(fromHardlink.images[0].layers).map((f) => [f.path, f.layerIndex]), expected);
});

test('empty layers (Docker\'s 1024 zero bytes, sha256:5f70bf18…) are layers with no entries in every layout', async (t) => {
  t.timeout(20_000);
  t.is(digestOf(EMPTY_LAYER_TAR), 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef');
  const real = await layerTar([dir('etc'), file('etc/hostname', 'box\n')]);
  const layers = [real, EMPTY_LAYER_TAR, EMPTY_LAYER_TAR];
  const config = imageConfig(layers);
  const fixture = { layers, config };
  for (const layout of LAYOUTS) {
    for (const compression of ['none', 'gzip'] as const) {
      const built = await build(layout, fixture, layers.map((tar) => ({ tar, compression })));
      const { images } = await readImages(built.buffer);
      const [image] = images;
      t.is(image.layers.length, 3, `${layout}/${compression}`);
      t.deepEqual(image.layers.map((l) => l.entries.length), [2, 0, 0], `${layout}/${compression}`);
      t.deepEqual(mergedFiles(image.layers).map((f) => f.path), ['/etc', '/etc/hostname'], `${layout}/${compression}`);
    }
  }
});

test('OCI: an index holding a BuildKit attestation manifest yields the image alone', async (t) => {
  t.timeout(10_000);
  const fixture = await standardImage();
  for (const nestedIndex of [false, true]) {
    const built = await ociArchiveWithInfo({
      config: fixture.config,
      layers: layersWith(fixture, 'gzip'),
      nestedIndex,
      attestation: true,
    });
    const { images } = await readImages(built.buffer);
    t.deepEqual(images.map((i) => i.id), [built.id], nestedIndex ? 'nested index' : 'flat index');
    t.deepEqual(mergedFiles(images[0].layers), EXPECTED_FILES);
  }
});

test('OCI: tags come from the index annotations, Docker ≥ 25 tags from manifest.json', async (t) => {
  const fixture = await standardImage();
  const oci = await ociArchiveWithInfo({ config: fixture.config, layers: fixture.layers, repoTags: ['web:2', 'web:latest'] });
  const ociImages = (await readImages(oci.buffer)).images;
  t.true(ociImages.every((i) => i.id === oci.id));
  t.deepEqual(ociImages.flatMap((i) => i.repoTags).sort(), ['web:2', 'web:latest']);
  const d25 = await ociArchiveWithInfo({ config: fixture.config, layers: fixture.layers, repoTags: ['web:2', 'web:latest'], dockerManifestJson: true });
  t.deepEqual((await readImages(d25.buffer)).images.map((i) => i.repoTags), [['web:2', 'web:latest']]);
  const untagged = await legacyArchiveWithInfo({ config: fixture.config, layers: fixture.layers, repoTags: [] });
  t.deepEqual((await readImages(untagged.buffer)).images.map((i) => i.repoTags), [[]]);
});

test.serial('reading an archive collects the chunks as they pass: a minor collection every 2 MiB, when node exposes gc', async (t) => {
  const archive = legacyOf([await layerTar([file('data/blob', Buffer.alloc(20 * 1024 * 1024, 0x61))])]);
  const calls = await gcCallsDuring(async () => {
    const read = await readArchive(Readable.from(chunked(archive, 64 * 1024), { objectMode: false }), NO_CONTENT);
    t.is(read.layers.size, 1);
  });
  t.deepEqual(calls, Array(10).fill({ type: 'minor' }));
});
