// Hostile and broken image archives, one table: each case says what the user
// sees. Either the archive cannot be read (an ArchiveError: `check` exits 2
// with that one line), or it can and the facts hold what is suspicious (a
// DSP10601 finding for names and links leading out of the root), or it simply
// reads. Every case goes the whole way `check --archive` goes (archive →
// images → facts → every rule), under a time limit, so a hang is a failure
// with the case's name. The huge ones (a size-lying 10 GiB entry, a million
// tiny files) are streams, never whole in memory, and their memory is measured.
// The CLI cases at the end run `check --archive FILE` itself.
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveError } from '../../../src/image/archive-reader.js';
import {
  dir,
  file,
  gzip,
  hardlink,
  layerTar,
  legacyArchiveWithInfo,
  manyFilesLayer,
  ociArchiveWithInfo,
  symlink,
  tarOffsets,
  zstd,
} from '../helpers/archives.js';
import { configFor, judgeArchive, legacyOf, MiB, paxRecord, rawTar, streamedLegacy, tarHeader, withMemoryPeak, type Judged, type MemoryPeak } from './hostile-tar.js';

/** No single case may take longer than this: past it, it hangs. */
const CASE_TIMEOUT_MS = 30_000;
/** Heap growth allowed for reading the million-entry layer (its entry records are the facts: ~150 B each). */
const MILLION_FILES_HEAP_LIMIT = 600 * MiB;
/** Memory growth allowed for streaming cases that keep nothing (size-lying entries, huge names). */
const STREAMING_LIMIT = 96 * MiB;

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n';
const goodLayer = () => layerTar([dir('etc'), file('etc/passwd', PASSWD), dir('bin'), file('bin/sh', Buffer.alloc(4096, 7), { mode: 0o755 })]);

type Outcome =
  /** Cannot be read: exit 2 with this one line. */
  | { error: RegExp }
  /** Read; DSP10601 findings on these image paths (in order). */
  | { findings: string[]; check?: (j: Judged, t: ExecutionContext) => void }
  /** Read, nothing suspicious about the names; `check` looks at the facts. */
  | { reads: true; check?: (j: Judged, t: ExecutionContext) => void };

interface Case {
  kind: string;
  what: string;
  archive: () => Promise<Buffer | AsyncIterable<Buffer>>;
  expect: Outcome;
  /** Memory growth limit (bytes of heap or RSS growth); measured for every case, asserted when set. */
  memory?: number;
}

