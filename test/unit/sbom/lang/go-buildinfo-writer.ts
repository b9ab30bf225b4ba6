// Writes Go ≥ 1.18 inline build info the way cmd/go lays it out, for the
// go-buildinfo scanner's tests: a 32-byte header (`\xff Go buildinf:`, ptrSize,
// flags = 2 for inline strings, zero padding), then uvarint-prefixed Go version
// and module info, the latter framed by 16-byte sentinels.
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const INFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const INFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

function prefixed(b: Buffer): Buffer {
  return Buffer.concat([uvarint(b.length), b]);
}

export function buildInfo(goVersion: string, modLines: string[], options: { flags?: number } = {}): Buffer {
  const header = Buffer.alloc(32);
  MAGIC.copy(header);
  header[14] = 8;
  header[15] = options.flags ?? 2;
  const mod = Buffer.concat([INFO_START, Buffer.from(modLines.join('\n') + '\n'), INFO_END]);
  return Buffer.concat([header, prefixed(Buffer.from(goVersion)), prefixed(mod)]);
}

/** An ELF-looking file: the ELF magic, `before` filler bytes, the build info, `after` filler bytes. */
export function elfWith(info: Buffer, before: number, after = 64): Buffer {
  const filler = (n: number) => Buffer.alloc(n, 0x90);
  return Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), filler(before), info, filler(after)]);
}
