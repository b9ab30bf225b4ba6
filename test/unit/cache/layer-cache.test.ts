import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, truncate, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_FORMAT, LayerCache, cacheMaxBytes, cacheRoot, layerCacheFromEnv, servesRequest } from '../../../src/cache/layer-cache.js';
import { LAYER_READER_VERSION } from '../../../src/image/layer-reader-version.js';
import { readArchive } from '../../../src/image/archive-reader.js';
import { imagesInArchive } from '../../../src/image/layout.js';
import { readLayer, NO_CONTENT, type ContentRequest, type LayerContents } from '../../../src/image/layer-reader.js';
import { chunked, digestOf, dir, file, gzip, imageConfig, layerTar, legacyArchiveWithInfo, ociArchive, ociArchiveWithInfo, opaque, podmanArchive, symlink, whiteout } from '../helpers/archives.js';
import { SAMPLE_DIFF_ID, sampleLayer } from './layer-fixture.js';
import type { FileScanner } from '../../../src/image/file-scanner.js';

function request(paths: string[], maxBytes = 1024 * 1024): ContentRequest {
  const set = new Set(paths);
  return { wants: (p) => set.has(p), maxBytes, paths };
}

async function tempCache(maxBytes?: number): Promise<LayerCache> {
  const dir = await mkdtemp(join(tmpdir(), 'dsp-layer-cache-'));
  return new LayerCache({ dir, ...(maxBytes !== undefined ? { maxBytes } : {}) });
}

/** A scanner as the secrets rules bring one; the cache only compares its id and version. */
function scanner(id: string, version = 1): FileScanner {
  return { id, version, maxBytes: 1024, wants: () => false, scan: () => [] };
}

const FULL: ContentRequest = { ...request(['/etc/passwd', '/etc/shadow', '/etc/group']), scanners: [scanner('secrets')] };

test('a layer scanned by a scanner serves requests with that scanner at that version only', async (t) => {
  const cache = await tempCache();
  t.true(await cache.put(SAMPLE_DIFF_ID, sampleLayer(), FULL));
  const same = await cache.get(SAMPLE_DIFF_ID, FULL);
  t.deepEqual(same?.hits.map((h) => h.path), ['/root/.ssh/id_rsa', '/app/keystore.jks'], 'the hits come back');
  t.is(await cache.get(SAMPLE_DIFF_ID, { ...FULL, scanners: [scanner('secrets', 2)] }), undefined, 'a newer scanner version is a miss');
  t.is(await cache.get(SAMPLE_DIFF_ID, { ...FULL, scanners: [scanner('secrets'), scanner('sshd-config')] }), undefined, 'another scanner is a miss');
  const without = await cache.get(SAMPLE_DIFF_ID, request(['/etc/passwd']));
  t.deepEqual(without?.hits, [], 'a request without the scanner gets the layer without its hits');
});

test('package hits keep their data through the cache (a package\'s name, version and source)', async (t) => {
  const cache = await tempCache();
  const layer = sampleLayer();
  const data = { type: 'deb', name: 'libssl3', version: '3.0.11-1~deb12u2', sourceName: 'openssl', sourceVersion: '3.0.11-1~deb12u2' };
  layer.hits = [{ scanner: 'dpkg', kind: 'package', path: '/var/lib/dpkg/status', data }];
  const dpkg: ContentRequest = { ...request([]), scanners: [scanner('dpkg')] };
  t.true(await cache.put(SAMPLE_DIFF_ID, layer, dpkg));
  t.deepEqual((await cache.get(SAMPLE_DIFF_ID, dpkg))?.hits, [{ scanner: 'dpkg', kind: 'package', path: '/var/lib/dpkg/status', data }]);
});

test('a stored layer reads back equal to the original', async (t) => {
  const cache = await tempCache();
  const layer = sampleLayer(500);
  t.true(await cache.put(SAMPLE_DIFF_ID, layer, FULL));
  t.is(cache.layerPath(SAMPLE_DIFF_ID), join(cache.dir, 'layers', `v${CACHE_FORMAT}`, 'ab'.repeat(32)));
  t.deepEqual(await cache.get(SAMPLE_DIFF_ID, FULL), layer);
  t.deepEqual(await cache.getAll([SAMPLE_DIFF_ID, SAMPLE_DIFF_ID], FULL), [layer, layer]);
});

