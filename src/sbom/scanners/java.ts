// The `java` scanner: the Maven modules inside Java archives (`*.jar`, `*.war`,
// `*.ear`), including archives nested one level deep (Spring Boot
// `BOOT-INF/lib/*.jar`, WAR `WEB-INF/lib/*.jar`, EAR modules). Every hit is
// type `maven`, origin `archive`; nested ones carry `innerPath`.
//
// Evidence, best first, recorded as `data.versionSource`:
//   `pom.properties` — one hit per `META-INF/maven/<g>/<a>/pom.properties`
//     (a shaded jar embeds several): groupId, artifactId, version as built;
//   `manifest` — no pom.properties: the name from the file name (usually the
//     artifactId) or `Implementation-Title`/`Bundle-SymbolicName`, the version
//     from `Implementation-Version`/`Bundle-Version`, groupId from
//     `Implementation-Vendor-Id`; weaker (titles and OSGi versions are not
//     always Maven coordinates);
//   `file-name` — neither: `name-1.2.3.jar`; weakest.
// `Bundle-License` (parameters cut) is the licence when the archive describes
// one module.
//
// Memory: archives stream through a ZIP local-header walk (java-zip.ts); only
// manifests and pom.properties are kept (≤ 1 MiB each). A STORED nested jar is
// walked as it streams; a DEFLATED one is buffered compressed (≤ 16 MiB) and
// inflated (≤ 64 MiB) before its walk; bigger ones, and archives the walk
// cannot finish, are reported as `archive-unread` hits with a reason.
import { inflateRawSync } from 'node:zlib';
import type { FileScanner, ScanStream } from '../../image/file-scanner.js';
import { packageHit, type PackageRecord, type ScanHitBody } from '../package-record.js';
import { DEFLATED, STORED, ZipWalker, type ZipEntry, type ZipEntrySink } from './java-zip.js';
import {
  nameFromFileName,
  parseManifest,
  readPomProperties,
  withoutParameters,
  type PomProperties,
} from './java-metadata.js';

export const ARCHIVE_UNREAD_HIT = 'archive-unread';
/** Largest manifest or pom.properties kept (compressed). */
const MAX_TEXT = 1024 * 1024;
/** Largest DEFLATED nested archive buffered, compressed and inflated. */
export const MAX_NESTED_COMPRESSED = 16 * 1024 * 1024;
const MAX_NESTED_INFLATED = 64 * 1024 * 1024;
/** Launch script allowed before the first entry (Spring Boot executable jars: ~10 KiB). */
const MAX_PREFIX = 1024 * 1024;

/** What one archive (the file, or a jar inside it) declares. */
interface ArchiveFacts {
  /** Inside the file; undefined for the file itself. */
  innerPath?: string;
  poms: PomProperties[];
  manifest?: Map<string, string>;
  unread?: string;
}

export function isJavaArchive(path: string): boolean {
  // All three end in `r`: one character decides for almost every other path.
  return path.charCodeAt(path.length - 1) === 0x72 && (path.endsWith('.jar') || path.endsWith('.war') || path.endsWith('.ear'));
}

function isPomProperties(name: string): boolean {
  return name.startsWith('META-INF/maven/') && name.endsWith('/pom.properties');
}

/** Collects an entry's bytes (up to a cap), then hands them over inflated. */
class BufferSink implements ZipEntrySink {
  private readonly chunks: Buffer[] = [];
  private have = 0;
  constructor(
    private readonly entry: ZipEntry,
    private readonly cap: number,
    private readonly done: (bytes: Buffer | undefined, why?: string) => void,
  ) {}
  write(data: Buffer): void {
    this.have += data.length;
    if (this.have <= this.cap) this.chunks.push(data);
  }
  end(): void {
    if (this.have > this.cap) return this.done(undefined, `larger than ${this.cap / 1024 / 1024} MiB compressed`);
    const raw = Buffer.concat(this.chunks);
    if (this.entry.method === STORED) return this.done(raw);
    if (this.entry.method !== DEFLATED) return this.done(undefined, `compression method ${this.entry.method}`);
    try {
      this.done(inflateRawSync(raw, { maxOutputLength: Math.max(this.cap, MAX_NESTED_INFLATED) }));
    } catch (err) {
      this.done(undefined, err instanceof RangeError ? 'too large once inflated' : 'corrupt compressed data');
    }
  }
}

/** The metadata entries of one archive go to `facts`. */
function metadataSink(entry: ZipEntry, facts: ArchiveFacts): ZipEntrySink | undefined {
  if (entry.name === 'META-INF/MANIFEST.MF') {
    return new BufferSink(entry, MAX_TEXT, (bytes) => {
      if (bytes) facts.manifest = parseManifest(bytes.toString('utf8'));
    });
  }
  if (isPomProperties(entry.name)) {
    return new BufferSink(entry, MAX_TEXT, (bytes) => {
      const pom = bytes && readPomProperties(entry.name, bytes.toString('utf8'));
      if (pom) facts.poms.push(pom);
    });
  }
  return undefined;
}

