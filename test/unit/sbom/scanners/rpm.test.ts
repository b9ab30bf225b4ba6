// The rpm scanner against databases made two ways:
//   - in the test, with sql.js, holding headers written by `headerBlob` below
//     (written from the format description, not from the parser);
//   - by rpm itself: test/fixtures/sbom/rpmdb.sqlite, made on Debian 12 with
//     its `rpm` package (4.18, sqlite backend by default):
//       rpmbuild --define "_topdir $PWD/rpmbuild" -bb hello.spec   # hello-fixture, Epoch 2, 1.2.3-4.fc40, noarch,
//       rpmbuild --define "_topdir $PWD/rpmbuild" -bb tool.spec    #   License "MIT AND (Apache-2.0 OR BSD-3-Clause)"; tool-fixture 0.9-1.el9, GPL-2.0-or-later
//       rpm --dbpath $PWD/db --define '_db_backend sqlite' --initdb
//       rpm --dbpath $PWD/db --import fixture-key.asc             # an ed25519 key from gpg --quick-gen-key: a gpg-pubkey entry
//       rpm --dbpath $PWD/db -i --justdb --nodeps --noscripts rpmbuild/RPMS/noarch/*.rpm
//       cp db/rpmdb.sqlite test/fixtures/sbom/rpmdb.sqlite          # WAL mode, its -wal empty
import test from 'ava';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import initSqlJs from 'sql.js';
import { loadSqlJs, PACKAGE_DB_UNREAD_HIT, readRpmDbSqlite, rpmScanner } from '../../../../src/sbom/scanners/rpm.js';
import { parseRpmHeader, parseSourceRpm } from '../../../../src/sbom/scanners/rpm-header.js';
import { readLayer } from '../../../../src/image/layer-reader.js';
import { chunked, file, layerTar } from '../../helpers/archives.js';

// ---------------------------------------------------------------------------
// Header writer: int32 BE entry count, int32 BE store length, 16-byte entries
// (tag, type, offset, count; sorted by tag), then the store. Strings end in
// NUL; INT32 values are aligned to 4 bytes in the store.

type Entry =
  | { tag: number; string: string }
  | { tag: number; i18n: string[] }
  | { tag: number; int32: number };

const STRING = 6;
const I18NSTRING = 9;
const INT32 = 4;
const TAG = { NAME: 1000, VERSION: 1001, RELEASE: 1002, EPOCH: 1003, SUMMARY: 1004, LICENSE: 1014, ARCH: 1022, SOURCERPM: 1044 };

function headerBlob(entries: Entry[], { magic = false } = {}): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const index = Buffer.alloc(16 * sorted.length);
  const store: Buffer[] = [];
  let size = 0;
  sorted.forEach((e, i) => {
    let type: number;
    let count: number;
    let data: Buffer;
    if ('int32' in e) {
      const pad = (4 - (size % 4)) % 4;
      store.push(Buffer.alloc(pad));
      size += pad;
      data = Buffer.alloc(4);
      data.writeUInt32BE(e.int32);
      type = INT32;
      count = 1;
    } else if ('i18n' in e) {
      data = Buffer.from(e.i18n.map((s) => s + '\0').join(''));
      type = I18NSTRING;
      count = e.i18n.length;
    } else {
      data = Buffer.from(e.string + '\0');
      type = STRING;
      count = 1;
    }
    index.writeInt32BE(e.tag, i * 16);
    index.writeUInt32BE(type, i * 16 + 4);
    index.writeInt32BE(size, i * 16 + 8);
    index.writeUInt32BE(count, i * 16 + 12);
    store.push(data);
    size += data.length;
  });
  const head = Buffer.alloc(8);
  head.writeInt32BE(sorted.length, 0);
  head.writeInt32BE(size, 4);
  const lead = magic ? Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0]) : Buffer.alloc(0);
  return Buffer.concat([lead, head, index, ...store]);
}

