// The `python` scanner: installed Python distributions, from their core
// metadata (RFC 822 headers): `*.dist-info/METADATA` (wheels, pip),
// `*.egg-info/PKG-INFO` (setuptools) and a bare `*.egg-info` file (distutils).
// The body after the headers is the long description (often hundreds of KiB),
// so the file is streamed and let go at the blank line that ends the headers.
import type { FileScanner, ScanStream } from '../../image/file-scanner.js';
import { packageHit, type ScanHitBody } from '../package-record.js';
import { pythonLicense } from './python-license.js';

/** Headers longer than this are not metadata (the parse uses what it has). */
export const PYTHON_MAX_HEADER_BYTES = 256 * 1024;

/** RFC 822 headers up to the first empty line; continuation lines (leading space/tab) join their header. */
export function parseHeaders(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    if (line[0] === ' ' || line[0] === '\t') {
      if (last) last[last.length - 1] += '\n' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const list = headers.get(key) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(key, list);
    last = list;
  }
  return headers;
}

/** The distribution the metadata declares, as a package hit (none without Name and Version). */
export function readMetadata(path: string, text: string): ScanHitBody[] {
  const h = parseHeaders(text);
  const name = h.get('name')?.[0];
  const version = h.get('version')?.[0];
  if (!name || !version) return [];
  const license = pythonLicense(h.get('license-expression')?.[0], h.get('license')?.[0], h.get('classifier') ?? []);
  return [packageHit(path, { type: 'pypi', name, version, license, origin: 'installed' })];
}

/** True for the three metadata file forms. */
export function isPythonMetadata(path: string): boolean {
  const last = path.charCodeAt(path.length - 1); // `A`, `O`, `o`: one character rules out most paths
  if (last === 0x41) return path.endsWith('.dist-info/METADATA');
  if (last === 0x4f) return path.endsWith('.egg-info/PKG-INFO');
  return last === 0x6f && path.endsWith('.egg-info');
}

function endsHeaders(bytes: Buffer): boolean {
  return bytes.indexOf('\n\n') >= 0 || bytes.indexOf('\n\r\n') >= 0;
}

/** Collects chunks until the header-ending blank line (or the cap), then stops the read. */
class HeaderStream implements ScanStream {
  private readonly chunks: Buffer[] = [];
  private have = 0;
  /** The last bytes of the previous chunk: a blank line may span two chunks. */
  private carry: Buffer = Buffer.alloc(0);
  constructor(private readonly path: string) {}
  write(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.have += chunk.length;
    const seam = Buffer.concat([this.carry, chunk.subarray(0, 3)]);
    if (endsHeaders(seam) || endsHeaders(chunk)) return false;
    this.carry = chunk.length >= 3 ? chunk.subarray(chunk.length - 3) : Buffer.concat([this.carry, chunk]).subarray(-3);
    return this.have < PYTHON_MAX_HEADER_BYTES;
  }
  end(): ScanHitBody[] {
    return readMetadata(this.path, Buffer.concat(this.chunks).toString('utf8'));
  }
}

export const pythonScanner: FileScanner = {
  id: 'python',
  version: 1,
  maxBytes: PYTHON_MAX_HEADER_BYTES, // unused: `open` reads every wanted file
  wants: (path, size) => size > 0 && isPythonMetadata(path),
  scan: () => [],
  open: (path) => new HeaderStream(path),
};
