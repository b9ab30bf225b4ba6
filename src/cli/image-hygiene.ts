// The image hygiene facts people act on: dangling images and their space,
// images older than N days, and what pruning unused images would free, each
// with the command that would clean it (audit itself never deletes).
import type { LocalImageSummary } from '../daemon/inspect.js';
import type { ImageUsage } from '../daemon/disk-usage.js';

export interface HygieneImage {
  id: string;
  repoTags: string[];
  size: number;
  /** Whole days since the image was created. */
  ageDays: number;
}

export interface ImageHygiene {
  dangling: { images: HygieneImage[]; bytes: number; command: string };
  stale: { days: number; images: HygieneImage[]; bytes: number; command: string };
  /**
   * Bytes freed by removing every image no container uses, counting only what
   * each such image does not share with others: a lower bound, as shared layers
   * are freed too once all their images go.
   */
  reclaimable: { bytes: number; images: number; command: string };
}

const DAY_S = 86_400;

export function imageHygiene(
  images: LocalImageSummary[],
  usage: Map<string, ImageUsage>,
  options: { nowMs: number; staleDays: number },
): ImageHygiene {
  const nowS = options.nowMs / 1000;
  const described = images.map((i) => ({
    id: i.id,
    repoTags: i.repoTags,
    size: usage.get(i.id)?.size ?? i.size,
    ageDays: Math.max(0, Math.floor((nowS - i.created) / DAY_S)),
  }));
  const dangling = described.filter((i) => i.repoTags.length === 0);
  const stale = described.filter((i) => i.ageDays >= options.staleDays).sort((a, b) => b.ageDays - a.ageDays);
  const unused = images.filter((i) => (usage.get(i.id)?.containers ?? -1) === 0);
  // What removing the image alone frees: its size minus what it shares (all of it when sharing is unknown).
  const unique = (id: string, size: number): number => {
    const u = usage.get(id);
    return u && u.sharedSize >= 0 ? Math.max(0, u.size - u.sharedSize) : size;
  };
  return {
    dangling: { images: dangling, bytes: sum(dangling.map((i) => unique(i.id, i.size))), command: 'docker image prune' },
    stale: {
      days: options.staleDays,
      images: stale,
      bytes: sum(stale.map((i) => i.size)),
      command: `docker image prune -a --filter until=${options.staleDays * 24}h`,
    },
    reclaimable: { bytes: sum(unused.map((i) => unique(i.id, i.size))), images: unused.length, command: 'docker image prune -a' },
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
