// Test helpers: OSV advisories, directories and zips of them, and a local
// HTTP server standing in for OSV's bucket.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { OsvAdvisory } from '../../../../src/vulns/osv.js';

export function advisory(id: string, packages: Array<[ecosystem: string, name: string]>, extra: Partial<OsvAdvisory> = {}): OsvAdvisory {
  return {
    id,
    modified: '2024-05-01T00:00:00Z',
    published: '2024-04-01T00:00:00Z',
    summary: `${id} summary`,
    details: 'long details the matcher never reads',
    affected: packages.map(([ecosystem, name]) => ({
      package: { ecosystem, name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
    })),
    references: [1, 2, 3, 4, 5].map((n) => ({ type: 'WEB', url: `https://example.test/${id}/${n}` })),
    ...extra,
  };
}

export async function tempDir(prefix = 'dsp-osv-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export type Files = Record<string, string | OsvAdvisory>;

const text = (content: string | OsvAdvisory): string => (typeof content === 'string' ? content : JSON.stringify(content));

/** Writes files (nested paths allowed) into a new directory. */
export async function osvDir(files: Files): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text(content));
  }
  return dir;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of the files, deflated like OSV's all.zip (STORED with `stored`). */
export function zipOf(files: Files, stored = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(text(content));
    const body = stored ? data : deflateRawSync(data);
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, body);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Object.keys(files).length;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export async function osvZip(files: Files, stored = false): Promise<string> {
  const path = join(await tempDir(), 'all.zip');
  await writeFile(path, zipOf(files, stored));
  return path;
}

/** What the fake bucket answers for a path: a body, a status, or a body cut short. */
export type Route = Buffer | number | { truncate: Buffer };

export interface FakeBucket {
  url: string;
  routes: Map<string, Route>;
  requests: string[];
  close(): Promise<void>;
}

/** A local HTTP server serving `routes` (by URL path, e.g. `/Debian/all.zip`), 404 for the rest. */
export async function fakeBucket(routes: Record<string, Route> = {}): Promise<FakeBucket> {
  const table = new Map(Object.entries(routes));
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    requests.push(decodeURIComponent(path));
    const route = table.get(decodeURIComponent(path));
    if (route === undefined || typeof route === 'number') {
      res.writeHead(route ?? 404, { 'content-type': 'text/plain' });
      res.end('no such object');
    } else if (Buffer.isBuffer(route)) {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(route.length) });
      res.end(route);
    } else {
      // Promise the whole body, send half, hang up.
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(route.truncate.length) });
      res.write(route.truncate.subarray(0, Math.floor(route.truncate.length / 2)), () => res.socket?.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes: table,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
