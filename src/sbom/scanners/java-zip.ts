// A streaming walk over a ZIP file's local headers, front to back, for the
// `java` scanner: jars are read as they stream by, never held. Each entry's
// header is shown to `open`; the entry's (compressed) bytes go to the sink it
// returns, or are skipped. The walk ends at the central directory.
//
// Entries written with a data descriptor (flag bit 3: `jar`/ZipOutputStream
// write every DEFLATED entry so) have no size in the local header. Their end is
// found without inflating: the descriptor's signature `PK\7\10` followed by a
// compressed size equal to the bytes read since the entry's data began (a
// chance match needs 8 bytes to agree). A descriptor without its (optional)
// signature cannot be found this way: the walk stops there (`stopped`).
// A prefix before the first entry (Spring Boot's "fully executable" launch
// script) is skipped, up to `prefixLimit` bytes.

export const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const END64_SIG = 0x06064b50;
const DESCRIPTOR_SIG = 0x08074b50;
const LOCAL_SIG_BYTES = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const DESCRIPTOR_SIG_BYTES = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const FLAG_DESCRIPTOR = 0x8;
const ZIP64_EXTRA = 0x0001;
const U32 = 2 ** 32;

export const STORED = 0;
export const DEFLATED = 8;

export interface ZipEntry {
  name: string;
  method: number;
  /** Compressed size, or -1 when only the data descriptor knows it. */
  compressedSize: number;
}

/** Receives one entry's raw (still compressed) bytes in order. */
export interface ZipEntrySink {
  write(data: Buffer): void;
  end(): void;
}

type State = 'prefix' | 'header' | 'data' | 'scan-descriptor' | 'skip-descriptor' | 'done';

export class ZipWalker {
  private state: State = 'header';
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current entry still to come ('data'), or read so far ('scan-descriptor'). */
  private count = 0;
  private sink: ZipEntrySink | undefined;
  private zip64 = false;
  private descriptorAfter = false;
  private skipped = 0;
  /** Why the walk ended before the central directory, if it did. */
  stopped: string | undefined;
  /** Entries seen. */
  entries = 0;
  private entryName = '';

  constructor(
    private readonly open: (entry: ZipEntry) => ZipEntrySink | undefined,
    private readonly prefixLimit = 0,
  ) {
    this.state = prefixLimit > 0 ? 'prefix' : 'header';
  }

  /** False once the walk is over (the central directory, or a failure). */
  write(chunk: Buffer): boolean {
    if (this.state === 'done') return false;
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.run();
    return !this.finished;
  }

  /** The input ended: a walk that had not reached the central directory was cut short. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'scan-descriptor') this.fail(`no end found for entry ${this.entryName} (a data descriptor without signature?)`);
    else this.fail(this.entries === 0 ? 'not a zip archive' : 'archive ends before its central directory');
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  private fail(reason: string): void {
    this.stopped = reason;
    this.state = 'done';
    this.sink = undefined;
    this.pending = Buffer.alloc(0);
  }

  private run(): void {
    for (;;) {
      const p = this.pending;
      switch (this.state) {
        case 'done':
          return;
        case 'prefix': {
          const at = p.indexOf(LOCAL_SIG_BYTES);
          if (at >= 0) {
            this.pending = p.subarray(at);
            this.state = 'header';
            continue;
          }
          const keep = Math.min(p.length, 3);
          this.skipped += p.length - keep;
          if (this.skipped > this.prefixLimit) return this.fail('not a zip archive');
          this.pending = p.subarray(p.length - keep);
          return;
        }
        case 'header': {
          if (p.length < 4) return;
          const sig = p.readUInt32LE(0);
          if (sig === CENTRAL_SIG || sig === END_SIG || sig === END64_SIG) {
            this.state = 'done'; // every entry was seen
            this.pending = Buffer.alloc(0);
            return;
          }
          if (sig !== LOCAL_SIG) return this.fail('unexpected record in the archive');
          if (p.length < 30) return;
          const nameLen = p.readUInt16LE(26);
          const extraLen = p.readUInt16LE(28);
          if (p.length < 30 + nameLen + extraLen) return;
          const flags = p.readUInt16LE(6);
          const method = p.readUInt16LE(8);
          let compressed = p.readUInt32LE(18);
          const name = p.toString('utf8', 30, 30 + nameLen);
          const zip64 = zip64CompressedSize(p.subarray(30 + nameLen, 30 + nameLen + extraLen));
          this.zip64 = zip64 !== undefined;
          if (zip64 !== undefined && compressed === U32 - 1) compressed = zip64;
          const unknownSize = (flags & FLAG_DESCRIPTOR) !== 0 && compressed === 0;
          this.descriptorAfter = (flags & FLAG_DESCRIPTOR) !== 0;
          this.entries++;
          this.entryName = name;
          this.sink = this.open({ name, method, compressedSize: unknownSize ? -1 : compressed });
          this.pending = p.subarray(30 + nameLen + extraLen);
          this.state = unknownSize ? 'scan-descriptor' : 'data';
          this.count = unknownSize ? 0 : compressed;
          continue;
        }
        case 'data': {
          const n = Math.min(this.count, p.length);
          if (n > 0) this.sink?.write(p.subarray(0, n));
          this.count -= n;
          this.pending = p.subarray(n);
          if (this.count > 0) return;
          this.sink?.end();
          this.sink = undefined;
          this.state = this.descriptorAfter ? 'skip-descriptor' : 'header';
          continue;
        }
        case 'skip-descriptor': {
          // Sizes were in the header after all; the descriptor (signed or not) follows the data.
          const length = (this.zip64 ? 20 : 12) + (p.length >= 4 && p.readUInt32LE(0) === DESCRIPTOR_SIG ? 4 : 0);
          if (p.length < length) return;
          this.pending = p.subarray(length);
          this.state = 'header';
          continue;
        }
        case 'scan-descriptor': {
          if (this.scanDescriptor(p)) continue;
          return;
        }
      }
    }
  }

  /** True when the entry's end was found (state moved on); false when more bytes are needed. */
  private scanDescriptor(p: Buffer): boolean {
    const length = this.zip64 ? 24 : 16;
    // A candidate needs its signature, crc and compressed size (12 bytes) to be judged.
    const judgeable = p.length - 11;
    for (let at = p.indexOf(DESCRIPTOR_SIG_BYTES); at >= 0 && at < judgeable; at = p.indexOf(DESCRIPTOR_SIG_BYTES, at + 1)) {
      if (p.readUInt32LE(at + 8) !== (this.count + at) % U32) continue;
      if (at > 0) this.sink?.write(p.subarray(0, at));
      this.count += at;
      if (p.length < at + length) {
        this.pending = p.subarray(at); // the whole descriptor is needed before the next header
        return false;
      }
      this.sink?.end();
      this.sink = undefined;
      this.pending = p.subarray(at + length);
      this.state = 'header';
      return true;
    }
    // No end yet: pass on all but the bytes that could start a descriptor.
    const keep = Math.max(0, judgeable);
    if (keep > 0) this.sink?.write(p.subarray(0, keep));
    this.count += keep;
    this.pending = p.subarray(keep);
    return false;
  }
}

/** The compressed size from a ZIP64 extended-information extra field, if the header has one. */
function zip64CompressedSize(extra: Buffer): number | undefined {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    // Local header order: uncompressed size, then compressed size (8 bytes each).
    if (id === ZIP64_EXTRA && size >= 16 && at + 4 + 16 <= extra.length) return Number(extra.readBigUInt64LE(at + 12));
    at += 4 + size;
  }
  return undefined;
}
