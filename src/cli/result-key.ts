// The key of a stored check result: a digest of everything a result is
// computed from besides the image's content, which its ID already pins. A
// re-check whose key matches returns the stored result without reading one
// layer; anything that could change a finding changes the key:
//   the program (version and build), the catalog's words, the policies run
//   (which, with the program, fix the rules and what they read), the settings (actions, severities, options, exceptions,
//   fail threshold), today's date (exceptions expire by the day), the name the
//   image was given and its tags, and the base-image boundary and Dockerfile
//   match (which depend on other local images and on files in the directory).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PolicyEntry } from '../policies/catalog.js';
import type { EngineOptions } from '../policies/engine.js';
import type { BoundaryResult, KnownDockerfile } from './find-boundary.js';
import { toolVersion } from '../version.js';

/** Bumped when what a stored result holds changes shape. */
const RESULT_FORMAT = 1;

/** What a result depends on that is known before the history is read (all but the boundary). */
export interface ResultSlotInputs {
  imageId: string;
  repoTags: string[];
  ref: string;
  /** The image policies enabled: with the program, they fix the rules run and what those read. */
  policyIds: string[];
  catalog: Map<string, PolicyEntry>;
  engine: EngineOptions;
  noLayers: boolean;
  /** check --quick (the merged filesystem instead of the layers). */
  quick?: boolean;
  baseImage?: string;
  dockerfile?: KnownDockerfile;
}

/**
 * The slot a result is stored in beside its image ID: one per way of checking
 * (the hook's config-only pass and its full pass, say, do not evict each other).
 */
export function resultSlotOf(inputs: ResultSlotInputs): string {
  const { engine } = inputs;
  const slot = {
    format: RESULT_FORMAT,
    program: programStamp(),
    catalog: catalogDigest(inputs.catalog),
    image: [inputs.imageId, inputs.ref, [...inputs.repoTags].sort()],
    policies: inputs.policyIds,
    noLayers: inputs.noLayers,
    ...(inputs.quick ? { quick: true } : {}),
    engine: {
      failOn: engine.failOn,
      inherited: engine.inherited ?? null,
      only: engine.only ? [...engine.only].sort() : null,
      skip: engine.skip ? [...engine.skip].sort() : null,
      policies: engine.policies ?? null,
      exceptions: engine.exceptions ?? null,
      day: (engine.now ?? new Date()).toISOString().slice(0, 10),
    },
    baseImage: inputs.baseImage ?? null,
    dockerfile: inputs.dockerfile ?? null,
  };
  return createHash('sha256').update(JSON.stringify(slot)).digest('hex');
}

/** The full key: the slot and the base-image boundary and Dockerfile match found this time. */
export function resultKeyOf(slot: string, boundary: BoundaryResult): string {
  const found = { ...boundary, dockerfileLines: boundary.dockerfileLines ? [...boundary.dockerfileLines] : null };
  return createHash('sha256').update(slot).update(JSON.stringify(found)).digest('hex');
}

let stamp: string | undefined;
/** The program's version and build: every build rewrites this module, so its mtime changes. */
export function programStamp(): string {
  return (stamp ??= `${toolVersion()} ${statSync(fileURLToPath(import.meta.url)).mtimeMs}`);
}

const catalogDigests = new WeakMap<Map<string, PolicyEntry>, string>();
function catalogDigest(catalog: Map<string, PolicyEntry>): string {
  let digest = catalogDigests.get(catalog);
  if (!digest) {
    digest = createHash('sha256').update(JSON.stringify([...catalog.values()])).digest('hex');
    catalogDigests.set(catalog, digest);
  }
  return digest;
}
