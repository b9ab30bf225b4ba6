// check --quick reads a container's merged filesystem instead of the layers:
// which files the daemon's own additions are, which layer each file is
// placed in (as far as the cached layers below tell), and how findings say
// a layer is not known.
import { Readable } from 'node:stream';
import test from 'ava';
import { readLayer, NO_CONTENT, type ContentRequest, type LayerContents } from '../../../src/image/layer-reader.js';
import { readContainerFilesystem } from '../../../src/image/container-filesystem.js';
import { mergedFilesystemOf } from '../../../src/image/merge.js';
import { buildFacts } from '../../../src/image/facts-builder.js';
import { MERGED_LAYER } from '../../../src/image/facts.js';
import { UNKNOWN_BOUNDARY } from '../../../src/image/boundary.js';
import type { FileScanner } from '../../../src/image/file-scanner.js';
import { describeLocation } from '../../../src/report/location.js';
import { chunked, dir, file, layerTar, symlink, type EntrySpec } from '../helpers/archives.js';
import { gcCallsDuring } from '../helpers/gc-calls.js';

async function read(specs: EntrySpec[], request: ContentRequest = NO_CONTENT): Promise<LayerContents> {
  return readLayer(chunked(await layerTar(specs), 700), request);
}

const BASE: EntrySpec[] = [dir('etc'), file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n'), dir('usr'), dir('usr/bin'), file('usr/bin/tool', 'tool', { mode: 0o755 })];
// What a container of an image that made /usr/bin/tool setuid and added /app shows.
const CONTAINER: EntrySpec[] = [
  file('.dockerenv', ''),
  dir('etc'),
  file('etc/hostname', ''),
  file('etc/hosts', ''),
  file('etc/resolv.conf', ''),
  symlink('etc/mtab', '/proc/mounts'),
  file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n'),
  dir('dev'),
  file('dev/console', ''),
  dir('dev/pts'),
  dir('proc'),
  dir('usr'),
  dir('usr/bin'),
  file('usr/bin/tool', 'tool', { mode: 0o4755 }),
  dir('app'),
  file('app/.env', 'TOKEN=1\n'),
];

/** The container's export as the daemon's response streams it: a Node stream, in pieces. */
async function containerExport(): Promise<Readable> {
  return Readable.from(chunked(await layerTar(CONTAINER), 700), { objectMode: false });
}

const layerOf = (files: Iterable<{ path: string; layerIndex: number }>) =>
  Object.fromEntries([...files].map((f) => [f.path, f.layerIndex]).sort(([a], [b]) => String(a).localeCompare(String(b))));

test('the files the daemon writes into every container are not the image\'s: dropped; its directories stay', async (t) => {
  const tree = await readContainerFilesystem(await containerExport(), NO_CONTENT);
  const paths = tree.entries.map((e) => e.path);
  for (const added of ['/.dockerenv', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/etc/mtab', '/dev/console']) t.false(paths.includes(added), added);
  for (const kept of ['/etc/passwd', '/dev/pts', '/proc', '/usr/bin/tool', '/app/.env']) t.true(paths.includes(kept), kept);
});

test('with no layer known, no file is placed in a layer', async (t) => {
  const tree = await readContainerFilesystem(await containerExport(), NO_CONTENT);
  const files = mergedFilesystemOf(tree, [], 3).files;
  t.true([...files.values()].every((f) => f.layerIndex === MERGED_LAYER));
});

test('the known bottom layer keeps the files it left as they are; with one layer above, that layer wrote the rest', async (t) => {
  const tree = await readContainerFilesystem(await containerExport(), NO_CONTENT);
  const files = mergedFilesystemOf(tree, [await read(BASE)], 2).files;
  const layers = layerOf(files.values());
  t.is(layers['/etc/passwd'], 0);
  t.is(layers['/usr/bin/tool'], 1, 'its mode changed: the layer above wrote it');
  t.is(layers['/app/.env'], 1);
});

test('with two layers above the known one, a changed file\'s layer is not known', async (t) => {
  const tree = await readContainerFilesystem(await containerExport(), NO_CONTENT);
  const layers = layerOf(mergedFilesystemOf(tree, [await read(BASE)], 3).files.values());
  t.is(layers['/etc/passwd'], 0);
  t.is(layers['/usr/bin/tool'], MERGED_LAYER);
  t.is(layers['/app/.env'], MERGED_LAYER);
});

test('the facts of a --quick read: layers read and merged, scanner hits placed where their files are', async (t) => {
  const token: FileScanner = {
    id: 'token',
    version: 1,
    maxBytes: 64,
    wants: () => true,
    scan: (path, bytes) => (bytes?.includes('TOKEN') ? [{ kind: 'token', path }] : []),
  };
  const tree = await readContainerFilesystem(await containerExport(), { ...NO_CONTENT, scanners: [token] });
  const facts = buildFacts({
    id: 'sha256:' + 'ab'.repeat(32),
    repoTags: [],
    os: 'linux',
    config: {},
    history: [
      { created: '', createdBy: '', comment: '', emptyLayer: false },
      { created: '', createdBy: '/bin/sh -c chmod u+s /usr/bin/tool && mkdir /app', comment: '', emptyLayer: false },
    ],
    diffIds: ['sha256:' + '01'.repeat(32), 'sha256:' + '02'.repeat(32)],
    merged: { tree, known: [await read(BASE)] },
    boundary: UNKNOWN_BOUNDARY,
  });
  t.true(facts.layersRead);
  t.true(facts.layersMerged);
  t.deepEqual(facts.scanHits.map((h) => [h.path, h.layerIndex]), [['/app/.env', 1]]);
  t.is(facts.files.get('/etc/hosts'), undefined);
});

test('a finding on a file whose layer is not known says so where the layer would be', (t) => {
  t.is(describeLocation({ kind: 'file', path: '/usr/bin/tool', layer: '', layerIndex: MERGED_LAYER }), '/usr/bin/tool\nlayer not known (--quick)');
});

test.serial('reading a container\'s export collects the socket\'s chunks as they pass: a minor collection every 2 MiB, when node exposes gc', async (t) => {
  const big = Buffer.alloc(20 * 1024 * 1024, 0x61);
  const tar = await layerTar([file('data/blob', big)]);
  const calls = await gcCallsDuring(() => readContainerFilesystem(Readable.from(chunked(tar, 64 * 1024), { objectMode: false }), NO_CONTENT));
  t.deepEqual(calls, Array(10).fill({ type: 'minor' }));
});
