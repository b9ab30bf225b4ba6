import test from 'ava';
import { DEBIAN_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';
import type { LayerScanHit } from '../../../src/image/file-scanner.js';
import { readLayer } from '../../../src/image/layer-reader.js';
import { entryNameScanner } from '../../../src/policies/rules/DSP10601-entries-outside-root.js';
import { chunked, dir, file, hardlink, layerTar, symlink, whiteout } from '../helpers/archives.js';

const HISTORY = [...DEBIAN_BASE, 'COPY app.tar /app # buildkit'];
const REQUEST = { wants: () => false, maxBytes: 0, paths: [], scanners: [entryNameScanner] };

async function hitsOf(tar: Buffer): Promise<LayerScanHit[]> {
  const layer = await readLayer(chunked(tar, 100), REQUEST);
  return layer.hits.map((h) => ({ ...h, layerIndex: 1 }));
}

test('DSP10601 fires on a `../` entry name, naming the entry as written, the path it lands at and the layer', async (t) => {
  const scanHits = await hitsOf(await layerTar([dir('app'), file('../../etc/cron.d/evil', '* * * * * root sh\n')]));
  const [f, ...rest] = findingsOf('DSP10601', { history: HISTORY, files: [{ path: '/app', type: 'dir', layerIndex: 1 }], scanHits });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    'the entry "../../etc/cron.d/evil" climbs out of the image root with `..`: unpacked by a tool that trusts the names, ' +
      "it writes outside its target directory; Docker's own exports never hold such entries, so this layer was made or changed by something else; " +
      'in layer 1, step 2 (COPY app.tar /app)',
  );
  t.deepEqual(f!.location, { kind: 'file', path: '/etc/cron.d/evil', layer: diffIdOf(1), layerIndex: 1, historyIndex: 2, instruction: 'COPY app.tar /app' });
  t.deepEqual(f!.subject, { path: '/etc/cron.d/evil' });
  t.false(f!.inherited);
});

test('DSP10601 fires on absolute names, symlinks climbing above the root, hardlinks to `../` names and climbing whiteouts', async (t) => {
  const scanHits = await hitsOf(
    await layerTar([
      file('/etc/ld.so.preload', '/tmp/x.so\n'),
      symlink('app/escape', '../../../../host/etc/shadow'),
      hardlink('app/shadow', '../etc/shadow'),
      whiteout('../../etc'),
    ]),
  );
  const findings = findingsOf('DSP10601', { history: HISTORY, layersRead: true, scanHits });
  t.deepEqual(
    findings.map((f) => [f.subject?.path, f.message.slice(0, f.message.indexOf(':'))]),
    [
      ['/etc/ld.so.preload', 'the entry "/etc/ld.so.preload" has an absolute name'],
      ['/app/escape', 'the symlink "app/escape" → "../../../../host/etc/shadow" points above the image root'],
      ['/app/shadow', 'the hardlink "app/shadow" → "../etc/shadow" names a file above the image root'],
      ['/.wh.etc', 'the entry "../../.wh.etc" climbs out of the image root with `..`'],
    ],
  );
  t.true(findings.every((f) => f.location.kind === 'file' && f.location.layerIndex === 1));
});

test('DSP10601 shows control characters and invalid UTF-8 in names escaped, and sums up past 20 entries', async (t) => {
  const names = Array.from({ length: 23 }, (_v, i) => `../x\u001b[31m${i}`);
  const scanHits = await hitsOf(await layerTar(names.map((n) => file(n, 'x'))));
  const findings = findingsOf('DSP10601', { history: HISTORY, layersRead: true, scanHits });
  t.is(findings.length, 21);
  t.true(findings[0]!.message.startsWith('the entry "../x\\u001b[31m0" climbs'), findings[0]!.message);
  t.false(findings.some((f) => f.message.includes('\u001b')));
  t.is(
    findings[20]!.message,
    '…and 3 more entries whose names or link targets lead out of the image root (the first 20 are reported one by one), ' +
      'e.g. "../x\\u001b[31m20", "../x\\u001b[31m21", "../x\\u001b[31m22"; in 1 layer (1)',
  );
  t.is(findings[20]!.subject, undefined);
});

test('DSP10601 is inherited when the base image layer holds the entry', (t) => {
  const hit: LayerScanHit = { scanner: entryNameScanner.id, kind: 'name-climbs', path: '/x', data: { name: '../x' }, layerIndex: 0 };
  const [f] = findingsOf('DSP10601', { history: HISTORY, layersRead: true, scanHits: [hit] });
  t.true(f!.inherited);
});

test('DSP10601 does not fire on ordinary names, `./` prefixes, `..` that stays inside, absolute symlinks or relative links inside the root', async (t) => {
  const scanHits = await hitsOf(
    await layerTar([
      dir('./'),
      dir('./usr/bin'),
      file('./usr/bin/busybox', 'x'),
      file('usr/lib/../lib/x.so', 'x'),
      file('a..b/..c/d..', 'x'),
      symlink('usr/bin/sh', 'busybox'),
      symlink('usr/bin/vi', '../../bin/vim'),
      symlink('etc/alternatives/x', '/usr/bin/busybox'),
      symlink('etc/mtab', '/proc/self/mounts'),
      hardlink('usr/bin/ls', 'usr/bin/busybox'),
      hardlink('usr/bin/cat', './usr/bin/busybox'),
      whiteout('etc/old'),
    ]),
  );
  t.deepEqual(scanHits, []);
  t.deepEqual(findingsOf('DSP10601', { history: HISTORY, layersRead: true, scanHits }), []);
  // Hits of other scanners are not this rule's.
  t.deepEqual(findingsOf('DSP10601', { history: HISTORY, layersRead: true, scanHits: [{ scanner: 'ssh-keys', kind: 'name-climbs', path: '/x', layerIndex: 1 }] }), []);
  // Layers not read: nothing to judge.
  t.deepEqual(findingsOf('DSP10601', { history: HISTORY, layersRead: false }), []);
});
