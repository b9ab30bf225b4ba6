import test from 'ava';
import { buildSteps, markInherited, type HistoryEntry } from '../../../src/image/history.js';
import { buildFacts, historyFromConfig } from '../../../src/image/facts-builder.js';
import { UNKNOWN_BOUNDARY } from '../../../src/image/boundary.js';
import { dir, file, imageConfig, layerTar, legacyArchive, readImages, whiteout } from '../helpers/archives.js';

function entry(createdBy: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return { created: '2024-03-01T10:00:00Z', createdBy, comment: '', ...extra };
}

const D = ['sha256:' + '0'.repeat(64), 'sha256:' + '1'.repeat(64), 'sha256:' + '2'.repeat(64)];

test('buildSteps maps layers to the steps that made them from empty_layer', (t) => {
  const { history, layers } = buildSteps(
    [
      entry('/bin/sh -c #(nop) ADD file:abc in / ', { emptyLayer: false }),
      entry('/bin/sh -c #(nop)  CMD ["/bin/sh"]', { emptyLayer: true }),
      entry('RUN /bin/sh -c apk add curl # buildkit', { emptyLayer: false }),
      entry('ENV A=b', { emptyLayer: true }),
      entry('COPY app /app # buildkit', { emptyLayer: false }),
      entry('CMD ["/app"]', { emptyLayer: true }),
    ],
    D,
    [100, 200, 300],
  );
  t.deepEqual(history.map((s) => [s.index, s.makesLayer, s.layerIndex, s.instruction?.keyword]), [
    [0, true, 0, 'ADD'],
    [1, false, undefined, 'CMD'],
    [2, true, 1, 'RUN'],
    [3, false, undefined, 'ENV'],
    [4, true, 2, 'COPY'],
    [5, false, undefined, 'CMD'],
  ]);
  t.deepEqual(layers, [
    { index: 0, diffId: D[0], size: 100, historyIndex: 0, inherited: false },
    { index: 1, diffId: D[1], size: 200, historyIndex: 2, inherited: false },
    { index: 2, diffId: D[2], size: 300, historyIndex: 4, inherited: false },
  ]);
});

test('buildSteps leaves the mapping unknown when empty_layer disagrees with the layer count', (t) => {
  const { history, layers } = buildSteps([entry('a', { emptyLayer: false }), entry('b', { emptyLayer: true })], D.slice(0, 2));
  t.true(history.every((s) => !s.makesLayer && s.layerIndex === undefined));
  t.true(layers.every((l) => l.historyIndex === undefined && l.size === 0));
});

test('buildSteps maps layers from daemon-style sizes when empty_layer is unknown', (t) => {
  // /history gives sizes only: a zero-size RUN may still have made an (empty) layer.
  const { history, layers } = buildSteps(
    [
      entry('/bin/sh -c #(nop) ADD file:abc in / ', { size: 5_000_000 }),
      entry('/bin/sh -c #(nop)  CMD ["/bin/sh"]', { size: 0 }),
      entry('/bin/sh -c mkdir -p /app', { size: 0 }),
      entry('/bin/sh -c #(nop)  ENV A=b', { size: 0 }),
      entry('/bin/sh -c #(nop) COPY file:abc in /app ', { size: 1234 }),
      entry('/bin/sh -c #(nop)  CMD ["/app"]', { size: 0 }),
    ],
    D,
  );
  t.deepEqual(layers.map((l) => l.historyIndex), [0, 2, 4]);
  t.deepEqual(history.filter((s) => s.makesLayer).map((s) => s.index), [0, 2, 4]);
});

test('buildSteps: daemon-style non-zero sizes alone decide when they account for every layer', (t) => {
  const { layers } = buildSteps(
    [entry('', { size: 10 }), entry('RUN /bin/sh -c true # buildkit', { size: 0 }), entry('COPY a /a # buildkit', { size: 5 })],
    D.slice(0, 2),
  );
  t.deepEqual(layers.map((l) => l.historyIndex), [0, 2], 'the zero-size RUN is not taken');
});

