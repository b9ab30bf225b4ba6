import test from 'ava';
import tar from 'tar-stream';
import { TarParser, type TarHeader } from '../../../src/image/tar-parser.js';
import { dir, file, hardlink, layerTar, symlink } from '../helpers/archives.js';
import { paxRecord, rawTar } from './hostile-tar.js';

interface Seen {
  header: TarHeader;
  /** The entry's bytes as handed over, or undefined when it was skipped. */
  bytes?: string;
}

/** Parses `tarBytes` fed in pieces of `size` bytes; entries whose name `skip` accepts are skipped. */
function parse(tarBytes: Buffer, size = tarBytes.length, skip: (name: string) => boolean = () => false): Seen[] {
  const seen: Seen[] = [];
  const parser = new TarParser((header) => {
    const entry: Seen = { header };
    seen.push(entry);
    if (skip(header.name)) return undefined;
    const parts: Buffer[] = [];
    let ended = false;
    return {
      data: (chunk) => {
        if (ended) throw new Error(`bytes after the end of ${header.name}`);
        parts.push(Buffer.from(chunk)); // a copy: the parser's chunks are views of the input
      },
      end: () => {
        ended = true;
        entry.bytes = Buffer.concat(parts).toString('latin1');
      },
    };
  });
  for (let at = 0; at < tarBytes.length; at += size) parser.write(tarBytes.subarray(at, at + size));
  parser.end();
  return seen;
}

/** What tar-stream makes of the same bytes: the reference for names, types, owners and sizes. */
async function tarStreamEntries(tarBytes: Buffer): Promise<Seen[]> {
  const seen: Seen[] = [];
  const extract = tar.extract();
  extract.on('entry', (h, stream, next) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: unknown) => void parts.push(c as Buffer));
    stream.on('end', () => {
      seen.push({
        header: { name: h.name, type: h.type ?? null, mode: h.mode ?? 0, uid: h.uid ?? 0, gid: h.gid ?? 0, size: h.size ?? 0, linkname: h.linkname ?? null },
        bytes: Buffer.concat(parts).toString('latin1'),
      });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    extract.end(tarBytes);
  });
  return seen;
}

const sizes = [0, 1, 511, 512, 513, 1500, 70_000];
async function variedLayer(): Promise<Buffer> {
  return layerTar([
    dir('etc'),
    ...sizes.map((n) => file(`etc/f${n}`, Buffer.alloc(n, 0x61 + (n % 26)), { mode: 0o4755, uid: 1000 + n, gid: 7 })),
    symlink('etc/link', '../usr/bin/env'),
    hardlink('etc/hard', 'etc/f1'),
    file(`deep/${'d/'.repeat(80)}name-longer-than-a-ustar-header-holds`, 'long'),
    file('etc/after', 'last'),
  ]);
}

test('entries, owners and bytes are what tar-stream reads, however the stream is cut', async (t) => {
  const layer = await variedLayer();
  const expected = await tarStreamEntries(layer);
  t.true(expected.length > sizes.length + 3);
  for (const size of [1, 7, 100, 511, 512, 513, 4096, 65_536, layer.length]) {
    t.deepEqual(parse(layer, size), expected, `fed ${size} bytes at a time`);
  }
});

test('a skipped entry gets no bytes and the entries after it are still found', async (t) => {
  const layer = await variedLayer();
  for (const size of [1, 513, layer.length]) {
    const seen = parse(layer, size, (name) => name.startsWith('etc/f'));
    t.is(seen.find((s) => s.header.name === 'etc/f70000')?.bytes, undefined);
    t.is(seen.find((s) => s.header.name === 'etc/after')?.bytes, 'last');
  }
});

test('GNU long names and long link targets (L/K) name the entry that follows them', (t) => {
  const long = 'd/'.repeat(150) + 'file';
  const seen = parse(
    rawTar([
      { name: '././@LongLink', type: 'L', data: Buffer.from(long + '\0') },
      { name: 'truncated', data: Buffer.from('x') },
      { name: '././@LongLink', type: 'K', data: Buffer.from('../'.repeat(40) + 'etc/shadow\0') },
      { name: 'link', type: '2' },
      { name: 'plain', data: Buffer.from('y') },
    ]),
  );
  t.deepEqual(
    seen.map((s) => [s.header.name, s.header.type, s.header.linkname]),
    [
      [long, 'file', null],
      ['link', 'symlink', '../'.repeat(40) + 'etc/shadow'],
      ['plain', 'file', null],
    ],
  );
});