function withTimeout<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${CASE_TIMEOUT_MS} ms (a hang)`)), CASE_TIMEOUT_MS);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

const legacyWith = (layers: Buffer[]): Buffer => legacyOf(layers);

const flip = (buf: Buffer, at: number, mask = 0xff) => {
  const out = Buffer.from(buf);
  out[at] ^= mask;
  return out;
};

async function* repeat(chunk: Buffer, total: number): AsyncGenerator<Buffer> {
  for (let sent = 0; sent < total; sent += chunk.length) yield sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
}

/** A layer whose one file claims `claimed` bytes and has only `given`. */
async function* sizeLyingLayer(claimed: number, given: number): AsyncGenerator<Buffer> {
  yield tarHeader({ name: 'big.bin', size: claimed });
  yield* repeat(Buffer.alloc(MiB), given);
}

const GiB10 = 10 * 1024 * MiB;
const escName = 'evil\u001b]0;pwned\u0007\u001b[2J\u001b[31mred';
const badUtf8 = Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x28, 0x2e, 0x74, 0x78, 0x74]); // "bad", invalid bytes, ".txt"

const CASES: Case[] = [
  // --- corrupt compression -------------------------------------------------
  ...(['gzip', 'zstd'] as const).flatMap((kind): Case[] => {
    const variants: Array<[string, (blob: Buffer) => Buffer]> =
      kind === 'gzip'
        ? [
            ['only the gzip magic', () => Buffer.from([0x1f, 0x8b])],
            ['an unknown compression method', (b) => flip(b, 2, 0x07)],
            ['a wrong length in the trailer', (b) => flip(b, b.length - 1)],
            ['the deflate stream cut and padded with zeros', (b) => Buffer.concat([b.subarray(0, b.length >> 1), Buffer.alloc(b.length >> 1)])],
          ]
        : [
            ['only the zstd magic', (b) => b.subarray(0, 4)],
            ['a reserved bit in the frame header', (b) => flip(b, 4, 0x08)],
            ['a block claiming more bytes than follow', (b) => { const o = Buffer.from(b); o.writeUIntLE((0x1fffff << 3) | 1, 6, 3); return o; }],
            ['a window of 2^41 bytes', (b) => { const o = Buffer.from(b); o[5] = 31 << 3; return o; }],
          ];
    return variants.map(([what, damage]) => ({
      kind: `corrupt ${kind} stream`,
      what,
      archive: async () => {
        const tar = await goodLayer();
        const blob = damage(kind === 'gzip' ? gzip(tar) : zstd(tar));
        return (await ociArchiveWithInfo({ config: configObject([tar]), layers: [{ tar, compression: kind, blob }] })).buffer;
      },
      expect: { error: /^a layer's compressed data is corrupt|^the image archive (is corrupt|is truncated|could not be read)/ },
    }));
  }),

  // --- invalid tar headers and checksums ------------------------------------
  {
    kind: 'invalid tar header',
    what: 'a layer entry with a wrong header checksum',
    archive: async () => legacyWith([rawTar([{ name: 'etc/passwd', data: Buffer.from(PASSWD) }, { name: 'bin/sh', data: Buffer.alloc(10), badChecksum: true }])]),
    expect: { error: /^the image archive is corrupt \(Invalid tar header/ },
  },
  {
    kind: 'invalid tar header',
    what: 'an outer entry with a wrong header checksum',
    archive: async () => {
      const buf = legacyOf([await goodLayer()]);
      return flip(buf, 3, 0x20);
    },
    expect: { error: /^the image archive is corrupt/ },
  },
  {
    kind: 'invalid tar header',
    what: 'a layer entry whose size field is not a number',
    archive: async () => legacyWith([rawTar([{ name: 'x', sizeField: Buffer.from('zzzzzzzzzzz\0') }])]),
    expect: { error: /^the image archive is corrupt|^the image archive could not be read/ },
  },
  {
    kind: 'invalid tar header',
    what: 'a layer entry with a negative base-256 size',
    archive: async () => legacyWith([rawTar([{ name: 'x', sizeField: Buffer.alloc(12, 0xff) }])]),
    expect: { reads: true },
  },
  {
    kind: 'invalid tar header',
    what: 'a header block of 0xff bytes inside a layer',
    archive: async () => legacyWith([Buffer.concat([rawTar([{ name: 'a', data: Buffer.from('a') }], { end: false }), Buffer.alloc(512, 0xff), Buffer.alloc(1024)])]),
    expect: { error: /^the image archive is corrupt/ },
  },
  {
    kind: 'invalid tar header',
    what: 'an unknown entry type and a v7 header without ustar magic',
    archive: async () => legacyWith([rawTar([{ name: 'etc/', type: '5', v7: true }, { name: 'etc/odd', type: 'Z', data: Buffer.from('zz') }, { name: 'etc/passwd', v7: true, data: Buffer.from(PASSWD) }])]),
    expect: { reads: true, check: (j, t) => t.truthy(j.facts[0]!.files.get('/etc/passwd')) },
  },
  {
    kind: 'invalid tar header',
    what: 'an outer archive that is one header of garbage',
    archive: async () => Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(1020, 0x41)]),
    expect: { error: /^the image archive is corrupt/ },
  },

  // --- PAX and GNU long names -----------------------------------------------
  {
    kind: 'PAX / GNU long names',
    what: 'GNU long name and long link (L/K) entries in a layer',
    archive: async () => {
      const long = 'd/'.repeat(150) + 'file';
      return legacyWith([
        rawTar([
          { name: '././@LongLink', type: 'L', data: Buffer.from(long + '\0') },
          { name: 'truncated', data: Buffer.from('x') },
          { name: '././@LongLink', type: 'K', data: Buffer.from('../'.repeat(40) + 'etc/shadow\0') },
          { name: 'link', type: '2' },
        ]),
      ]);
    },
    expect: { findings: ['/link'], check: (j, t) => t.truthy(j.facts[0]!.files.get('/' + 'd/'.repeat(150) + 'file')) },
  },
  {
    kind: 'PAX / GNU long names',
    what: 'a PAX path of invalid UTF-8 and a PAX linkpath climbing out',
    archive: async () =>
      legacyWith([
        rawTar([
          { name: 'PaxHeaders/x', type: 'x', data: paxRecord('path', Buffer.concat([Buffer.from('etc/'), badUtf8])) },
          { name: 'short', data: Buffer.from('x') },
          { name: 'PaxHeaders/y', type: 'x', data: paxRecord('linkpath', '../../../../etc/passwd') },
          { name: 'usr/lnk', type: '2' },
        ]),
      ]),
    expect: { findings: ['/usr/lnk'], check: (j, t) => t.truthy(j.facts[0]!.files.get('/etc/bad\ufffd\ufffd\ufffd(.txt')) },
  },
  {
    kind: 'PAX / GNU long names',
    what: 'a PAX record whose length lies',
    archive: async () => legacyWith([rawTar([{ name: 'PaxHeaders/x', type: 'x', data: Buffer.from('999 path=short\n') }, { name: 'a', data: Buffer.from('a') }])]),
    expect: { reads: true },
  },
  {
    kind: 'PAX / GNU long names',
    what: 'a PAX size that is not a number',
    archive: async () => legacyWith([rawTar([{ name: 'PaxHeaders/x', type: 'x', data: paxRecord('size', 'many') }, { name: 'a', data: Buffer.from('a') }])]),
    expect: { error: /^the image archive is corrupt \(Invalid header/ },
  },
  {
    kind: 'PAX / GNU long names',
    what: 'a 10 GiB GNU long name (tar-stream refuses headers over 1 MiB)',
    archive: async () => streamedLegacy((async function* () { yield tarHeader({ name: '././@LongLink', type: 'L', size: GiB10 }); yield* repeat(Buffer.alloc(MiB, 0x61), 8 * MiB); })(), GiB10 + 512),
    expect: { error: /Header exceeds max size|truncated/ },
    memory: STREAMING_LIMIT,
  },

  // --- names and links leading out of the root ------------------------------
  {
    kind: '`../` and absolute names',
    what: '`../` names, absolute names and a climbing whiteout in a layer',
    archive: async () =>
      legacyWith([
        await layerTar([dir('etc'), file('etc/passwd', PASSWD), file('../../../etc/cron.d/x', '* * * * * root sh\n'), file('/etc/ld.so.preload', '/x.so\n'), file('usr/../../../root/.bashrc', 'x')]),
        rawTar([{ name: '../../.wh.etc', data: Buffer.alloc(0) }]),
      ]),
    expect: {
      findings: ['/etc/cron.d/x', '/etc/ld.so.preload', '/root/.bashrc', '/.wh.etc'],
      check: (j, t) => {
        // The whiteout named from outside still deletes /etc below it, as the runtime would read it.
        t.is(j.facts[0]!.files.get('/etc/passwd'), undefined);
      },
    },
  },
  {
    kind: '`../` and absolute names',
    what: '`../` and absolute names in the outer archive (nothing is unpacked)',
    archive: async () => {
      const layer = await goodLayer();
      const config = configFor([`sha256:${'1'.repeat(64)}`]);
      return rawTar([
        { name: '../../manifest.json', data: Buffer.from(JSON.stringify([{ Config: '/etc/config.json', Layers: ['../../../layer.tar'] }])) },
        { name: '/etc/config.json', data: Buffer.from(config) },
        { name: '../layer.tar', data: layer },
      ]);
    },
    expect: { reads: true, check: (j, t) => t.truthy(j.facts[0]!.files.get('/etc/passwd')) },
  },
  {
    kind: 'links leading out of the root',
    what: 'symlinks and hardlinks climbing above the root',
    archive: async () => legacyWith([await layerTar([dir('app'), symlink('app/host', '../../../../../'), symlink('app/ok', '../etc/passwd'), hardlink('app/pw', '../../etc/shadow'), symlink('app/abs', '/etc/shadow')])]),
    expect: { findings: ['/app/host', '/app/pw'] },
  },

  // --- link loops and missing targets ---------------------------------------
  {
    kind: 'symlink / hardlink loops',
    what: 'symlink loops (self, pair, through directories) and a hardlink cycle in a layer',
    archive: async () =>
      legacyWith([
        await layerTar([
          dir('usr'),
          dir('usr/bin'),
          symlink('usr/bin/sudo', 'sudo'),
          symlink('usr/bin/sshd', '../bin/sshd2'),
          symlink('usr/bin/sshd2', '/usr/bin/sshd'),
          symlink('loop', 'loop/loop'),
          hardlink('a', 'b'),
          hardlink('b', 'a'),
          hardlink('usr/bin/self', 'usr/bin/self'),
        ]),
      ]),
    expect: { reads: true, check: (j, t) => t.is(j.facts[0]!.files.get('/usr/bin/sudo')?.type, 'symlink') },
  },
  {
    kind: 'symlink / hardlink loops',
    what: 'the manifest names a layer behind an outer symlink loop',
    archive: async () => {
      const buf = legacyOf([await goodLayer()], (m) => (m.Layers = ['a/layer.tar']));
      const at = buf.length - 1024;
      return Buffer.concat([buf.subarray(0, at), rawTar([{ name: 'a/layer.tar', type: '2', linkname: '../b/layer.tar' }, { name: 'b/layer.tar', type: '2', linkname: '../a/layer.tar' }])]);
    },
    expect: { error: /^the archive's manifest names layer a\/layer\.tar, which is missing from the archive/ },
  },
  {
    kind: 'links to missing targets',
    what: 'an outer hardlink to a missing layer',
    archive: async () => {
      const buf = legacyOf([await goodLayer()], (m) => (m.Layers = ['x/layer.tar']));
      return Buffer.concat([buf.subarray(0, buf.length - 1024), rawTar([{ name: 'x/layer.tar', type: '1', linkname: 'nowhere.tar' }])]);
    },
    expect: { error: /^the archive's manifest names layer x\/layer\.tar, which is missing from the archive/ },
  },
  {
    kind: 'links to missing targets',
    what: 'hardlinks to missing files inside a layer',
    archive: async () => legacyWith([await layerTar([dir('bin'), hardlink('bin/sudo', 'bin/nothing'), hardlink('bin/su', 'usr/bin/gone')])]),
    expect: { reads: true, check: (j, t) => t.is(j.facts[0]!.files.get('/bin/sudo')?.linkTarget, '/bin/nothing') },
  },

  // --- manifests --------------------------------------------------------------
  {
    kind: 'a layer referenced twice',
    what: 'the manifest lists one layer file twice',
    archive: async () => {
      const layer = await goodLayer();
      const config = configFor([digestOfBuf(layer), digestOfBuf(layer)]);
      const name = `${sha(config)}.json`;
      return rawTar([
        { name: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: name, Layers: ['l.tar', 'l.tar'] }])) },
        { name, data: Buffer.from(config) },
        { name: 'l.tar', data: layer },
      ]);
    },
    expect: { reads: true, check: (j, t) => t.is(j.images[0]!.layers.length, 2) },
  },
  {
    kind: 'a manifest naming missing layers',
    what: 'a missing layer whose name holds terminal escapes (the line shows them escaped)',
    archive: async () => legacyOf([await goodLayer()], (m) => (m.Layers = [`${escName}/layer.tar`])),
    expect: { error: /^the archive's manifest names layer evil\\x1b\]0;pwned\\x07\\x1b\[2J\\x1b\[31mred\/layer\.tar, which is missing/ },
  },
  {
    kind: 'a manifest naming missing layers',
    what: 'a manifest with no images',
    archive: async () => rawTar([{ name: 'manifest.json', data: Buffer.from('[]') }]),
    expect: { error: /^manifest\.json in the archive lists no image/ },
  },
  {
    kind: 'a manifest naming missing layers',
    what: 'manifest and config documents of the wrong shape',
    archive: async () => rawTar([{ name: 'manifest.json', data: Buffer.from('[null, {"Config": 7, "Layers": "x"}]') }]),
    expect: { error: /^manifest\.json entry without Config or Layers/ },
  },
  {
    kind: 'a manifest naming missing layers',
    what: 'a config whose history and diff_ids are not lists',
    archive: async () => {
      const layer = await goodLayer();
      const config = JSON.stringify({ os: 'linux', config: null, rootfs: { diff_ids: 'sha256:x' }, history: { created_by: 'x' } });
      const name = `${sha(config)}.json`;
      return rawTar([
        { name: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: name, Layers: ['l.tar'] }])) },
        { name, data: Buffer.from(config) },
        { name: 'l.tar', data: layer },
      ]);
    },
    expect: { error: /^the image config .* is not an image config/ },
  },

  // --- duplicates ---------------------------------------------------------------
  {
    kind: 'duplicate entries',
    what: 'one path twice in a layer: the later entry wins, as unpacking does',
    archive: async () =>
      legacyWith([
        await layerTar([dir('usr'), dir('usr/bin'), file('usr/bin/sudo', 'harmless'), file('usr/bin/sudo', 'sudo!', { mode: 0o4755 }), dir('etc', { mode: 0o700 }), dir('etc', { mode: 0o755 })]),
      ]),
    expect: {
      reads: true,
      check: (j, t) => {
        t.is(j.facts[0]!.files.get('/usr/bin/sudo')?.mode, 0o4755);
        t.is(j.facts[0]!.files.get('/etc')?.mode, 0o755);
        t.true(j.findings.some((f) => f.policy === 'DSP10401'), 'the setuid sudo written last is judged');
      },
    },
  },
  {
    kind: 'duplicate entries',
    what: 'manifest.json and a layer twice in the outer archive: the later wins',
    archive: async () => {
      const good = legacyOf([await goodLayer()]);
      return Buffer.concat([rawTar([{ name: 'manifest.json', data: Buffer.from('[{"Config":"nothing.json","Layers":[]}]') }, { name: 'layer0.tar', data: Buffer.from('junk') }], { end: false }), good]);
    },
    expect: { reads: true, check: (j, t) => t.truthy(j.facts[0]!.files.get('/etc/passwd')) },
  },

  // --- huge -------------------------------------------------------------------------
  {
    kind: '10 GiB size-lying entry',
    what: 'a layer file claiming 10 GiB, with 64 MiB given (streamed)',
    archive: async () => streamedLegacy(sizeLyingLayer(GiB10, 64 * MiB), 512 + GiB10 + 1024),
    expect: { error: /^the image archive is truncated/ },
    memory: STREAMING_LIMIT,
  },
  {
    kind: '10 GiB size-lying entry',
    what: 'an outer layer.tar claiming 10 GiB (base-256 size), with a small layer given',
    archive: async () => {
      const layer = await goodLayer();
      return streamedLegacy((async function* () { yield layer; })(), layer.length, GiB10);
    },
    expect: { error: /^the image archive is truncated/ },
    memory: STREAMING_LIMIT,
  },
  {
    kind: '10 GiB size-lying entry',
    what: 'a GNU sparse entry whose real size is 10 GiB (16 KiB stored)',
    archive: async () => {
      const extra = Buffer.alloc(155);
      // GNU sparse header: 4 sparse descriptors at 386 (offset 41 in this slice), real size at 483 (138).
      extra.write(GiB10.toString(8).padStart(11, '0'), 138, 'latin1');
      return legacyWith([rawTar([{ name: 'sparse.img', type: 'S', data: Buffer.alloc(16384), extra }, { name: 'after', data: Buffer.from('x') }])]);
    },
    expect: { reads: true, check: (j, t) => t.truthy(j.facts[0]!.files.get('/after')) },
  },
  {
    kind: 'a million tiny files',
    what: '1 000 000 empty files in one layer (streamed)',
    archive: async () => streamedLegacy(manyFilesLayer(1_000_000), 1_000_000 * 512 + 1024),
    expect: { reads: true, check: (j, t) => t.is(j.facts[0]!.files.size, 1_000_000) },
    memory: MILLION_FILES_HEAP_LIMIT,
  },

  // --- deep nesting, odd names ------------------------------------------------------
  {
    kind: 'deep directory nesting',
    what: '4 000 nested directories, each an entry',
    archive: async () => {
      const entries = [];
      let p = '';
      for (let i = 0; i < 4000; i++) entries.push(dir((p += (i ? '/' : '') + 'd')));
      entries.push(file(p + '/leaf', 'x', { mode: 0o777 }));
      return legacyWith([await layerTar(entries)]);
    },
    expect: { reads: true, check: (j, t) => t.is(j.facts[0]!.files.size, 4001) },
  },
  {
    kind: 'deep directory nesting',
    what: 'one name of 200 000 components',
    archive: async () => legacyWith([rawTar([{ name: 'PaxHeaders/x', type: 'x', data: paxRecord('path', 'a/'.repeat(200_000) + 'f') }, { name: 'f', data: Buffer.from('x') }])]),
    expect: { reads: true },
    memory: STREAMING_LIMIT,
  },
  {
    kind: 'terminal escapes and invalid UTF-8 in names',
    what: 'entry names with escape sequences and invalid UTF-8, in a layer',
    archive: async () =>
      legacyWith([rawTar([{ name: 'etc/', type: '5' }, { name: `etc/${escName}`, data: Buffer.from('x'), mode: '0004755' }, { name: Buffer.concat([Buffer.from('etc/'), badUtf8]), data: Buffer.from('x') }, { name: `../${escName}`, data: Buffer.from('x') }])]),
    expect: {
      findings: [`/${escName}`],
      check: (j, t) => {
        t.truthy(j.facts[0]!.files.get(`/etc/${escName}`));
        const f = j.findings.find((x) => x.policy === 'DSP10601')!;
        t.false(f.message.includes('\u001b'), 'the finding shows the escape escaped');
      },
    },
  },
];

// `configObject` for the OCI builder: a config naming the layers' diffIDs.
function configObject(layers: Buffer[]) {
  return JSON.parse(configFor(layers.map((l) => digestOfBuf(l)))) as Parameters<typeof ociArchiveWithInfo>[0]['config'];
}
function digestOfBuf(b: Buffer): string {
  return `sha256:${sha(b)}`;
}
function sha(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Peak memory seen per case, for the report (t.log) and the summary test. */
const peaks: Array<{ what: string; peak: MemoryPeak }> = [];

async function runCase(t: ExecutionContext, c: Case): Promise<void> {
  const label = `${c.kind}: ${c.what}`;
  const source = await c.archive();
  const { value: outcome, peak } = await withMemoryPeak(() =>
    withTimeout(label, judgeArchive(source)).then(
      (judged) => ({ judged, error: undefined as unknown }),
      (error: unknown) => ({ judged: undefined, error }),
    ),
  );
  peaks.push({ what: label, peak });
  t.log(`${label}: peak RSS ${(peak.rss / MiB).toFixed(0)} MiB (+${(peak.rssGrowth / MiB).toFixed(0)}), heap +${(peak.heapGrowth / MiB).toFixed(0)} MiB`);
  if (c.memory !== undefined) {
    const growth = Math.min(peak.heapGrowth, peak.rssGrowth) > 0 ? peak.heapGrowth : peak.rssGrowth;
    t.true(growth < c.memory, `${label}: memory grew ${(growth / MiB).toFixed(0)} MiB, over ${(c.memory / MiB).toFixed(0)} MiB`);
  }
  if ('error' in c.expect) {
    const error = outcome.error;
    t.true(error instanceof ArchiveError, `${label}: ${error instanceof Error ? `${error.constructor.name}: ${error.stack}` : `read (${String(error)})`}`);
    const message = error instanceof Error ? error.message : '';
    t.regex(message, c.expect.error, label);
    t.false(/[\n\r\u001b]/.test(message), `${label}: one line, no escape character`);
    t.is((error as { exitCode?: number }).exitCode, 2, `${label}: a user error (exit 2), not an internal one`);
    t.log(`  → ${message}`);
    return;
  }
  if (outcome.error !== undefined) {
    t.fail(`${label}: should read, threw ${outcome.error instanceof Error ? outcome.error.stack : String(outcome.error)}`);
    return;
  }
  const judged = outcome.judged!;
  const escaping = judged.findings.filter((f) => f.policy === 'DSP10601').map((f) => f.subject?.path);
  t.deepEqual(escaping, 'findings' in c.expect ? c.expect.findings : [], `${label}: DSP10601 findings`);
  c.expect.check?.(judged, t);
}

for (const c of CASES) {
  // Serial: the memory of one case is not another's.
  test.serial(`${c.kind}: ${c.what}`, async (t) => {
    t.timeout(CASE_TIMEOUT_MS * 2);
    await runCase(t, c);
  });
}

test.serial('truncated at every structural point of a legacy and an OCI archive (every header, +1, mid-header, data start, mid-data, last byte)', async (t) => {
  t.timeout(120_000);
  const l0 = await goodLayer();
  const l1 = await layerTar([dir('app'), file('app/x', Buffer.alloc(3000, 1))]);
  const legacy = await legacyArchiveWithInfo({ config: configObject([l0, l1]), layers: [l0, l1] });
  const oci = await ociArchiveWithInfo({ config: configObject([l0, l1]), layers: [{ tar: l0, compression: 'gzip' }, { tar: l1, compression: 'zstd' }] });
  let cuts = 0;
  for (const [layout, buf] of [['legacy', legacy.buffer], ['oci', oci.buffer]] as const) {
    const at = [...tarOffsets(buf).values()];
    const end = Math.max(...at.map((e) => e.data + e.size));
    const points = new Set<number>();
    for (const e of at) for (const p of [e.header, e.header + 1, e.header + 256, e.data, e.data + 1, e.data + (e.size >> 1), e.data + e.size - 1]) if (p < end) points.add(p);
    const whole = signature(await judgeArchive(buf));
    for (const cut of [...points].sort((a, b) => a - b)) {
      cuts++;
      const what = `${layout} cut at ${cut} of ${buf.length}`;
      const result = await withTimeout(what, judgeArchive(buf.subarray(0, cut))).then((j) => j, (e: unknown) => e);
      if (!(result instanceof Error)) {
        // Only what no image needs was cut off (oci-layout, a trailing entry): the same answer, never a wrong one.
        t.is(signature(result as Judged), whole, `${what}: read, but not the whole archive's answer`);
        continue;
      }
      t.true(result instanceof ArchiveError, `${what}: ${result.stack}`);
      t.regex(result.message, /truncated|corrupt|missing|not an image|empty|lists no image/, what);
    }
    // The end-of-archive blocks are optional: an archive cut right after its last entry is whole.
    await t.notThrowsAsync(judgeArchive(buf.subarray(0, end + ((512 - (end % 512)) % 512))), `${layout}: cut after the last entry`);
  }
  t.log(`${cuts} cuts`);
});