/** A jar inside the archive: walked as it streams when STORED, else buffered and inflated first. */
function nestedSink(entry: ZipEntry, facts: ArchiveFacts): ZipEntrySink {
  const walker = new ZipWalker((inner) => metadataSink(inner, facts));
  const finish = () => {
    walker.end();
    if (walker.stopped) facts.unread = walker.stopped;
  };
  if (entry.method === STORED) {
    return {
      write: (data) => void walker.write(data),
      end: finish,
    };
  }
  return new BufferSink(entry, MAX_NESTED_COMPRESSED, (bytes, why) => {
    if (!bytes) {
      facts.unread = why;
      return;
    }
    walker.write(bytes);
    finish();
  });
}

class JavaArchiveStream implements ScanStream {
  private readonly outer: ArchiveFacts = { poms: [] };
  private readonly nested: ArchiveFacts[] = [];
  private readonly walker: ZipWalker;

  constructor(private readonly path: string) {
    this.walker = new ZipWalker((entry) => this.open(entry), MAX_PREFIX);
  }

  private open(entry: ZipEntry): ZipEntrySink | undefined {
    const sink = metadataSink(entry, this.outer);
    if (sink) return sink;
    if (!isJavaArchive(entry.name)) return undefined;
    const facts: ArchiveFacts = { innerPath: entry.name, poms: [] };
    this.nested.push(facts);
    return nestedSink(entry, facts);
  }

  write(chunk: Buffer): boolean {
    return this.walker.write(chunk);
  }

  end(): ScanHitBody[] {
    this.walker.end();
    if (this.walker.stopped) this.outer.unread = this.walker.stopped;
    const hits: ScanHitBody[] = [];
    for (const facts of [this.outer, ...this.nested]) hits.push(...archiveHits(this.path, facts));
    return hits;
  }
}

/** The hits for one archive's facts: its modules, or why it could not be read. */
function archiveHits(path: string, facts: ArchiveFacts): ScanHitBody[] {
  const hits: ScanHitBody[] = [];
  const license = withoutParameters(facts.manifest?.get('Bundle-License'));
  const add = (record: PackageRecord, versionSource: string) => {
    if (facts.innerPath) record.innerPath = facts.innerPath;
    const hit = packageHit(path, record);
    hit.data = { ...hit.data, versionSource };
    hits.push(hit);
  };
  for (const pom of facts.poms) {
    add(
      {
        type: 'maven',
        name: pom.artifactId,
        namespace: pom.groupId,
        version: pom.version,
        license: facts.poms.length === 1 ? license : undefined,
        origin: 'archive',
      },
      'pom.properties',
    );
  }
  if (facts.poms.length === 0) {
    const fallback = fallbackRecord(facts.innerPath ?? path, facts.manifest);
    if (fallback) add({ ...fallback.record, license }, fallback.source);
  }
  // Also when some modules were found: the rest of the archive was not seen.
  if (facts.unread) {
    const data: Record<string, string> = { reason: facts.unread };
    if (facts.innerPath) data.innerPath = facts.innerPath;
    hits.push({ kind: ARCHIVE_UNREAD_HIT, path, data });
  }
  return hits;
}

/** Name and version without pom.properties: the manifest, then the file name. */
function fallbackRecord(
  fileName: string,
  manifest: Map<string, string> | undefined,
): { record: PackageRecord; source: string } | undefined {
  const fromName = nameFromFileName(fileName);
  const manifestVersion = manifest?.get('Implementation-Version') || manifest?.get('Bundle-Version');
  const name =
    fromName?.version !== undefined
      ? fromName.name
      : manifest?.get('Implementation-Title') || withoutParameters(manifest?.get('Bundle-SymbolicName')) || fromName?.name;
  const version = manifestVersion || fromName?.version;
  if (!name || !version) return undefined;
  const record: PackageRecord = { type: 'maven', name, version, origin: 'archive' };
  const group = manifest?.get('Implementation-Vendor-Id');
  if (group) record.namespace = group;
  return { record, source: manifestVersion ? 'manifest' : 'file-name' };
}

export const javaScanner: FileScanner = {
  id: 'java',
  version: 1,
  maxBytes: 0, // unused: `open` streams every wanted archive
  wants: (path, size) => size >= 22 && isJavaArchive(path), // 22: the smallest zip (an empty one)
  scan: () => [],
  open: (path) => new JavaArchiveStream(path),
};