test('buildSteps gives up on daemon-style sizes that cannot match the layers', (t) => {
  const tooMany = buildSteps([entry('a', { size: 1 }), entry('b', { size: 2 }), entry('c', { size: 3 })], D.slice(0, 2));
  t.true(tooMany.layers.every((l) => l.historyIndex === undefined));
  const tooFew = buildSteps([entry('/bin/sh -c #(nop)  CMD ["x"]', { size: 0 }), entry('ENV A=b', { size: 0 })], D.slice(0, 1));
  t.true(tooFew.layers.every((l) => l.historyIndex === undefined));
});

test('markInherited marks steps before the boundary and their layers; unmapped layers by position', (t) => {
  const mapped = buildSteps(
    [entry('ADD x /', { emptyLayer: false }), entry('CMD ["sh"]', { emptyLayer: true }), entry('RUN a # buildkit', { emptyLayer: false })],
    D.slice(0, 2),
  );
  markInherited(mapped.history, mapped.layers, 2);
  t.deepEqual(mapped.history.map((s) => s.inherited), [true, true, false]);
  t.deepEqual(mapped.layers.map((l) => l.inherited), [true, false]);
});

test('buildFacts from an archived image: history from the config, layer sizes, merged files, inherited marks', async (t) => {
  const l0 = await layerTar([dir('etc'), file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n'), file('etc/secret', 's')]);
  const l1 = await layerTar([dir('etc'), whiteout('etc/secret'), file('etc/app.conf', 'x=1')]);
  const config = imageConfig([l0, l1], {
    history: [
      { created_by: '/bin/sh -c #(nop) ADD file:abc in / ', created: '2023-01-01T00:00:00Z' },
      { created_by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', empty_layer: true, created: '2023-01-01T00:00:00Z' },
      { created_by: 'COPY app.conf /etc/ # buildkit' },
      { created_by: 'CMD ["app"]', empty_layer: true },
    ],
    config: { Cmd: ['app'], User: 'app' },
  });
  const { images } = await readImages(await legacyArchive({ config, layers: [l0, l1] }));
  const [image] = images;
  t.deepEqual(historyFromConfig(image).map((h) => h.emptyLayer), [false, true, false, true]);
  const facts = buildFacts({
    id: image.id,
    repoTags: image.repoTags,
    os: 'linux',
    config: image.config.config ?? {},
    history: [],
    diffIds: [],
    archived: image,
    boundary: { source: 'base-image', ownFrom: 2, base: 'alpine:3.19' },
  });
  t.true(facts.layersRead);
  t.deepEqual(facts.layers.map((l) => [l.diffId, l.size, l.historyIndex, l.inherited]), [
    [config.rootfs!.diff_ids![0], l0.length, 0, true],
    [config.rootfs!.diff_ids![1], l1.length, 2, false],
  ]);
  t.deepEqual(facts.history.map((s) => s.inherited), [true, true, false, false]);
  t.deepEqual([...facts.files.values()].map((f) => f.path).sort(), ['/etc', '/etc/app.conf', '/etc/passwd']);
  t.like(facts.files.get('/etc/app.conf'), { layerIndex: 1, size: 3 });
  t.is(facts.config.User, 'app');
});

test('buildFacts without an archive: daemon history, no files', (t) => {
  const facts = buildFacts({
    id: 'sha256:x',
    repoTags: [],
    os: 'linux',
    config: {},
    history: [entry('/bin/sh -c #(nop) ADD file:abc in / ', { size: 10 }), entry('CMD ["x"]', { size: 0 })],
    diffIds: D.slice(0, 1),
    boundary: UNKNOWN_BOUNDARY,
  });
  t.false(facts.layersRead);
  t.is(facts.files.size, 0);
  t.is(facts.layers[0].historyIndex, 0);
  t.true(facts.history.every((s) => !s.inherited));
});