function signature(j: Judged): string {
  return JSON.stringify(j.facts.map((f) => [f.id, f.layers.length, [...f.files.values()].map((x) => x.path).sort()]));
}

test.serial('peak memory across the hostile cases (report)', (t) => {
  const worst = peaks.reduce((a, b) => (b.peak.rss > a.peak.rss ? b : a), peaks[0]!);
  t.log(`peak RSS ${(worst.peak.rss / MiB).toFixed(0)} MiB in "${worst.what}"`);
  t.pass();
});

// ---------------------------------------------------------------------------
// The CLI: `check --archive FILE` exits 2 with one line, or reports a finding,
// and writes nothing outside its cache directory.

const MAIN = fileURLToPath(new URL('../../../src/main.js', import.meta.url));

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Every path under `root` with its size and mtime. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      out.set(p, `${s.size}:${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

const CLI_CASES: Array<{ what: string; file: () => Promise<Buffer>; exit: number; stderr?: RegExp; policy?: string }> = [
  { what: 'a truncated archive', file: async () => legacyOf([await goodLayer()]).subarray(0, 2000), exit: 2, stderr: /^docker securitypolicy: the image archive is truncated/ },
  { what: 'a corrupt gzip layer', file: async () => { const tar = await goodLayer(); return (await ociArchiveWithInfo({ config: configObject([tar]), layers: [{ tar, compression: 'gzip', blob: flip(gzip(tar), 40) }] })).buffer; }, exit: 2, stderr: /^docker securitypolicy: a layer's compressed data is corrupt/ },
  { what: 'a bad tar checksum', file: async () => flip(legacyOf([await goodLayer()]), 3, 0x20), exit: 2, stderr: /the image archive is corrupt/ },
  { what: 'a missing layer named with terminal escapes', file: async () => legacyOf([await goodLayer()], (m) => (m.Layers = [`${escName}.tar`])), exit: 2, stderr: /names layer evil\\x1b/ },
  { what: 'not an image archive', file: async () => rawTar([{ name: 'README', data: Buffer.from('hello') }]), exit: 2, stderr: /not an image archive/ },
  {
    what: 'a layer with `../` names and escaping links',
    file: async () => legacyOf([await layerTar([dir('etc'), file('../../../../tmp/dsp-hostile-pwned', 'x'), file('/etc/ld.so.preload', 'x'), symlink('etc/host', '../../../'), file(`etc/${escName}`, 'x')])]),
    exit: 1,
    policy: 'DSP10601',
  },
];

for (const c of CLI_CASES) {
  test(`CLI: check --archive on ${c.what}: exit ${c.exit}${c.exit === 2 ? ', one line on stderr, no stack' : ', a finding'}; nothing written outside the cache`, async (t) => {
    t.timeout(CASE_TIMEOUT_MS * 2);
    const root = mkdtempSync(join(tmpdir(), 'dsp-hostile-'));
    try {
      const [home, cwd, cache, tmp, config] = ['home', 'cwd', 'cache', 'tmp', 'config'].map((d) => join(root, d)) as [string, string, string, string, string];
      for (const d of [home, cwd, cache, tmp, config]) mkdirSync(d);
      const archive = join(root, 'image.tar');
      writeFileSync(archive, await c.file());
      const before = snapshot(root);
      const r = await runCli(['check', '--archive', archive, ...(c.policy ? ['--format', 'json'] : [])], { HOME: home, DSP_CACHE_DIR: cache, TMPDIR: tmp, XDG_CONFIG_HOME: config, XDG_CACHE_HOME: join(home, '.cache') }, cwd);
      t.is(r.code, c.exit, r.stderr);
      if (c.exit === 2) {
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        t.is(lines.length, 1, r.stderr);
        t.regex(lines[0] ?? '', c.stderr!);
        t.false(/\n\s+at |internal error|\u001b/.test(r.stderr), r.stderr);
        t.is(r.stdout, '');
      } else {
        const report = JSON.parse(r.stdout) as { results: Array<{ findings: Array<{ policy: string; message: string }> }> };
        const findings = report.results[0]!.findings.filter((f) => f.policy === c.policy);
        t.true(findings.length >= 3, JSON.stringify(findings));
        t.false(r.stdout.includes('\u001b'), 'no raw escape from the image on stdout');
      }
      // Nothing written anywhere but the cache directory.
      const after = snapshot(root);
      const changed = [...after].filter(([p, s]) => !p.startsWith(cache + '/') && before.get(p) !== s).map(([p]) => p);
      const gone = [...before.keys()].filter((p) => !after.has(p));
      t.deepEqual([...changed, ...gone], [], 'files written or removed outside the cache');
      t.false(readdirSync('/tmp').includes('dsp-hostile-pwned'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