test('a layer read from a real tar (every entry type, whiteouts, opaque dirs, contents) round-trips', async (t) => {
  const cache = await tempCache();
  const tar = await layerTar([
    dir('etc'),
    file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n'),
    file('usr/bin/su', 'ELF', { mode: 0o4755 }),
    symlink('bin', 'usr/bin'),
    whiteout('var/lib/apt'),
    opaque('opt'),
  ]);
  const want = request(['/etc/passwd']);
  const layer = await readLayer(chunked(gzip(tar)), want);
  await cache.put(digestOf(tar), layer, want);
  t.deepEqual(await cache.get(digestOf(tar), want), layer);
});

test('a request for a path the cached layer did not capture is a miss; a narrower one is a hit with only its contents', async (t) => {
  const cache = await tempCache();
  const layer = sampleLayer();
  const captured = request(['/etc/passwd', '/etc/shadow']);
  await cache.put(SAMPLE_DIFF_ID, layer, captured);
  t.is(await cache.get(SAMPLE_DIFF_ID, request(['/etc/passwd', '/etc/hosts'])), undefined, 'wants /etc/hosts, never captured');
  t.is(await cache.get(SAMPLE_DIFF_ID, request(['/etc/passwd'], 2 * 1024 * 1024)), undefined, 'a larger size cap');
  t.is(await cache.get(SAMPLE_DIFF_ID, { wants: () => true, maxBytes: 10 }), undefined, 'a request that is not a list of paths');
  t.false(await cache.put(SAMPLE_DIFF_ID, layer, { wants: () => true, maxBytes: 10 }), 'nor is it stored');

  const narrower = await cache.get(SAMPLE_DIFF_ID, request(['/etc/passwd']));
  t.deepEqual([...(narrower?.contents.keys() ?? [])], ['/etc/passwd']);
  t.deepEqual(narrower?.entries, layer.entries);
  const none = await cache.get(SAMPLE_DIFF_ID, NO_CONTENT);
  t.is(none?.contents.size, 0);
  const smallCap = await cache.get(SAMPLE_DIFF_ID, request(['/etc/passwd', '/etc/shadow'], 20));
  t.deepEqual([...(smallCap?.contents.keys() ?? [])], ['/etc/shadow'], 'files over the smaller cap are left out, as a read would');

  t.true(servesRequest({ requested: ['/a', '/b'], maxBytes: 10 }, request(['/b'], 10)));
  t.false(servesRequest({ requested: ['/a'], maxBytes: 10 }, request(['/b'], 10)));
});

test('the whole image is a miss when one layer is missing, and says which', async (t) => {
  const cache = await tempCache();
  const other = 'sha256:' + 'cd'.repeat(32);
  await cache.put(SAMPLE_DIFF_ID, sampleLayer(), FULL);
  const lookup = await cache.lookup([SAMPLE_DIFF_ID, other], FULL);
  t.is(lookup.layers, undefined);
  t.deepEqual([...lookup.missing], [other]);
  t.is(await cache.get('sha256:nothex', FULL), undefined);
});

test('a corrupt or truncated file is a miss and is removed', async (t) => {
  const cache = await tempCache();
  const path = cache.layerPath(SAMPLE_DIFF_ID)!;
  const damages: Array<[string, () => Promise<void>]> = [
    ['truncated body', async () => truncate(path, (await stat(path)).size - 7)],
    ['garbage', () => writeFile(path, 'not a cache file at all')],
    ['empty', () => writeFile(path, '')],
    ['flipped body byte', async () => {
      const buf = await readFile(path);
      buf[buf.length - 20] ^= 0xff;
      await writeFile(path, buf);
    }],
    ['header naming another layer', async () => {
      const buf = await readFile(path);
      await writeFile(path, Buffer.from(buf.toString('latin1').replace('ab'.repeat(32), 'ef'.repeat(32)), 'latin1'));
    }],
  ];
  for (const [what, damage] of damages) {
    await cache.put(SAMPLE_DIFF_ID, sampleLayer(50), FULL);
    await damage();
    t.is(await cache.get(SAMPLE_DIFF_ID, FULL), undefined, what);
    await t.throwsAsync(stat(path), { code: 'ENOENT' }, `${what}: removed`);
  }
});

