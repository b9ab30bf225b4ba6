// Where the image's own build starts, in DESIGN.md's order of trust:
// --base-image, the Dockerfile, a local image that is a strict prefix, and a
// gap in step times (only a hint).
import type { BaseBoundary, HistoryStep } from './facts.js';
import type { DockerfileStage } from './dockerfile.js';

/** What is known of another image, to compare histories and layers. */
export interface ImageOutline {
  id: string;
  ref?: string;
  createdBy: string[];
  diffIds: string[];
}

/** True when `base` is a strict prefix of `image`: same first steps and layers, fewer steps. */
export function isStrictPrefix(base: ImageOutline, image: ImageOutline): boolean {
  if (base.id === image.id || base.createdBy.length >= image.createdBy.length) return false;
  if (base.diffIds.length > image.diffIds.length) return false;
  for (let i = 0; i < base.createdBy.length; i++) if (base.createdBy[i] !== image.createdBy[i]) return false;
  for (let i = 0; i < base.diffIds.length; i++) if (base.diffIds[i] !== image.diffIds[i]) return false;
  return true;
}

export function boundaryFromBase(base: ImageOutline, image: ImageOutline, source: 'base-image' | 'local-image'): BaseBoundary {
  return { source, ownFrom: base.createdBy.length, base: base.ref ?? base.id };
}

/** The longest local image that is a strict prefix of this one: its nearest local ancestor. */
export function nearestLocalBase(image: ImageOutline, candidates: ImageOutline[]): ImageOutline | undefined {
  let best: ImageOutline | undefined;
  for (const c of candidates) {
    if (isStrictPrefix(c, image) && (!best || c.createdBy.length > best.createdBy.length)) best = c;
  }
  return best;
}

export interface DockerfileMatch {
  boundary: BaseBoundary;
  /** Dockerfile line per history index of the own steps. */
  lines: Map<number, number>;
}

// Instructions the builders may leave out of the history.
const OPTIONAL = new Set(['ARG', 'ONBUILD']);

/**
 * Lines the Dockerfile's final stage up with the end of the history. Null when
 * they do not match (the Dockerfile is not the one this image was built from).
 */
export function matchDockerfile(history: HistoryStep[], stage: DockerfileStage, path: string): DockerfileMatch | null {
  const lines = new Map<number, number>();
  let h = history.length - 1;
  // `docker build --label` adds trailing LABEL steps (classic builder) that no Dockerfile line wrote.
  const lastKeyword = stage.instructions[stage.instructions.length - 1]?.keyword;
  if (lastKeyword !== 'LABEL') while (h >= 0 && history[h].instruction?.keyword === 'LABEL') h--;
  for (let d = stage.instructions.length - 1; d >= 0; d--) {
    const want = stage.instructions[d];
    const have = history[h]?.instruction?.keyword;
    if (have === want.keyword) {
      lines.set(h, want.line);
      h--;
    } else if (!OPTIONAL.has(want.keyword)) {
      return null;
    }
  }
  return {
    boundary: { source: 'dockerfile', ownFrom: h + 1, base: stage.from, note: `from ${path}` },
    lines,
  };
}

const HOUR = 3600_000;

/**
 * The largest gap (≥ 1 hour) between consecutive step times. Weak evidence:
 * BuildKit keeps a cached step's old time and SOURCE_DATE_EPOCH can date new
 * steps before the base, so it only hints and never fails a count policy.
 */
export function boundaryFromTimestamps(history: HistoryStep[]): BaseBoundary | null {
  let bestGap = HOUR;
  let at = -1;
  for (let i = 1; i < history.length; i++) {
    const a = Date.parse(history[i - 1].created);
    const b = Date.parse(history[i].created);
    if (Number.isFinite(a) && Number.isFinite(b) && b - a > bestGap) {
      bestGap = b - a;
      at = i;
    }
  }
  if (at < 0) return null;
  const days = Math.round(bestGap / (24 * HOUR));
  return {
    source: 'timestamps',
    ownFrom: at,
    note: `guessed from a ${days >= 1 ? `${days}-day` : 'multi-hour'} gap in step times; pass --base-image to be sure`,
  };
}

export const UNKNOWN_BOUNDARY: BaseBoundary = {
  source: 'unknown',
  ownFrom: 0,
  note: 'base image not identified (pass --base-image or --dockerfile); every step is treated as own',
};
