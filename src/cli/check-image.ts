// One image, end to end: inspect → (export streaming while the boundary is
// found) → facts → findings. Returns data; printing is the caller's.
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { BaseBoundary, ImageFacts } from '../image/facts.js';
import { readArchive, type ArchiveContents } from '../image/archive-reader.js';
import { imagesInArchive, type ArchivedImage } from '../image/layout.js';
import { buildFacts, historyFromConfig } from '../image/facts-builder.js';
import { buildSteps } from '../image/history.js';
import type { ContentRequest } from '../image/layer-reader.js';
import { UNKNOWN_BOUNDARY } from '../image/boundary.js';
import { exportImage } from '../daemon/export.js';
import { imageHistory, inspectImage, type DaemonContext } from '../daemon/inspect.js';
import { combinedNeeds, judge, type EngineOptions, type Finding } from '../policies/engine.js';
import type { PolicyEntry } from '../policies/catalog.js';
import type { Rule } from '../policies/rule.js';
import { UsageError } from './usage-error.js';
import { findBoundary, type KnownDockerfile } from './find-boundary.js';

export interface ImageResult {
  /** The name the user gave. */
  image: string;
  id?: string;
  repoTags: string[];
  passed: boolean;
  baseBoundary?: BaseBoundary;
  /** The Dockerfile given or found, and whether it matched this image's history. */
  dockerfile?: DockerfileMatchResult;
  findings: Finding[];
  suppressed: Finding[];
  /** Layers were not read (config-only run). */
  layersSkipped?: boolean;
  error?: string;
  /** Kept for callers that want more than the findings (not serialised). */
  facts?: ImageFacts;
}

export interface DockerfileMatchResult {
  path: string;
  matched: boolean;
  /** Why it did not match, in words (when `matched` is false). */
  reason?: string;
  /** Found as ./Dockerfile rather than given with --dockerfile. */
  auto?: boolean;
}

export interface CheckOptions {
  rules: Rule[];
  catalog: Map<string, PolicyEntry>;
  engine: EngineOptions;
  baseImage?: string;
  dockerfile?: KnownDockerfile;
  /** Skip the export even when a rule needs files. */
  noLayers?: boolean;
  onProgress?: (bytes: number) => void;
}

const CONTENT_CAP = 1024 * 1024;

export function contentRequest(rules: Rule[]): ContentRequest {
  const wanted = new Set(combinedNeeds(rules).contents);
  return { wants: (p) => wanted.has(p), maxBytes: CONTENT_CAP };
}

export function needsLayers(rules: Rule[], options: Pick<CheckOptions, 'noLayers'>): boolean {
  if (options.noLayers) return false;
  const needs = combinedNeeds(rules);
  return needs.files || needs.contents.length > 0;
}

export async function checkDaemonImage(ctx: DaemonContext, ref: string, options: CheckOptions): Promise<ImageResult> {
  const info = await inspectImage(ctx, ref);
  // Ask for the export first: the daemon stages it while we fetch the rest.
  const exporting = needsLayers(options.rules, options) ? exportImage(ctx, info.id) : undefined;
  exporting?.catch(() => {}); // awaited below; avoid an unhandled rejection meanwhile
  let archiveRead: Promise<ArchiveContents> | undefined;
  if (exporting) {
    archiveRead = exporting.then((stream) => readArchive(stream as Readable, contentRequest(options.rules), options.onProgress));
    archiveRead.catch(() => {});
  }
  try {
    const history = await imageHistory(ctx, info.id);
    const { history: steps } = buildSteps(history, info.diffIds);
    const { boundary, dockerfileLines, dockerfile } = await findBoundary(
      ctx,
      { id: info.id, ref, createdBy: history.map((h) => h.createdBy), diffIds: info.diffIds, size: info.size },
      steps,
      { baseImage: options.baseImage, dockerfile: options.dockerfile },
    );
    let archived: ArchivedImage | undefined;
    if (archiveRead) {
      const archive = await archiveRead;
      archived = pickImage(imagesInArchive(archive), info.id);
    }
    const facts = buildFacts({
      id: info.id,
      repoTags: info.repoTags,
      os: info.os,
      config: info.config,
      history,
      diffIds: info.diffIds,
      archived,
      boundary,
      dockerfileLines,
    });
    return resultOf(ref, facts, options, dockerfile);
  } catch (err) {
    // Stop the export when anything else failed.
    exporting?.then((s) => s.destroy(), () => {});
    throw err;
  }
}

/** Checks every image in a `docker save` / OCI archive file, without a daemon. */
export async function checkArchiveFile(path: string, options: CheckOptions): Promise<ImageResult[]> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read --archive ${path}: ${err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message)}`);
  });
  const stream = handle.createReadStream({ highWaterMark: 1024 * 1024 });
  const archive = await readArchive(stream, contentRequest(options.rules), options.onProgress);
  const results: ImageResult[] = [];
  for (const image of imagesInArchive(archive)) {
    const history = historyFromConfig(image);
    const { history: steps } = buildSteps(history, image.config.rootfs?.diff_ids ?? []);
    const { boundary, dockerfileLines, dockerfile } = await findBoundary(
      undefined,
      { id: image.id, createdBy: history.map((h) => h.createdBy), diffIds: image.config.rootfs?.diff_ids ?? [] },
      steps,
      { dockerfile: options.dockerfile, localScan: false },
    );
    const facts = buildFacts({
      id: image.id,
      repoTags: image.repoTags,
      os: image.config.os ?? 'linux',
      config: image.config.config ?? {},
      history,
      diffIds: image.config.rootfs?.diff_ids ?? [],
      archived: image,
      boundary: boundary ?? UNKNOWN_BOUNDARY,
      dockerfileLines,
    });
    results.push(resultOf(image.repoTags[0] ?? image.id, facts, options, dockerfile));
  }
  return results;
}

function pickImage(images: ArchivedImage[], id: string): ArchivedImage {
  const found = images.find((i) => i.id === id) ?? (images.length === 1 ? images[0] : undefined);
  if (!found) throw new Error(`the export does not contain image ${id}`);
  return found;
}

function resultOf(ref: string, facts: ImageFacts, options: CheckOptions, dockerfile?: DockerfileMatchResult): ImageResult {
  const { findings, suppressed } = judge(facts, options.rules, options.catalog, options.engine, ref);
  return {
    image: ref,
    id: facts.id,
    repoTags: facts.repoTags,
    passed: findings.every((f) => f.action !== 'fail'),
    baseBoundary: facts.baseBoundary,
    ...(dockerfile ? { dockerfile } : {}),
    findings,
    suppressed,
    ...(facts.layersRead ? {} : { layersSkipped: true }),
    facts,
  };
}