test('PAX headers set the path, link target, size and owner of the next entry; global ones of every later entry', (t) => {
  const seen = parse(
    rawTar([
      { name: 'pax_global_header', type: 'g', data: paxRecord('uid', '4000000') },
      { name: 'PaxHeaders/a', type: 'x', data: Buffer.concat([paxRecord('path', 'usr/a-long-name'), paxRecord('gid', '5000000')]) },
      { name: 'short', data: Buffer.from('ab') },
      { name: 'PaxHeaders/l', type: 'x', data: paxRecord('linkpath', '/opt/target') },
      { name: 'usr/lnk', type: '2' },
      { name: 'PaxHeaders/u', type: 'x', data: paxRecord('uid', '12') },
      { name: 'own', data: Buffer.from('c') },
    ]),
  );
  t.deepEqual(
    seen.map((s) => ({ name: s.header.name, uid: s.header.uid, gid: s.header.gid, link: s.header.linkname, bytes: s.bytes })),
    [
      { name: 'usr/a-long-name', uid: 4000000, gid: 5000000, link: null, bytes: 'ab' },
      { name: 'usr/lnk', uid: 4000000, gid: 0, link: '/opt/target', bytes: '' },
      { name: 'own', uid: 12, gid: 0, link: null, bytes: 'c' },
    ],
  );
});

test('a base-256 size is read as GNU tar writes sizes past 8 GiB', (t) => {
  const sizeField = Buffer.alloc(12);
  sizeField[0] = 0x80;
  sizeField.writeUIntBE(3, 6, 6);
  const seen = parse(rawTar([{ name: 'x', sizeField, data: Buffer.from('abc') }]));
  t.is(seen[0]!.header.size, 3);
  t.is(seen[0]!.bytes, 'abc');
});

test('a v7 header (no ustar magic) is refused unless allowed, and an unknown type is read with type null', (t) => {
  const v7 = rawTar([{ name: 'etc/passwd', v7: true, data: Buffer.from('root') }, { name: 'odd', type: 'Z', data: Buffer.from('zz') }]);
  t.throws(() => new TarParser(() => undefined).write(v7), { message: 'Invalid tar header: unknown format.' });
  const types: Array<string | null> = [];
  const parser = new TarParser((h) => void types.push(h.type), true);
  parser.write(v7);
  parser.end();
  t.deepEqual(types, ['file', null]);
});

test('a wrong checksum, a size that is not a number and a cut inside an entry are errors in tar-stream\'s words', (t) => {
  const feed = (bytes: Buffer) => () => {
    const parser = new TarParser(() => undefined);
    parser.write(bytes);
    parser.end();
  };
  t.throws(feed(rawTar([{ name: 'a', data: Buffer.from('a'), badChecksum: true }])), { message: /^Invalid tar header/ });
  t.throws(feed(rawTar([{ name: 'a', sizeField: Buffer.from('zzzzzzzzzzz\0') }])), { message: 'Invalid header' });
  t.throws(feed(rawTar([{ name: 'PaxHeaders/x', type: 'x', data: paxRecord('size', 'many') }, { name: 'a', data: Buffer.from('a') }])), { message: 'Invalid header' });
  t.throws(feed(rawTar([{ name: 'PaxHeaders/x', type: 'x', sizeField: Buffer.from('zzzzzzzzzzz\0') }, { name: 'a', data: Buffer.from('a') }])), { message: 'Invalid header' }, 'a long header whose size is not a number');
  const whole = rawTar([{ name: 'a', data: Buffer.alloc(600) }]);
  t.throws(feed(whole.subarray(0, 700)), { message: 'Unexpected end of data' });
  t.throws(feed(whole.subarray(0, 300)), { message: 'Unexpected end of data' });
  t.throws(feed(whole.subarray(0, 1100)), { message: 'Unexpected end of data' }, 'cut in the padding after the bytes');
  t.notThrows(feed(rawTar([{ name: 'a', data: Buffer.alloc(600) }], { end: false })), 'the end-of-archive blocks are optional');
});
