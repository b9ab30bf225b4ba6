// Property-based fuzzing of the archive reader (fast-check): valid archives
// (legacy `docker save` and OCI, plain, gzip and zstd layers, entry names with
// `../`, absolute paths, terminal escapes and invalid UTF-8), then damaged
// (bit flips, truncation, tar header fields overwritten, bytes inserted). The
// whole `check --archive` path (archive → images → facts → every rule) must
// either give facts or fail with the one-line user error (ArchiveError, exit
// 2): never another exception, never a hang (each case has a time limit).
//
// Runs DSP_FUZZ_RUNS cases (default 200, a few seconds) in `npm test`; for a
// long run:  DSP_FUZZ_RUNS=100000 npx ava dist/test/unit/image/archive-fuzz.test.js
// A failure prints fast-check's seed and path; replay exactly that case with
// DSP_FUZZ_SEED=<seed> DSP_FUZZ_PATH=<path> (and the same DSP_FUZZ_RUNS).
import test from 'ava';
import fc from 'fast-check';
import { ArchiveError } from '../../../src/image/archive-reader.js';
import { gzip, zstd } from '../helpers/archives.js';
import { configFor, judgeArchive, rawTar, type RawEntry } from './hostile-tar.js';
import { createHash } from 'node:crypto';

const RUNS = Number(process.env.DSP_FUZZ_RUNS ?? 200);
const SEED = process.env.DSP_FUZZ_SEED === undefined ? undefined : Number(process.env.DSP_FUZZ_SEED);
const PATH = process.env.DSP_FUZZ_PATH;
/** Past this a case hangs. */
const CASE_TIMEOUT_MS = 10_000;

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

// --- names ---------------------------------------------------------------------
const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('etc', 'usr', 'bin', 'passwd', 'sudo', 'a', 'b', '.wh.a', '.wh..wh..opq', 'id_rsa', '.git') },
  { weight: 2, arbitrary: fc.constantFrom('..', '.', '') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u001b[2J', '\u001b]0;x\u0007', '\u009b31m', '\r\n') },
);
const nameBytes = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('', './', '/', '../'), fc.array(segment, { minLength: 1, maxLength: 6 })).map(([p, s]) => Buffer.from(p + s.join('/'))) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 100 }).map((a) => Buffer.from(a)) }, // invalid UTF-8 and all
);

const entry: fc.Arbitrary<RawEntry> = fc.record({
  name: nameBytes,
  type: fc.constantFrom('0', '0', '0', '5', '2', '1', '3', '4', '6', '7', 'Z', '\0'),
  data: fc.option(fc.uint8Array({ maxLength: 700 }).map((a) => Buffer.from(a)), { nil: undefined }),
  linkname: fc.option(nameBytes, { nil: undefined }),
  mode: fc.constantFrom('0000644', '0004755', '0000777', '0002755'),
});

const layer = fc.array(entry, { maxLength: 8 }).map((entries) =>
  // Only regular files carry data in a well-formed tar.
  rawTar(entries.map((e) => (e.type === '0' ? e : { ...e, data: undefined }))),
);

// --- archives ------------------------------------------------------------------
type Compression = 'none' | 'gzip' | 'zstd';

function legacy(layers: Buffer[]): Buffer {
  const config = configFor(layers.map((l) => `sha256:${sha(l)}`));
  const name = `${sha(config)}.json`;
  return rawTar([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: name, RepoTags: ['fuzz:1'], Layers: layers.map((_l, i) => `${i}/layer.tar`) }])) },
    { name, data: Buffer.from(config) },
    ...layers.map((data, i) => ({ name: `${i}/layer.tar`, data })),
  ]);
}

function oci(layers: Array<{ tar: Buffer; compression: Compression }>): Buffer {
  const blobs = layers.map((l) => (l.compression === 'gzip' ? gzip(l.tar) : l.compression === 'zstd' ? zstd(l.tar) : l.tar));
  const config = configFor(layers.map((l) => `sha256:${sha(l.tar)}`));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length },
    layers: blobs.map((b) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha(b)}`, size: b.length })),
  });
  const index = JSON.stringify({ schemaVersion: 2, manifests: [{ digest: `sha256:${sha(manifest)}`, annotations: { 'io.containerd.image.name': 'fuzz:1' } }] });
  return rawTar([
    ...blobs.map((data) => ({ name: `blobs/sha256/${sha(data)}`, data })),
    { name: `blobs/sha256/${sha(config)}`, data: Buffer.from(config) },
    { name: `blobs/sha256/${sha(manifest)}`, data: Buffer.from(manifest) },
    { name: 'index.json', data: Buffer.from(index) },
  ]);
}

const archive = fc.oneof(
  fc.array(layer, { minLength: 1, maxLength: 3 }).map(legacy),
  fc.array(fc.record({ tar: layer, compression: fc.constantFrom<Compression>('none', 'gzip', 'zstd') }), { minLength: 1, maxLength: 3 }).map(oci),
);

// --- damage --------------------------------------------------------------------
/** Offsets of a tar header's fields: name, mode, size, checksum, type, linkname, magic. */
const FIELDS = [0, 100, 124, 148, 156, 157, 257];

type Mutation =
  | { kind: 'none' }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'field'; block: number; field: number; bytes: Uint8Array }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'none' }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('field' as const), block: fc.nat(), field: fc.constantFrom(...FIELDS), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }) }),
);

function damage(buf: Buffer, ms: Mutation[]): Buffer {
  let out = Buffer.from(buf);
  for (const m of ms) {
    if (out.length === 0) break;
    switch (m.kind) {
      case 'flip':
        out[m.at % out.length] ^= m.mask;
        break;
      case 'truncate':
        out = out.subarray(0, m.at % out.length);
        break;
      case 'field': {
        const blocks = Math.floor(out.length / 512);
        if (blocks > 0) Buffer.from(m.bytes).copy(out, (m.block % blocks) * 512 + m.field);
        break;
      }
      case 'insert': {
        const at = m.at % out.length;
        out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
        break;
      }
    }
  }
  return out;
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${CASE_TIMEOUT_MS} ms (a hang)`)), CASE_TIMEOUT_MS);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

/** The property: facts, or the one-line user error; anything else is a bug. */
async function readsOrRefuses(bytes: Buffer, chunk: number): Promise<void> {
  try {
    const judged = await withTimeout(judgeArchive((async function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })()));
    if (judged.facts.length !== judged.images.length) throw new Error('an image without facts');
  } catch (err) {
    if (!(err instanceof ArchiveError)) throw err;
    if (/[\n\r\u001b]/.test(err.message)) throw new Error(`an ArchiveError that is not one clean line: ${JSON.stringify(err.message)}`);
    if (err.exitCode !== 2) throw new Error('an ArchiveError that is not a user error');
  }
}

test(`archive reader fuzz: ${RUNS} archives, valid and damaged, give facts or the one-line archive error (DSP_FUZZ_RUNS for more)`, async (t) => {
  t.timeout(Math.max(60_000, RUNS * 2 * CASE_TIMEOUT_MS));
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(archive, fc.array(mutation, { maxLength: 3 }), fc.integer({ min: 1, max: 70_000 }), async (buf, ms, chunk) => {
      await readsOrRefuses(damage(buf, ms), chunk);
    }),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH ? { path: PATH } : {}), endOnFailure: false },
  );
  t.log(`${RUNS} cases in ${Date.now() - started} ms`);
  t.pass();
});
