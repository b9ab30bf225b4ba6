import test from 'ava';
import { DEBIAN_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';

const MiB = 1024 * 1024;
const HISTORY = [
  ...DEBIAN_BASE,
  'RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit',
  'RUN /bin/sh -c pip install -r requirements.txt # buildkit',
  'RUN /bin/sh -c apt-get update && apt-get install -y git # buildkit',
];

test('DSP10402 fires once on apt lists left by the own build, with their size, file count, layer and the fix', (t) => {
  const [f, ...rest] = findingsOf('DSP10402', {
    history: HISTORY,
    files: [
      { path: '/var/lib/apt/lists', type: 'dir' },
      { path: '/var/lib/apt/lists/lock', layerIndex: 1 },
      { path: '/var/lib/apt/lists/partial', type: 'dir', layerIndex: 1 },
      { path: '/var/lib/apt/lists/partial/x_Packages', size: 9 * MiB, layerIndex: 1 },
      { path: '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', size: 8 * MiB, layerIndex: 1 },
      { path: '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', size: 150_000, layerIndex: 1 },
    ],
  });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/var/lib/apt/lists holds 8.1 MiB of apt package lists (2 files) that nothing needs at run time; ' +
      'written by layer 1, step 2 (RUN apt-get update && apt-get install -y curl); ' +
      'end the RUN that runs apt-get update with `rm -rf /var/lib/apt/lists/*`',
  );
  t.deepEqual(f!.location, {
    kind: 'file',
    path: '/var/lib/apt/lists',
    layer: diffIdOf(1),
    layerIndex: 1,
    historyIndex: 2,
    instruction: 'RUN apt-get update && apt-get install -y curl',
  });
  t.deepEqual(f!.subject, { path: '/var/lib/apt/lists' });
  t.false(f!.inherited);
});

test('DSP10402 names every layer that wrote a cache and locates the one that wrote the most', (t) => {
  const [f] = findingsOf('DSP10402', {
    history: HISTORY,
    files: [
      { path: '/var/lib/apt/lists/a_Packages', size: 2 * MiB, layerIndex: 1 },
      { path: '/var/lib/apt/lists/b_Packages', size: 6 * MiB, layerIndex: 3 },
    ],
  });
  t.regex(
    f!.message,
    /written by layer 1, step 2 \(RUN apt-get update && apt-get install -y curl\) \(2 MiB\) and layer 3, step 4 \(RUN apt-get update && apt-get install -y git\) \(6 MiB\);/,
  );
  t.is(f!.location.kind === 'file' ? f!.location.layerIndex : -1, 3);
});

test('DSP10402 reports apt archives, pip, npm and yarn caches one finding per cache directory', (t) => {
  const findings = findingsOf('DSP10402', {
    history: HISTORY,
    files: [
      { path: '/var/cache/apt/archives/curl_7.88_amd64.deb', size: 2 * MiB },
      { path: '/var/cache/apt/pkgcache.bin', size: 30 * MiB, layerIndex: 1 },
      { path: '/var/cache/apt/archives/lock' },
      { path: '/root/.cache/pip/http-v2/a/b/c', size: 3 * MiB, layerIndex: 2 },
      { path: '/home/app/.cache/pip/wheels/x.whl', size: 2 * MiB, layerIndex: 2 },
      { path: '/root/.npm/_cacache/content-v2/sha512/ab', size: 5 * MiB, layerIndex: 2 },
      { path: '/usr/local/share/.cache/yarn/v6/npm-left-pad', size: 4 * MiB, layerIndex: 2 },
    ],
  });
  t.deepEqual(
    findings.map((f) => f.message.split(' that ')[0]),
    [
      '/home/app/.cache/pip holds 2 MiB of pip cache (1 file)',
      '/root/.cache/pip holds 3 MiB of pip cache (1 file)',
      '/root/.npm/_cacache holds 5 MiB of npm cache (1 file)',
      '/usr/local/share/.cache/yarn holds 4 MiB of yarn cache (1 file)',
      '/var/cache/apt holds 32 MiB of apt package cache (.debs and .bin caches) (2 files)',
    ],
  );
  t.true(findings[0]!.message.endsWith('; install with `pip install --no-cache-dir` (or set PIP_NO_CACHE_DIR=1)'));
  t.false(findings[4]!.inherited, 'a cache the own build added to is not inherited');
});

test('DSP10402 fires on apk, yum and dnf caches of the base image, marked inherited', (t) => {
  const findings = findingsOf('DSP10402', {
    history: HISTORY,
    files: [
      { path: '/var/cache/apk/APKINDEX.1.tar.gz', size: 2 * MiB },
      { path: '/var/cache/yum/x86_64/7/base/packages/a.rpm', size: 2 * MiB },
      { path: '/var/cache/dnf/fedora-abc/repodata/primary.xml.zck', size: 2 * MiB },
    ],
  });
  t.deepEqual(findings.map((f) => [f.subject?.path, f.inherited]), [
    ['/var/cache/apk', true],
    ['/var/cache/dnf', true],
    ['/var/cache/yum', true],
  ]);
});

test('DSP10402 does not fire under minBytes (1 MiB by default, configurable), nor on an empty lists directory', (t) => {
  const small = { history: HISTORY, files: [{ path: '/var/lib/apt/lists/a_InRelease', size: 150_000 }] };
  t.deepEqual(findingsOf('DSP10402', small), []);
  t.is(findingsOf('DSP10402', small, { DSP10402: { options: { minBytes: 100_000 } } }).length, 1);
  t.deepEqual(
    findingsOf('DSP10402', {
      history: HISTORY,
      files: [{ path: '/var/lib/apt/lists', type: 'dir' }, { path: '/var/lib/apt/lists/partial', type: 'dir' }, { path: '/var/lib/apt/lists/lock' }],
    }),
    [],
  );
  t.deepEqual(findingsOf('DSP10402', { history: HISTORY, files: [{ path: '/var/cache/apt/archives/a.deb', size: 9 * MiB }], layersRead: false }), []);
});

test('DSP10402 does not count installed files that only look like caches', (t) => {
  t.deepEqual(
    findingsOf('DSP10402', {
      history: HISTORY,
      files: [
        { path: '/usr/lib/python3/dist-packages/pip/_internal/cache.py', size: 2 * MiB },
        { path: '/var/cache/apt/archives/partial', type: 'dir' },
        { path: '/var/cache/debconf/templates.dat', size: 2 * MiB },
        { path: '/var/cache/apt/archives/keep.txt', size: 2 * MiB },
      ],
    }),
    [],
  );
});
