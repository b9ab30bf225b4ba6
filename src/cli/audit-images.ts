// The images half of `audit`: every local image (dangling ones included),
// checked like `check` with a few exports at a time, plus the hygiene facts.
import { listImages, type DaemonContext, type LocalImageSummary } from '../daemon/inspect.js';
import { imageUsage, type ImageUsage } from '../daemon/disk-usage.js';
import { NoSuchImageError } from '../daemon/errors.js';
import { checkDaemonImage, type CheckOptions, type ImageResult } from './check-image.js';
import { imageHygiene, type ImageHygiene } from './image-hygiene.js';
import { forEachLimited } from './for-each-limited.js';

export interface ImageAudit {
  result: ImageResult;
  /** Bytes as the daemon counts them. */
  size: number;
  /** Seconds since the epoch. */
  created: number;
  dangling: boolean;
}

export interface ImagesAudit {
  images: ImageAudit[];
  hygiene: ImageHygiene;
}

export interface ImagesAuditOptions {
  jobs: number;
  staleDays: number;
  nowMs: number;
  onProgress?: (done: number, total: number, current?: string) => void;
}

export async function auditImages(ctx: DaemonContext, check: CheckOptions, options: ImagesAuditOptions): Promise<ImagesAudit> {
  const listed = await listImages(ctx); // one entry per ID: deduplicated by the daemon
  const usage = await imageUsage(ctx).catch(() => new Map<string, ImageUsage>()); // sizes only; not worth failing for
  const audits: ImageAudit[] = [];
  let done = 0;
  options.onProgress?.(0, listed.length);
  await forEachLimited(listed, options.jobs, async (image) => {
    options.onProgress?.(done, listed.length, nameOf(image));
    const result = await checkOne(ctx, image, check);
    done++;
    options.onProgress?.(done, listed.length);
    if (result) audits.push({ result, size: usage.get(image.id)?.size ?? image.size, created: image.created, dangling: image.repoTags.length === 0 });
  });
  return { images: audits.sort(worstFirst), hygiene: imageHygiene(listed, usage, options) };
}

/** The result, or undefined when the image was removed meanwhile (a concurrent prune is not an error). */
async function checkOne(ctx: DaemonContext, image: LocalImageSummary, check: CheckOptions): Promise<ImageResult | undefined> {
  const ref = nameOf(image);
  try {
    const result = await checkDaemonImage(ctx, image.id, check);
    return { ...result, image: ref };
  } catch (err) {
    if (err instanceof NoSuchImageError) return undefined;
    const message = err instanceof Error ? err.message : String(err);
    return { image: ref, id: image.id, repoTags: image.repoTags, passed: false, findings: [], suppressed: [], error: message };
  }
}

export function nameOf(image: Pick<LocalImageSummary, 'id' | 'repoTags'>): string {
  return image.repoTags[0] ?? image.id;
}

/** Errors, then most failing, most warnings, biggest. */
export function worstFirst(a: ImageAudit, b: ImageAudit): number {
  const score = (x: ImageAudit) => [x.result.error ? 1 : 0, count(x, 'fail'), count(x, 'warn'), x.size];
  const sa = score(a);
  const sb = score(b);
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sb[i] - sa[i];
  return a.result.image.localeCompare(b.result.image);
}

function count(x: ImageAudit, action: 'fail' | 'warn'): number {
  return x.result.findings.filter((f) => f.action === action).length;
}