test('an entry written by another reader version is a miss, not an error', async (t) => {
  const cache = await tempCache();
  await cache.put(SAMPLE_DIFF_ID, sampleLayer(), FULL);
  const path = cache.layerPath(SAMPLE_DIFF_ID)!;
  const buf = await readFile(path);
  await writeFile(path, Buffer.from(buf.toString('latin1').replace(`"reader":${LAYER_READER_VERSION}`, '"reader":99'), 'latin1'));
  t.is(await cache.get(SAMPLE_DIFF_ID, FULL), undefined);
  await cache.put(SAMPLE_DIFF_ID, sampleLayer(), FULL);
  t.truthy(await cache.get(SAMPLE_DIFF_ID, FULL), 'a store replaces it');
});

const LAYER_CACHE_JS = fileURLToPath(new URL('../../../src/cache/layer-cache.js', import.meta.url));
const FIXTURE_JS = fileURLToPath(new URL('./layer-fixture.js', import.meta.url));

function writer(dir: string, rounds: number): Promise<number> {
  const script = `
    const { LayerCache } = await import(${JSON.stringify(LAYER_CACHE_JS)});
    const { sampleLayer, SAMPLE_DIFF_ID } = await import(${JSON.stringify(FIXTURE_JS)});
    const cache = new LayerCache({ dir: ${JSON.stringify(dir)} });
    const layer = sampleLayer(20000);
    const paths = ['/etc/passwd', '/etc/shadow', '/etc/group'];
    const scanners = [{ id: 'secrets', version: 1, maxBytes: 1024, wants: () => false, scan: () => [] }];
    const request = { wants: (p) => paths.includes(p), maxBytes: 1048576, paths, scanners };
    for (let i = 0; i < ${rounds}; i++) if (!(await cache.put(SAMPLE_DIFF_ID, layer, request))) process.exit(3);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
}

test('two processes writing the same layer race safely: readers see a whole entry or none, never a partial one', async (t) => {
  t.timeout(60_000);
  const cache = await tempCache();
  const expected = sampleLayer(20000);
  let done = false;
  const writers = Promise.all([writer(cache.dir, 15), writer(cache.dir, 15)]).finally(() => (done = true));
  let hits = 0;
  let reads = 0;
  while (!done) {
    const got = await cache.get(SAMPLE_DIFF_ID, FULL);
    reads++;
    if (got) {
      hits++;
      t.is(got.entries.length, expected.entries.length);
      t.deepEqual(got.entries[got.entries.length - 1], expected.entries[expected.entries.length - 1]);
    }
  }
  t.deepEqual(await writers, [0, 0]);
  t.deepEqual(await cache.get(SAMPLE_DIFF_ID, FULL), expected);
  const names = await readdir(join(cache.dir, 'layers', `v${CACHE_FORMAT}`));
  t.deepEqual(names, ['ab'.repeat(32)], 'no temp files left behind');
  t.log(`${reads} reads during the race, ${hits} hits`);
});

test('pruning keeps the cap and removes the least recently used first; a hit counts as a use', async (t) => {
  const cache = await tempCache();
  const ids = ['01', '02', '03', '04', '05'].map((b) => 'sha256:' + b.repeat(32));
  for (const id of ids) await cache.put(id, sampleLayer(2000), FULL);
  const size = (await stat(cache.layerPath(ids[0])!)).size;
  // Ages: ids[0] oldest … ids[4] newest.
  const base = Date.now() / 1000 - 10_000;
  for (const [i, id] of ids.entries()) await utimes(cache.layerPath(id)!, base + i * 100, base + i * 100);
  t.truthy(await cache.get(ids[0], FULL), 'a hit refreshes the oldest');

  const capped = new LayerCache({ dir: cache.dir, maxBytes: size * 3 + size / 2 });
  // Two pruners at once: neither fails (ENOENT tolerated).
  const [a, b] = await Promise.all([capped.prune(), capped.prune()]);
  t.true(a.bytes <= capped.maxBytes && b.bytes <= capped.maxBytes);
  const left = new Set(await readdir(join(cache.dir, 'layers', `v${CACHE_FORMAT}`)));
  t.deepEqual([...left].sort(), [ids[0], ids[3], ids[4]].map((id) => id.slice(7)).sort());
});

test('pruning counts every format version and removes temp files left by dead writers', async (t) => {
  const cache = await tempCache(1024 * 1024);
  const oldDir = join(cache.dir, 'layers', 'v0');
  await mkdir(oldDir, { recursive: true });
  await writeFile(join(oldDir, 'ff'.repeat(32)), Buffer.alloc(2 * 1024 * 1024));
  const past = Date.now() / 1000 - 100_000;
  await utimes(join(oldDir, 'ff'.repeat(32)), past, past);
  await cache.put(SAMPLE_DIFF_ID, sampleLayer(), FULL);
  const dir = join(cache.dir, 'layers', `v${CACHE_FORMAT}`);
  await writeFile(join(dir, '.stale.1.aa.tmp'), 'x');
  await utimes(join(dir, '.stale.1.aa.tmp'), past, past);
  await writeFile(join(dir, '.young.1.bb.tmp'), 'x');
  const result = await cache.prune();
  t.true(result.bytes <= cache.maxBytes);
  t.deepEqual(await readdir(oldDir), []);
  t.deepEqual((await readdir(dir)).sort(), ['.young.1.bb.tmp', 'ab'.repeat(32)]);
});

test('image configs round-trip by image ID', async (t) => {
  const cache = await tempCache();
  const config = imageConfig([Buffer.alloc(1024)]);
  const id = 'sha256:' + '12'.repeat(32);
  t.is(await cache.getConfig(id), undefined);
  t.true(await cache.putConfig(id, config));
  t.deepEqual(await cache.getConfig(id), config);
  await writeFile(cache.configPath(id)!, 'junk');
  t.is(await cache.getConfig(id), undefined);
  await t.throwsAsync(stat(cache.configPath(id)!), { code: 'ENOENT' });
});

test('the environment names the cache root and cap; --no-cache and a zero cap turn it off', (t) => {
  t.is(cacheRoot({ DSP_CACHE_DIR: '/x/y' }), '/x/y');
  t.is(cacheRoot({ XDG_CACHE_HOME: '/xdg' }), '/xdg/docker-security-policy');
  t.regex(cacheRoot({}), /\/\.cache\/docker-security-policy$/);
  t.is(cacheMaxBytes({}), 512 * 1024 * 1024);
  t.is(cacheMaxBytes({ DSP_CACHE_MAX_MB: '64' }), 64 * 1024 * 1024);
  t.is(cacheMaxBytes({ DSP_CACHE_MAX_MB: 'lots' }), 512 * 1024 * 1024);
  t.is(layerCacheFromEnv({ DSP_CACHE_DIR: '/x' }, false), undefined);
  t.is(layerCacheFromEnv({ DSP_CACHE_DIR: '/x', DSP_CACHE_MAX_MB: '0' }), undefined);
  t.is(layerCacheFromEnv({ DSP_CACHE_DIR: '/x' })?.dir, '/x');
});

test('an OCI archive: layers named by their diffID (uncompressed blobs) come from the cache unparsed; compressed ones are read', async (t) => {
  const plain = await layerTar([dir('etc'), file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n')]);
  const zipped = await layerTar([file('usr/bin/su', 'ELF', { mode: 0o4755 })]);
  const config = imageConfig([plain, zipped]);
  const archive = await ociArchive({ config, layers: [plain, { tar: zipped, compression: 'gzip' }] });
  const want = request(['/etc/passwd']);
  const asked: string[] = [];
  const sentinel: LayerContents = { entries: [], whiteouts: [], opaqueDirs: [], contents: new Map(), hits: [], bytes: plain.length, compression: 'none' };
  const read = await readArchive(chunked(archive), want, undefined, {
    known: async (diffId) => {
      asked.push(diffId);
      return diffId === digestOf(plain) ? sentinel : undefined;
    },
  });
  const [image] = imagesInArchive(read);
  t.is(image.layers[0], sentinel, 'the uncompressed layer was taken from the cache');
  t.deepEqual(image.layers[1].entries.map((e) => e.path), ['/usr/bin/su'], 'the gzip layer (named by its compressed digest) was parsed');
  t.true(asked.includes(digestOf(plain)));
  t.false(asked.includes(digestOf(zipped)), 'a compressed blob is never named by its diffID');

  // And with a real cache: the facts are those of a plain read.
  const cache = await tempCache();
  const direct = imagesInArchive(await readArchive(chunked(archive), want));
  await cache.put(digestOf(plain), direct[0].layers[0], want);
  const viaCache = imagesInArchive(await readArchive(chunked(archive), want, undefined, { known: (d) => cache.get(d, want) }));
  t.deepEqual(viaCache, direct);

  // Podman's docker-archive names layers `<diffID hex>.tar`: the same shortcut applies.
  const podman = await podmanArchive({ config, layers: [plain, zipped] });
  const podmanDirect = imagesInArchive(await readArchive(chunked(podman), want));
  const seen: string[] = [];
  const podmanViaCache = imagesInArchive(
    await readArchive(chunked(podman), want, undefined, { known: async (d) => (seen.push(d), cache.get(d, want)) }),
  );
  t.deepEqual(podmanViaCache, podmanDirect);
  t.true(seen.includes(digestOf(plain)) && seen.includes(digestOf(zipped)));
});

test('a legacy archive: a layer directory whose v1 ID an earlier export mapped to a cached diffID is not parsed again', async (t) => {
  const base = await layerTar([dir('etc'), file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n')]);
  const own = await layerTar([file('usr/bin/su', 'ELF', { mode: 0o4755 })]);
  const built = await legacyArchiveWithInfo({ config: imageConfig([base, own]), layers: [base, own] });
  const want = request(['/etc/passwd']);
  const direct = imagesInArchive(await readArchive(chunked(built.buffer), want));
  t.deepEqual(direct[0].layerPaths, built.layerPaths, 'the archive paths of the layers are kept, bottom to top');

  const cache = await tempCache();
  const v1Base = built.layerPaths[0].slice(0, 64);
  t.is(await cache.aliasOf(v1Base), undefined);
  await cache.put(digestOf(base), direct[0].layers[0], want);
  t.true(await cache.putAlias(v1Base, digestOf(base)));
  t.is(await cache.aliasOf(v1Base), digestOf(base));
  t.false(await cache.putAlias('not-a-v1-id', digestOf(base)));

  const asked: string[] = [];
  const viaCache = imagesInArchive(
    await readArchive(chunked(built.buffer), want, undefined, {
      known: async (d) => (asked.push(d), cache.get(d, want)),
      aliasOf: (v1) => cache.aliasOf(v1),
    }),
  );
  t.deepEqual(asked, [digestOf(base)], 'only the aliased layer is asked of the cache');
  t.deepEqual(viaCache, direct, 'the same facts as a plain read');
});

test('an OCI archive with compressed layers (the containerd store): a blob whose digest an earlier export mapped to a cached diffID is not parsed again', async (t) => {
  const base = await layerTar([dir('etc'), file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n')]);
  const own = await layerTar([file('usr/bin/su', 'ELF', { mode: 0o4755 })]);
  const built = await ociArchiveWithInfo({ config: imageConfig([base, own]), layers: [{ tar: base, compression: 'gzip' }, { tar: own, compression: 'gzip' }] });
  const want = request(['/etc/passwd']);
  const direct = imagesInArchive(await readArchive(chunked(built.buffer), want));
  t.deepEqual(direct[0].layerPaths, built.layerPaths, 'the blobs of the layers, bottom to top');
  const blobHex = built.layerPaths[0].slice('blobs/sha256/'.length);
  t.not(`sha256:${blobHex}`, digestOf(base), 'the blob is named by its compressed digest, not its diffID');

  const cache = await tempCache();
  await cache.put(digestOf(base), direct[0].layers[0], want);
  t.true(await cache.putAlias(blobHex, digestOf(base)));
  const asked: string[] = [];
  const viaCache = imagesInArchive(
    await readArchive(chunked(built.buffer), want, undefined, {
      known: async (d) => (asked.push(d), cache.get(d, want)),
      aliasOf: (name) => cache.aliasOf(name),
    }),
  );
  t.true(asked.includes(digestOf(base)), 'the aliased blob is asked of the cache by its diffID');
  t.deepEqual(viaCache, direct, 'the same facts as a plain read');
});

test('a rebuilt image read with `until`: the read stops once its new layer and its config are in, and the layer hashed on the way names its diffID', async (t) => {
  const base = await layerTar([dir('etc'), file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n')]);
  const own = await layerTar([file('usr/bin/su', 'ELF', { mode: 0o4755 })]);
  const extra = await layerTar([file('opt/late', 'late')]);
  // v1 IDs chosen so that the archive holds: the new layer, the config, then a layer the cache has.
  const built = await legacyArchiveWithInfo({
    config: imageConfig([base, own, extra]),
    layers: [base, own, extra],
    v1Ids: ['c'.repeat(64), '1'.repeat(64), 'f'.repeat(64)],
  });
  const want = request(['/etc/passwd']);
  const direct = imagesInArchive(await readArchive(chunked(built.buffer), want))[0];
  const until = { diffIds: new Set([digestOf(own)]), configId: built.id };
  const read = await readArchive(chunked(built.buffer, 512), want, undefined, { until });
  t.true(read.stoppedEarly, 'stopped before the end');
  t.true(read.bytes < built.buffer.length, `read ${read.bytes} of ${built.buffer.length} bytes`);
  t.false(read.json.has('manifest.json'), 'the manifest (last) was never read');
  t.deepEqual(read.byDiffId?.get(digestOf(own)), direct.layers[1], 'the new layer, by the diffID its bytes hash to');
  t.is(read.v1DiffIds?.get('1'.repeat(64)), digestOf(own));

  const whole = await readArchive(chunked(built.buffer), want, undefined, { until: { diffIds: new Set(['sha256:' + '0'.repeat(64)]), configId: built.id } });
  t.falsy(whole.stoppedEarly, 'a layer that never comes: read to the end, as without `until`');
  t.deepEqual(imagesInArchive(whole)[0], direct);
});

test('stored results and rendered texts: a round trip, one file per image and slot, a damaged file a miss', async (t) => {
  const cache = await tempCache();
  const image = 'sha256:' + 'ab'.repeat(32);
  const slot = 'cd'.repeat(32);
  t.is(await cache.getResult(image, slot), undefined);
  t.true(await cache.putResult(image, slot, 'key-1', { passed: true, findings: [] }));
  t.deepEqual(await cache.getResult(image, slot), { slot, key: 'key-1', result: { passed: true, findings: [] } });
  t.is(await cache.getResult(image, 'ef'.repeat(32)), undefined, 'another slot');
  t.false(await cache.putResult('not-an-id', slot, 'k', {}));
  const dir = join(cache.dir, 'results', `v${CACHE_FORMAT}`);
  const [name] = await readdir(dir);
  await truncate(join(dir, name), 20);
  t.is(await cache.getResult(image, slot), undefined, 'damaged: a miss');
  t.deepEqual(await readdir(dir), [], 'and removed');

  const key = '12'.repeat(32);
  t.is(await cache.getRendered(key), undefined);
  t.true(await cache.putRendered(key, 'a table\n'));
  t.is(await cache.getRendered(key), 'a table\n');
  t.false(await cache.putRendered('../escape', 'x'));
});

test.after.always('temp dirs', async () => {
  const base = tmpdir();
  for (const name of await readdir(base)) if (name.startsWith('dsp-layer-cache-')) await rm(join(base, name), { recursive: true, force: true });
});
