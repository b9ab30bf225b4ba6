// An rpm header, as rpm's databases store it (one per installed package): the
// header structure without its 8-byte magic (`8e ad e8 01` + 4 reserved bytes;
// tolerated when present, as in .rpm files):
//   int32 BE il (index entries), int32 BE dl (data store bytes),
//   il × { int32 tag, uint32 type, int32 offset (into the store), uint32 count },
//   dl bytes of data store.
// Only the few tags a package record needs are decoded. Everything is bounds
// checked: a header that does not fit its own lengths, or an entry pointing
// outside the store, is corrupt and gives undefined, never an exception.

export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
} as const;

export const RPM_TYPE = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const;

/** The tags of a header that matter for an SBOM. */
export interface RpmHeaderFields {
  name?: string;
  version?: string;
  release?: string;
  epoch?: number;
  license?: string;
  arch?: string;
  sourceRpm?: string;
}

// rpm's own limits (header.c: HEADER_TAGS_MAX, HEADER_DATA_MAX): bigger means corrupt.
const MAX_ENTRIES = 0xffff;
const MAX_DATA = 256 * 1024 * 1024;
const MAGIC = [0x8e, 0xad, 0xe8, 0x01];

class Corrupt extends Error {}

/** The NUL-terminated string at `at` in the store (ending before `end`); throws Corrupt when unterminated. */
function cString(bytes: Uint8Array, at: number, end: number): string {
  const nul = bytes.indexOf(0, at);
  if (nul < 0 || nul >= end) throw new Corrupt();
  return Buffer.from(bytes.buffer, bytes.byteOffset + at, nul - at).toString('utf8');
}

/** The first string of a STRING, STRING_ARRAY or I18NSTRING entry (an I18N string's first is the C locale's). */
function stringOf(bytes: Uint8Array, type: number, at: number, count: number, end: number): string {
  if (type === RPM_TYPE.STRING || ((type === RPM_TYPE.STRING_ARRAY || type === RPM_TYPE.I18NSTRING) && count >= 1)) {
    return cString(bytes, at, end);
  }
  throw new Corrupt();
}

/** The fields of one header blob, or undefined when it is corrupt. */
export function parseRpmHeader(blob: Uint8Array): RpmHeaderFields | undefined {
  try {
    return decode(blob);
  } catch (e) {
    if (e instanceof Corrupt) return undefined;
    throw e;
  }
}

function decode(blob: Uint8Array): RpmHeaderFields {
  const start = MAGIC.every((b, i) => blob[i] === b) ? 8 : 0;
  if (blob.length < start + 8) throw new Corrupt();
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getInt32(start);
  const dl = view.getInt32(start + 4);
  if (il < 1 || il > MAX_ENTRIES || dl < 0 || dl > MAX_DATA) throw new Corrupt();
  const index = start + 8;
  const store = index + il * 16;
  const end = store + dl;
  if (end > blob.length) throw new Corrupt();
  const fields: RpmHeaderFields = {};
  // Entries are sorted by tag; a tag seen twice (a region's entry and a later
  // "dribble" one) takes the last, as rpm does when it loads the header.
  for (let i = 0; i < il; i++) {
    const e = index + i * 16;
    const tag = view.getInt32(e);
    const type = view.getUint32(e + 4);
    const offset = view.getInt32(e + 8);
    const count = view.getUint32(e + 12);
    if (offset < 0 || offset >= dl) {
      if (isWanted(tag)) throw new Corrupt();
      continue; // region trailers and tags we do not read are not checked further
    }
    const at = store + offset;
    switch (tag) {
      case RPMTAG.NAME: fields.name = stringOf(blob, type, at, count, end); break;
      case RPMTAG.VERSION: fields.version = stringOf(blob, type, at, count, end); break;
      case RPMTAG.RELEASE: fields.release = stringOf(blob, type, at, count, end); break;
      case RPMTAG.LICENSE: fields.license = stringOf(blob, type, at, count, end); break;
      case RPMTAG.ARCH: fields.arch = stringOf(blob, type, at, count, end); break;
      case RPMTAG.SOURCERPM: fields.sourceRpm = stringOf(blob, type, at, count, end); break;
      case RPMTAG.EPOCH:
        if (type !== RPM_TYPE.INT32 || count < 1 || at + 4 > end) throw new Corrupt();
        fields.epoch = view.getUint32(at);
        break;
    }
  }
  return fields;
}

function isWanted(tag: number): boolean {
  return (tag >= RPMTAG.NAME && tag <= RPMTAG.EPOCH) || tag === RPMTAG.LICENSE || tag === RPMTAG.ARCH || tag === RPMTAG.SOURCERPM;
}

/** `openssl-3.0.7-24.el9.src.rpm` → openssl, 3.0.7, 24.el9; undefined when it is not name-version-release. */
export function parseSourceRpm(file: string): { name: string; version: string; release: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file);
  return m ? { name: m[1]!, version: m[2]!, release: m[3]! } : undefined;
}
