// Synthetic ImageFacts for rule tests, from a compact spec:
//
//   const facts = makeFacts({
//     config: { User: 'app', ExposedPorts: { '22/tcp': {} } },
//     history: [
//       ...DEBIAN_BASE,                                   // inherited base steps
//       'COPY a rel/ # buildkit',                         // own step (string = created_by)
//       { createdBy: 'EXPOSE map[22/tcp:{}]', inherited: true },
//     ],
//     files: [{ path: '/usr/bin/su', mode: 0o4755, layerIndex: 0 }],
//     contents: { '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n' },
//     boundarySource: 'local-image',
//   });
//
// The steps go through the facts builder's own buildSteps (created_by parsed
// with the real parseCreatedBy) and markInherited. Whether a step made a
// layer (`empty_layer`) defaults to what the builders do (RUN/COPY/ADD and
// imports do, the rest do not), and layers are numbered in step order with
// diffIDs from diffIdOf. Steps are inherited when before `ownFrom` (default:
// after the last step marked inherited).
import type {
  BaseBoundary,
  FileFact,
  FileIndex,
  FileType,
  ImageConfig,
  ImageFacts,
} from '../../../src/image/facts.js';
import { createHash } from 'node:crypto';
import { buildSteps, markInherited, type HistoryEntry } from '../../../src/image/history.js';
import { parseCreatedBy } from '../../../src/image/instruction.js';
import { fileIndexOf } from '../../../src/image/merge.js';
import { UNKNOWN_BOUNDARY } from '../../../src/image/boundary.js';
import type { RawFinding, RuleContext } from '../../../src/policies/rule.js';
import type { LayerScanHit } from '../../../src/image/file-scanner.js';
import type { PolicySetting } from '../../../src/config/model.js';
import { loadCatalog } from '../../../src/policies/catalog.js';
import { ruleContext } from '../../../src/policies/engine.js';
import { allRules } from '../../../src/policies/rules/index.js';

export interface StepSpec {
  createdBy: string;
  /** Default: index < ownFrom. */
  inherited?: boolean;
  /** Default: true for RUN, COPY, ADD and steps without an instruction (imports), else false. */
  makesLayer?: boolean;
  /** The image config's `empty_layer`: the opposite of `makesLayer` (give one or the other). */
  emptyLayer?: boolean;
  created?: string;
  /** Default: `buildkit.dockerfile.v0` for BuildKit steps, `Imported from -` for an empty created_by (docker import). */
  comment?: string;
}

export interface FileSpec {
  path: string;
  /** Default 'file'. */
  type?: FileType;
  /** Default 0o644 (0o755 for directories). */
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  linkTarget?: string;
  /** The layer that last wrote the path; default 0. */
  layerIndex?: number;
}

export interface FactsSpec {
  id?: string;
  repoTags?: string[];
  /** Default 'linux'. */
  os?: string;
  config?: ImageConfig;
  /** Oldest first; a string is a created_by of an own (or, before ownFrom, inherited) step. */
  history?: Array<string | StepSpec>;
  files?: FileSpec[];
  contents?: Record<string, string | Buffer>;
  /** Default: true when files or contents are given. */
  layersRead?: boolean;
  /** Index of the first own step. Default: one after the last step marked `inherited: true`, else 0. */
  ownFrom?: number;
  /** Default: 'local-image' when there are inherited steps, else 'unknown'. */
  boundarySource?: BaseBoundary['source'];
  dockerfileLines?: Map<number, { path: string; line: number }>;
  /** What file scanners found, per layer (default none). */
  scanHits?: LayerScanHit[];
  /** The reference the user checked (default none). */
  reference?: string;
}

