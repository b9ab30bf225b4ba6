// The Go build info a Go ≥ 1.18 executable embeds (cmd/go writes it, debug/buildinfo
// reads it): a 32-byte header starting with the 14-byte magic `\xff Go buildinf:`,
// then ptrSize (1 byte) and flags (1 byte). With flags & 2 the strings are inline
// after the header: uvarint length + Go version (`go1.21.5`), uvarint length + module
// info. Module info is framed by 16 sentinel bytes at each end and holds lines
//   path\t<main package>      mod\t<path>\t<version>\t<sum>
//   dep\t<path>\t<version>\t<sum>      =>\t<path>\t<version>\t<sum> (replaces the line before)
//   build\t<key>=<value>
// Older binaries (flags & 2 clear) point into the data segment instead; following
// pointers needs the ELF program headers and the whole file, so they are not read.

export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
export const BUILDINFO_HEADER = 32;
const FLAG_INLINE = 0x2;

export interface GoModule {
  path: string;
  version: string;
}

export interface GoBuildInfo {
  goVersion: string;
  main?: GoModule;
  deps: GoModule[];
}

/** What parsing at a magic found: the info, more bytes needed, or not build info (a stray copy of the magic). */
export type ParseResult = { info: GoBuildInfo } | 'more' | 'invalid' | 'pointer-format';

/** A uvarint at `at`: [value, next offset], 'more' when cut off, undefined when malformed. */
function uvarint(buf: Buffer, at: number): [number, number] | 'more' | undefined {
  let value = 0;
  for (let shift = 0, i = at; shift < 35; shift += 7, i++) {
    if (i >= buf.length) return 'more';
    const b = buf[i];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, i + 1];
  }
  return undefined;
}

/** Parses build info starting at the magic (`buf[0]`). */
export function parseBuildInfo(buf: Buffer, maxString: number): ParseResult {
  if (buf.length < BUILDINFO_HEADER) return 'more';
  const ptrSize = buf[14];
  const flags = buf[15];
  if (ptrSize !== 4 && ptrSize !== 8) return 'invalid';
  if ((flags & FLAG_INLINE) === 0) return 'pointer-format';
  const strings: Buffer[] = [];
  let at = BUILDINFO_HEADER;
  for (let n = 0; n < 2; n++) {
    const len = uvarint(buf, at);
    if (len === 'more') return 'more';
    if (!len || len[0] > maxString) return 'invalid';
    const end = len[1] + len[0];
    if (end > buf.length) return 'more';
    strings.push(buf.subarray(len[1], end));
    at = end;
  }
  const [version, framed] = strings as [Buffer, Buffer];
  const goVersion = version.toString('utf8');
  // `go1.21.5`, or `devel go1.23-…` from a toolchain built from source.
  if (!goVersion.startsWith('go') && !goVersion.startsWith('devel')) return 'invalid';
  return { info: { goVersion, ...parseModInfo(unframe(framed)) } };
}

/** The module info without its 16-byte sentinels ('' when the framing is missing). */
function unframe(bytes: Buffer): string {
  // The sentinels are not UTF-8: cut them off the bytes before decoding.
  if (bytes.length < 33 || bytes[bytes.length - 17] !== 0x0a) return '';
  return bytes.toString('utf8', 16, bytes.length - 16);
}

function parseModInfo(text: string): { main?: GoModule; deps: GoModule[] } {
  let main: GoModule | undefined;
  const deps: GoModule[] = [];
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'mod' && f[1]) last = main = { path: f[1], version: f[2] ?? '' };
    else if (f[0] === 'dep' && f[1]) deps.push((last = { path: f[1], version: f[2] ?? '' }));
    else if (f[0] === '=>' && f[1] && last) {
      // A module replacement. A local directory (no version) keeps the original's identity.
      if (f[2]) {
        last.path = f[1];
        last.version = f[2];
      }
      last = undefined;
    } else last = undefined;
  }
  return main ? { main, deps } : { deps };
}
