// Reading OSV JSON files one at a time from a directory tree or a zip (OSV's
// all.zip): never the whole source in memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';

/** One advisory file is a few KB; anything this large is not one. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** Called with each `*.json` file's name and bytes (or why they could not be read), one after another. */
export type FileHandler = (name: string, content: Buffer | Error) => Promise<void> | void;

export async function forEachOsvFile(source: string, handle: FileHandler): Promise<void> {
  const info = await stat(source);
  if (info.isDirectory()) await forEachDirFile(source, '', handle);
  else await forEachZipFile(source, handle);
}

async function forEachDirFile(root: string, rel: string, handle: FileHandler): Promise<void> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await forEachDirFile(root, path, handle);
    else if (entry.isFile() && entry.name.endsWith('.json')) {
      const size = (await stat(join(root, path))).size;
      await handle(path, size > MAX_FILE_BYTES ? new Error(`larger than ${MAX_FILE_BYTES} bytes`) : await readFile(join(root, path)));
    }
  }
}

const WINDOW_BYTES = 1024 * 1024;
const WINDOWS = 4;

/**
 * yauzl reads a zip in many small pieces (a central directory record near
 * the end, then the entry's header and data near the start, and so on), each
 * an fs.read on the thread pool: for OSV's tens of thousands of small files
 * that is most of the time spent waiting. This reader serves them from a few
 * cached 1 MiB windows instead (memory stays a few MiB whatever the size).
 */
class WindowedReader extends yauzl.RandomAccessReader {
  private readonly windows: Array<{ start: number; data: Buffer }> = [];

  constructor(private readonly fd: number) {
    super();
  }

  private bytes(start: number, end: number): Buffer {
    let window = this.windows.find((w) => start >= w.start && end <= w.start + w.data.length);
    if (!window) {
      const data = Buffer.allocUnsafe(Math.max(WINDOW_BYTES, end - start));
      const got = readSync(this.fd, data, 0, data.length, start);
      window = { start, data: data.subarray(0, got) };
      if (this.windows.unshift(window) > WINDOWS) this.windows.pop();
      if (end > start + got) throw new Error('unexpected end of file');
    }
    return window.data.subarray(start - window.start, end - window.start);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    try {
      // Copied: a window may be reused while the consumer still holds the slice.
      return Readable.from([Buffer.from(this.bytes(start, end))], { objectMode: false });
    } catch (err) {
      return new Readable({
        read() {
          this.destroy(err as Error);
        },
      });
    }
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    let error: Error | null = null;
    try {
      this.bytes(position, position + length).copy(buffer, offset);
    } catch (err) {
      error = err as Error;
    }
    setImmediate(() => callback(error));
  }

  override close(callback: (err: Error | null) => void): void {
    try {
      closeSync(this.fd);
      setImmediate(() => callback(null));
    } catch (err) {
      setImmediate(() => callback(err as Error));
    }
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const fd = openSync(path, 'r');
    const reader = new WindowedReader(fd);
    yauzl.fromRandomAccessReader(reader, fstatSync(fd).size, { lazyEntries: true, autoClose: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) {
        reader.close(() => {});
        reject(new Error(`not a zip file (${err?.message ?? 'unreadable'})`));
      } else resolve(zip);
    });
  });
}

/**
 * An entry's bytes. Deflated entries are read raw and inflated here in one
 * synchronous call: a zlib stream per entry (yauzl's way) costs more than
 * the inflating itself when there are tens of thousands of small files.
 */
function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const deflated = entry.compressionMethod === 8;
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, deflated ? { decompress: false } : {}, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('unreadable entry'));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', reject);
      stream.on('end', () => {
        try {
          const raw = Buffer.concat(chunks);
          const data = deflated ? inflateRawSync(raw, { maxOutputLength: MAX_FILE_BYTES }) : raw;
          if (data.length !== entry.uncompressedSize) throw new Error(`${entry.fileName}: ${data.length} bytes, the directory says ${entry.uncompressedSize}`);
          resolve(data);
        } catch (e) {
          reject(e);
        }
      });
    });
  });
}

async function forEachZipFile(path: string, handle: FileHandler): Promise<void> {
  const zip = await openZip(path);
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      zip.close();
      reject(new Error(`damaged zip file (${err instanceof Error ? err.message : String(err)})`));
    };
    zip.on('error', fail);
    zip.on('end', () => {
      if (!failed) resolve();
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      const next = (): void => {
        if (!failed) zip.readEntry();
      };
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) return next();
      if (entry.uncompressedSize > MAX_FILE_BYTES) {
        Promise.resolve(handle(entry.fileName, new Error(`larger than ${MAX_FILE_BYTES} bytes`))).then(next, fail);
        return;
      }
      // A bad entry (CRC, inflate) means the archive itself is damaged: stop.
      readEntry(zip, entry)
        .then((buf) => handle(entry.fileName, buf))
        .then(next, fail);
    });
    zip.readEntry();
  });
}