/** A Debian-like base image as the classic builder records it (rootfs ADD + CMD), inherited. */
export const DEBIAN_BASE: readonly StepSpec[] = [
  { createdBy: '/bin/sh -c #(nop) ADD file:3b5e4c8ad0e1f2a7c6d9 in / ', inherited: true, created: '2024-01-10T00:00:00Z' },
  { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', inherited: true, created: '2024-01-10T00:00:01Z' },
];

/** An Alpine-like base image (rootfs ADD + CMD), inherited. */
export const ALPINE_BASE: readonly StepSpec[] = [
  { createdBy: '/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8 in / ', inherited: true, created: '2024-01-27T00:00:00Z' },
  { createdBy: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', inherited: true, created: '2024-01-27T00:00:01Z' },
];

/** A `docker import` root filesystem, inherited: empty created_by, comment `Imported from -`, layer 0. */
export const IMPORTED_BASE: readonly StepSpec[] = [{ createdBy: '', inherited: true, created: '2024-01-05T00:00:00Z' }];

/** A 64-hex content hash as the classic builder records sources: `file:${contentHash('app')}`. */
export function contentHash(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** `sha256:000…0<n>`: the diffID makeFacts gives layer n. */
export function diffIdOf(layerIndex: number): string {
  return `sha256:${(layerIndex + 1).toString(16).padStart(64, '0')}`;
}

const LAYER_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

export function makeFacts(spec: FactsSpec = {}): ImageFacts {
  const steps: StepSpec[] = (spec.history ?? []).map((s) => (typeof s === 'string' ? { createdBy: s } : s));
  let lastInherited = -1;
  steps.forEach((s, i) => {
    if (s.inherited) lastInherited = i;
  });
  const ownFrom = spec.ownFrom ?? lastInherited + 1;

  // The facts builder's own path: history entries (with empty_layer, as the archive's config
  // records it) → buildSteps → markInherited.
  const entries: HistoryEntry[] = steps.map((s) => {
    const instruction = parseCreatedBy(s.createdBy);
    const makesLayer =
      s.makesLayer ?? (s.emptyLayer !== undefined ? !s.emptyLayer : instruction === null || LAYER_KEYWORDS.has(instruction.keyword));
    const defaultComment =
      instruction?.builder === 'buildkit' ? 'buildkit.dockerfile.v0' : s.createdBy.trim() === '' ? 'Imported from -' : '';
    return { createdBy: s.createdBy, created: s.created ?? '', comment: s.comment ?? defaultComment, emptyLayer: !makesLayer };
  });
  const layerCount = entries.filter((e) => !e.emptyLayer).length;
  const diffIds = Array.from({ length: layerCount }, (_v, i) => diffIdOf(i));
  const { history, layers } = buildSteps(entries, diffIds);
  markInherited(history, layers, ownFrom);
  // An explicit `inherited` on a step wins over ownFrom (and carries over to its layer).
  steps.forEach((s, index) => {
    const step = history[index];
    if (s.inherited === undefined || !step) return;
    step.inherited = s.inherited;
    if (step.layerIndex !== undefined && layers[step.layerIndex]) layers[step.layerIndex]!.inherited = s.inherited;
  });

  const files = new Map<string, FileFact>();
  for (const f of spec.files ?? []) {
    const type = f.type ?? 'file';
    const layerIndex = f.layerIndex ?? 0;
    if (layerIndex >= layers.length) {
      throw new Error(
        `makeFacts: file ${f.path} is in layer ${layerIndex} but the history makes only ${layers.length} layer(s); ` +
          `add RUN/COPY/ADD steps (or makesLayer: true)`,
      );
    }
    const fact: FileFact = {
      path: f.path,
      type,
      mode: f.mode ?? (type === 'dir' ? 0o755 : 0o644),
      uid: f.uid ?? 0,
      gid: f.gid ?? 0,
      size: f.size ?? 0,
      layerIndex,
    };
    if (f.linkTarget !== undefined) fact.linkTarget = f.linkTarget;
    files.set(f.path, fact);
  }
  const fileIndex: FileIndex = fileIndexOf(files.values());

  const contents = new Map<string, Buffer>();
  for (const [path, value] of Object.entries(spec.contents ?? {})) {
    contents.set(path, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  }

  const facts: ImageFacts = {
    id: spec.id ?? `sha256:${'ab'.repeat(32)}`,
    repoTags: spec.repoTags ?? ['test/image:latest'],
    os: spec.os ?? 'linux',
    config: spec.config ?? {},
    history,
    layers,
    files: fileIndex,
    layersRead: spec.layersRead ?? (spec.files !== undefined || spec.contents !== undefined),
    contents,
    scanHits: spec.scanHits ?? [],
    baseBoundary: {
      source: spec.boundarySource ?? (ownFrom > 0 ? 'local-image' : 'unknown'),
      ownFrom,
    },
  };
  // As the facts builder reports it: an unknown boundary carries its note.
  if (facts.baseBoundary.source === 'unknown' && UNKNOWN_BOUNDARY.note) facts.baseBoundary.note = UNKNOWN_BOUNDARY.note;
  if (spec.dockerfileLines) facts.dockerfileLines = spec.dockerfileLines;
  if (spec.reference) facts.reference = spec.reference;
  return facts;
}

/**
 * The findings of one policy on facts built from `spec` (or given facts),
 * evaluated by whichever rule in allRules owns the ID.
 */
export function findingsOf(policy: string, spec: FactsSpec | ImageFacts, settings: Record<string, PolicySetting> = {}): RawFinding[] {
  const rule = allRules.find((r) => r.ids.includes(policy));
  if (!rule) throw new Error(`findingsOf: no rule in allRules evaluates ${policy}`);
  const facts = 'baseBoundary' in spec ? spec : makeFacts(spec);
  return rule.evaluate(facts, contextWith(settings)).filter((f) => f.policy === policy);
}

/**
 * The rule context of a run with these per-policy settings: option defaults
 * from the real catalog (policies/<ID>.yaml), overridden by `settings`.
 */
export function contextWith(settings: Record<string, PolicySetting> = {}): RuleContext {
  return ruleContext(loadCatalog(), { policies: settings });
}
