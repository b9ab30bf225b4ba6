// Hostile and broken archives for the reader's tests: tar headers written by
// hand (so that they can lie: wrong checksums, sizes, types, raw name bytes),
// outer archives streamed around layers that are never whole in memory, and
// the read-everything path `check --archive` takes (archive → images → facts
// → every rule), so that a crash anywhere on the way shows.
import { buildFacts } from '../../../src/image/facts-builder.js';
import type { ImageFacts } from '../../../src/image/facts.js';
import { UNKNOWN_BOUNDARY } from '../../../src/image/boundary.js';
import { readArchive } from '../../../src/image/archive-reader.js';
import { imagesInArchive, type ArchivedImage } from '../../../src/image/layout.js';
import { historyFromConfig } from '../../../src/image/facts-builder.js';
import type { ContentRequest } from '../../../src/image/layer-reader.js';
import { combinedNeeds } from '../../../src/policies/engine.js';
import type { RawFinding } from '../../../src/policies/rule.js';
import { allRules } from '../../../src/policies/rules/index.js';
import { contextWith } from '../helpers/facts.js';
import { chunked, digestOf, sha256 } from '../helpers/archives.js';

// ---------------------------------------------------------------------------
// Tar headers by hand

export interface RawEntry {
  /** Raw bytes are written as they are (invalid UTF-8 included). */
  name: string | Buffer;
  /** Typeflag character: '0' file, '2' symlink, '1' hardlink, '5' dir, 'L' GNU long name, 'x' PAX, 'S' GNU sparse … */
  type?: string;
  data?: Buffer;
  /** The size the header claims (default: data length). */
  size?: number;
  /** The size field's 12 bytes as written, overriding `size` (garbage, base-256). */
  sizeField?: Buffer;
  linkname?: string | Buffer;
  mode?: string;
  /** Break the header checksum. */
  badChecksum?: boolean;
  /** No ustar magic (a v7 header). */
  v7?: boolean;
  /** Bytes 345–500 (ustar prefix, or GNU sparse fields). */
  extra?: Buffer;
}

const bytesOf = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s);