const OPENSSL = headerBlob([
  { tag: TAG.NAME, string: 'openssl-libs' },
  { tag: TAG.VERSION, string: '3.0.7' },
  { tag: TAG.RELEASE, string: '24.el9' },
  { tag: TAG.EPOCH, int32: 1 },
  { tag: TAG.SUMMARY, i18n: ['A general purpose cryptography library', 'Eine Bibliothek'] },
  { tag: TAG.LICENSE, string: 'ASL 2.0' },
  { tag: TAG.ARCH, string: 'x86_64' },
  { tag: TAG.SOURCERPM, string: 'openssl-3.0.7-24.el9.src.rpm' },
]);
const BASH = headerBlob([
  { tag: TAG.NAME, string: 'bash' },
  { tag: TAG.VERSION, string: '5.1.8' },
  { tag: TAG.RELEASE, string: '9.el9' },
  { tag: TAG.LICENSE, string: 'GPLv3+' },
  { tag: TAG.ARCH, string: 'x86_64' },
  { tag: TAG.SOURCERPM, string: 'bash-5.1.8-9.el9.src.rpm' },
]);
const GPG_PUBKEY = headerBlob([
  { tag: TAG.NAME, string: 'gpg-pubkey' },
  { tag: TAG.VERSION, string: 'fd431d51' },
  { tag: TAG.RELEASE, string: '4ae0493b' },
  { tag: TAG.LICENSE, string: 'pubkey' },
]);

