// An image's result from its facts: the rules' findings, and where a plain
// check stores it. Shared by every way a check reads an image (config only,
// layers, --quick, an archive file).
import type { ImageFacts } from '../image/facts.js';
import { buildFacts, type FactsInput } from '../image/facts-builder.js';
import type { DaemonImage } from '../daemon/inspect.js';
import type { LayerCache } from '../cache/layer-cache.js';
import { judge } from '../policies/engine.js';
import { VULN_POLICY_IDS } from '../policies/rules/vulns/ids.js';
import { reportedResult } from '../report/json.js';
import { resultKeyOf } from './result-key.js';
import type { FrontMatter } from './remembered-result.js';
import type { CheckOptions, DockerfileMatchResult, ImageResult } from './check-image.js';

/** A daemon image's facts from its inspect, its front matter and what was read of its layers (nothing, the export, or --quick's filesystem). */
export function daemonFacts(ref: string, info: DaemonImage, front: FrontMatter, read: Pick<FactsInput, 'archived' | 'merged'>): ImageFacts {
  const { boundary, dockerfileLines } = front.found;
  return buildFacts({ id: info.id, repoTags: info.repoTags, os: info.os, config: info.config, history: front.history, diffIds: info.diffIds, boundary, dockerfileLines, reference: ref, ...read });
}

export async function resultOf(ref: string, facts: ImageFacts, options: CheckOptions, dockerfile?: DockerfileMatchResult): Promise<ImageResult> {
  const engine = options.advisories && options.rules.some((r) => r.ids.some((id) => VULN_POLICY_IDS.includes(id)))
    ? { ...options.engine, advisories: await options.advisories.forImage(facts) }
    : options.engine;
  const { findings, suppressed } = judge(facts, options.rules, options.catalog, engine, ref);
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
    ...(facts.layersMerged ? { layersMerged: true } : {}),
    facts,
  };
}

/** Where a plain check's result is stored: the cache, and the image's slot from the first try. */
export interface ResultStore {
  results: LayerCache;
  slot: string;
}

/** Stores a daemon image's result in its slot, under the key of what it was judged with. Never throws. */
export function storeResult({ results, slot }: ResultStore, info: DaemonImage, front: FrontMatter, result: ImageResult): Promise<boolean> {
  return results.putResult(info.id, slot, resultKeyOf(slot, front.found), reportedResult(result));
}
