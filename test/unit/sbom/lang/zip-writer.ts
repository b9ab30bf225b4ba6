// A small ZIP writer for the java scanner's tests: STORED and DEFLATED
// entries, with or without data descriptors (as `jar`/ZipOutputStream writes
// DEFLATED entries), a central directory, and an optional prefix (a Spring
// Boot launch script).
import { deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  content: Buffer | string;
  method?: 'stored' | 'deflated';
  /** Sizes and crc after the data (flag bit 3), with the descriptor signature unless `unsigned`. */
  descriptor?: boolean | 'unsigned';
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function zip(entries: ZipEntrySpec[], options: { prefix?: string } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    offset += b.length;
  };
  if (options.prefix) push(Buffer.from(options.prefix));
  for (const e of entries) {
    const content = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
    const deflated = e.method === 'deflated';
    const data = deflated ? deflateRawSync(content) : content;
    const name = Buffer.from(e.name);
    const crc = crc32(content);
    const flags = e.descriptor ? 0x8 : 0;
    const at = offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(deflated ? 8 : 0, 8);
    if (!e.descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(content.length, 22);
    }
    local.writeUInt16LE(name.length, 26);
    push(Buffer.concat([local, name, data]));
    if (e.descriptor) {
      const signed = e.descriptor !== 'unsigned';
      const d = Buffer.alloc(signed ? 16 : 12);
      let i = 0;
      if (signed) i = d.writeUInt32LE(0x08074b50, 0);
      i = d.writeUInt32LE(crc, i);
      i = d.writeUInt32LE(data.length, i);
      d.writeUInt32LE(content.length, i);
      push(d);
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(flags, 8);
    c.writeUInt16LE(deflated ? 8 : 0, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(content.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(at, 42);
    central.push(Buffer.concat([c, name]));
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}