const require = createRequire(import.meta.url);
const SQL = await initSqlJs({ wasmBinary: new Uint8Array(readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'))).buffer });

/** An rpmdb.sqlite with rpm's Packages table holding `blobs`. */
function rpmdb(blobs: Buffer[]): Buffer {
  const db = new SQL.Database();
  db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  for (const b of blobs) db.run('INSERT INTO Packages (blob) VALUES (?)', [b]);
  const bytes = Buffer.from(db.export());
  db.close();
  return bytes;
}

const OPENSSL_RECORD = {
  type: 'rpm',
  name: 'openssl-libs',
  version: '3.0.7',
  release: '24.el9',
  epoch: '1',
  arch: 'x86_64',
  license: 'ASL 2.0',
  sourceName: 'openssl',
  sourceVersion: '3.0.7-24.el9',
  origin: 'installed',
};

// ---------------------------------------------------------------------------

test.before(() => loadSqlJs());

test('header: the tags of a package, and the magic of a .rpm header is tolerated', (t) => {
  const expected = { name: 'openssl-libs', version: '3.0.7', release: '24.el9', epoch: 1, license: 'ASL 2.0', arch: 'x86_64', sourceRpm: 'openssl-3.0.7-24.el9.src.rpm' };
  t.deepEqual(parseRpmHeader(OPENSSL), expected);
  t.deepEqual(parseRpmHeader(headerBlob([{ tag: TAG.NAME, string: 'x' }], { magic: true })), { name: 'x' });
});

test('header: a corrupt blob is undefined, never an exception', (t) => {
  const truncated = OPENSSL.subarray(0, OPENSSL.length - 10);
  const unterminated = headerBlob([{ tag: TAG.NAME, string: 'abc' }]).subarray(0, -1);
  unterminated.writeInt32BE(3, 4); // the store now ends before the NUL
  const outside = Buffer.from(BASH);
  outside.writeInt32BE(0x7fff0000, 8 + 8); // NAME's offset far past the store
  const epochAsString = headerBlob([{ tag: TAG.EPOCH, int32: 3 }]);
  epochAsString.writeUInt32BE(STRING, 8 + 4);
  const negative = Buffer.from(BASH);
  negative.writeInt32BE(-1, 0);
  for (const [why, blob] of Object.entries({ truncated, unterminated, outside, epochAsString, negative, empty: Buffer.alloc(0), tiny: Buffer.from([0, 0, 0, 1]) })) {
    t.is(parseRpmHeader(blob), undefined, why);
  }
});

test('source rpm names split into name, version and release', (t) => {
  t.deepEqual(parseSourceRpm('openssl-3.0.7-24.el9.src.rpm'), { name: 'openssl', version: '3.0.7', release: '24.el9' });
  t.deepEqual(parseSourceRpm('python3-pip-21.2.3-7.el9.nosrc.rpm'), { name: 'python3-pip', version: '21.2.3', release: '7.el9' });
  t.is(parseSourceRpm('weird.src.rpm'), undefined);
});

test('rpmdb.sqlite: each package once; gpg-pubkey entries and corrupt headers are skipped', (t) => {
  const corrupt = OPENSSL.subarray(0, 40);
  const records = readRpmDbSqlite(rpmdb([OPENSSL, GPG_PUBKEY, corrupt, BASH]));
  t.deepEqual(records, [
    OPENSSL_RECORD,
    { type: 'rpm', name: 'bash', version: '5.1.8', release: '9.el9', arch: 'x86_64', license: 'GPLv3+', sourceName: 'bash', sourceVersion: '5.1.8-9.el9', origin: 'installed' },
  ]);
});

test('a file that is not an SQLite database (or lacks the Packages table) is reported unread, not thrown', (t) => {
  const [garbage] = rpmScanner.scan('/var/lib/rpm/rpmdb.sqlite', Buffer.from('not a database at all'.repeat(50)));
  t.is(garbage?.kind, PACKAGE_DB_UNREAD_HIT);
  t.is(garbage?.data?.format, 'sqlite');
  const empty = new SQL.Database();
  const [noTable] = rpmScanner.scan('/var/lib/rpm/rpmdb.sqlite', Buffer.from(empty.export()));
  empty.close();
  t.deepEqual(noTable, { kind: PACKAGE_DB_UNREAD_HIT, path: '/var/lib/rpm/rpmdb.sqlite', data: { format: 'sqlite', reason: 'no such table: Packages' } });
});

test('a database made by rpm itself (test/fixtures/sbom/rpmdb.sqlite)', (t) => {
  const bytes = readFileSync(new URL('../../../../../test/fixtures/sbom/rpmdb.sqlite', import.meta.url));
  t.deepEqual(readRpmDbSqlite(bytes), [
    {
      type: 'rpm',
      name: 'tool-fixture',
      version: '0.9',
      release: '1.el9',
      arch: 'noarch',
      license: 'GPL-2.0-or-later',
      sourceName: 'tool-fixture',
      sourceVersion: '0.9-1.el9',
      origin: 'installed',
    },
    {
      type: 'rpm',
      name: 'hello-fixture',
      version: '1.2.3',
      release: '4.fc40',
      epoch: '2',
      arch: 'noarch',
      license: 'MIT AND (Apache-2.0 OR BSD-3-Clause)',
      sourceName: 'hello-fixture',
      sourceVersion: '1.2.3-4.fc40',
      origin: 'installed',
    },
  ]);
});

test('the scanner wants rpm databases in both locations, in every format', (t) => {
  for (const dir of ['/var/lib/rpm/', '/usr/lib/sysimage/rpm/']) {
    for (const name of ['rpmdb.sqlite', 'Packages', 'Packages.db']) t.true(rpmScanner.wants(dir + name, 1000), dir + name);
    for (const name of ['rpmdb.sqlite-wal', 'rpmdb.sqlite-shm', 'Index.db', 'Name', '__db.001']) t.false(rpmScanner.wants(dir + name, 1000), dir + name);
  }
  t.false(rpmScanner.wants('/opt/var/lib/rpm/rpmdb.sqlite', 1000));
});

test('through the layer reader: sqlite is read chunk by chunk; Berkeley DB and NDB are reported unread without being read', async (t) => {
  const request = { wants: () => false, maxBytes: 0, paths: [], scanners: [rpmScanner] };
  const tar = await layerTar([
    file('usr/lib/sysimage/rpm/rpmdb.sqlite', rpmdb([GPG_PUBKEY, OPENSSL])),
    file('var/lib/rpm/Packages', Buffer.alloc(64 * 1024, 0x61)),
    file('usr/lib/sysimage/rpm/Packages.db', Buffer.from('RpmP')),
  ]);
  const layer = await readLayer(chunked(tar, 1000), request);
  t.deepEqual(layer.hits, [
    { scanner: 'rpm', kind: 'package', path: '/usr/lib/sysimage/rpm/rpmdb.sqlite', data: OPENSSL_RECORD },
    { scanner: 'rpm', kind: PACKAGE_DB_UNREAD_HIT, path: '/var/lib/rpm/Packages', data: { format: 'bdb', reason: 'Berkeley DB rpm databases are not read' } },
    { scanner: 'rpm', kind: PACKAGE_DB_UNREAD_HIT, path: '/usr/lib/sysimage/rpm/Packages.db', data: { format: 'ndb', reason: 'NDB rpm databases are not read' } },
  ]);
});