export function tarHeader(e: RawEntry): Buffer {
  const h = Buffer.alloc(512);
  bytesOf(e.name).copy(h, 0, 0, 100);
  h.write((e.mode ?? '0000644') + '\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  const size = e.size ?? e.data?.length ?? 0;
  if (e.sizeField) e.sizeField.copy(h, 124, 0, 12);
  else if (size < 8 ** 11) h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  else {
    // GNU base-256 for sizes past 8 GiB: high bit set, big-endian.
    h[124] = 0x80;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--) {
      h[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  h.write('14543401225\0', 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(e.type ?? '0', 156, 'latin1');
  if (e.linkname !== undefined) bytesOf(e.linkname).copy(h, 157, 0, 100);
  if (!e.v7) h.write('ustar\x0000', 257, 'latin1');
  if (e.extra) e.extra.copy(h, 345, 0, 155);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  if (e.badChecksum) sum += 1;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

const padding = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

/** A tar of these entries; `end: false` leaves out the end-of-archive blocks. */
export function rawTar(entries: RawEntry[], { end = true }: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(tarHeader(e));
    if (e.data) parts.push(e.data, padding(e.data.length));
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A PAX extended header record `len key=value\n` (its length counts itself). */
export function paxRecord(key: string, value: string | Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), bytesOf(value), Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len++;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

// ---------------------------------------------------------------------------
// Outer archives around raw or streamed layers

/** An image config naming these layers' diffIDs (placeholders for streamed layers). */
export function configFor(diffIds: string[]): string {
  return JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['sh'], User: 'app' },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map((_d, i) => ({ created: '2024-01-02T03:04:05Z', created_by: `/bin/sh -c echo layer ${i}` })),
  });
}

/** A legacy `docker save` archive, manifest first, whose layers are these buffers (`layer<i>.tar`). */
export function legacyOf(layers: Buffer[], edit: (manifest: Record<string, unknown>) => void = () => {}): Buffer {
  const config = configFor(layers.map((l) => digestOf(l)));
  const configName = `${sha256(config)}.json`;
  const manifest: Record<string, unknown> = { Config: configName, RepoTags: ['hostile:1'], Layers: layers.map((_l, i) => `layer${i}.tar`) };
  edit(manifest);
  return rawTar([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify([manifest])) },
    { name: configName, data: Buffer.from(config) },
    ...layers.map((data, i) => ({ name: `layer${i}.tar`, data })),
  ]);
}

/**
 * A legacy archive streamed around one layer that is never whole in memory:
 * manifest and config first, then the layer's header claiming `declaredSize`
 * (default: `actualSize`), then its chunks. A shorter stream than declared is
 * a truncated archive.
 */
export async function* streamedLegacy(layer: AsyncIterable<Buffer>, actualSize: number, declaredSize = actualSize): AsyncGenerator<Buffer> {
  const config = configFor([`sha256:${'0'.repeat(64)}`]);
  const configName = `${sha256(config)}.json`;
  const manifest = JSON.stringify([{ Config: configName, RepoTags: ['hostile:1'], Layers: ['layer.tar'] }]);
  yield rawTar(
    [
      { name: 'manifest.json', data: Buffer.from(manifest) },
      { name: configName, data: Buffer.from(config) },
    ],
    { end: false },
  );
  yield tarHeader({ name: 'layer.tar', size: declaredSize });
  let sent = 0;
  for await (const chunk of layer) {
    sent += chunk.length;
    yield chunk;
  }
  if (sent !== declaredSize) return; // a lie: the archive ends here
  yield padding(sent);
  yield Buffer.alloc(1024);
}

// ---------------------------------------------------------------------------
// Reading as `check --archive` does

/** What every rule asks of the layers: contents, scanners (DSP10601's entry names included). */
export function fullRequest(): ContentRequest {
  const needs = combinedNeeds(allRules);
  const wanted = new Set(needs.contents);
  return { wants: (p) => wanted.has(p), maxBytes: 1024 * 1024, paths: [...wanted].sort(), scanners: needs.scanners };
}

export interface Judged {
  images: ArchivedImage[];
  facts: ImageFacts[];
  findings: RawFinding[];
}

/** Archive → images → facts → every rule: what `check --archive` does short of the report. */
export async function judgeArchive(source: Buffer | AsyncIterable<Buffer>, request: ContentRequest = fullRequest()): Promise<Judged> {
  const archive = await readArchive(Buffer.isBuffer(source) ? chunked(source, 7919) : source, request);
  const images = imagesInArchive(archive);
  const facts = images.map((image) =>
    buildFacts({
      id: image.id,
      repoTags: image.repoTags,
      os: image.config.os ?? 'linux',
      config: image.config.config ?? {},
      history: historyFromConfig(image),
      diffIds: image.config.rootfs?.diff_ids ?? [],
      archived: image,
      boundary: UNKNOWN_BOUNDARY,
    }),
  );
  const context = contextWith();
  const findings = facts.flatMap((f) => allRules.flatMap((rule) => rule.evaluate(f, context)));
  return { images, facts, findings };
}

// ---------------------------------------------------------------------------
// Memory

export interface MemoryPeak {
  /** Highest RSS seen, bytes. */
  rss: number;
  /** Highest growth of the JS heap over its level at the start, bytes. */
  heapGrowth: number;
  /** Highest growth of RSS over its level at the start, bytes. */
  rssGrowth: number;
}

/** Runs `fn`, sampling memory every 10 ms (and at the end). */
export async function withMemoryPeak<T>(fn: () => Promise<T>): Promise<{ value: T; peak: MemoryPeak }> {
  const start = process.memoryUsage();
  const peak: MemoryPeak = { rss: start.rss, heapGrowth: 0, rssGrowth: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.rssGrowth = Math.max(peak.rssGrowth, m.rss - start.rss);
    peak.heapGrowth = Math.max(peak.heapGrowth, m.heapUsed - start.heapUsed);
  };
  const timer = setInterval(sample, 10);
  try {
    const value = await fn();
    sample();
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}

export const MiB = 1024 * 1024;
