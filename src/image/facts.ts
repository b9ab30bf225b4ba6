import type { LayerScanHit } from './file-scanner.js';

// The image-facts contract between image/ (which builds it in one streaming
// pass) and policies/ (pure functions over it). See DESIGN.md.

/** The parts of the image config (as inspect returns it) that policies read. */
export interface ImageConfig {
  User?: string;
  ExposedPorts?: Record<string, object> | null;
  Healthcheck?: { Test?: string[] | null; Interval?: number; Timeout?: number; Retries?: number } | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Shell?: string[] | null;
  WorkingDir?: string;
  Env?: string[] | null;
  Labels?: Record<string, string> | null;
}

/** How a history step's command was written. */
export type InstructionForm = 'exec' | 'shell' | 'none';

/** A Dockerfile instruction recovered from a history step's `created_by`. */
export interface Instruction {
  /** Upper-case Dockerfile keyword: RUN, COPY, ADD, CMD, ENTRYPOINT, WORKDIR, … */
  keyword: string;
  /** Everything after the keyword, as the builder recorded it (suffixes such as `# buildkit` removed). */
  args: string;
  /** exec form (JSON array) or shell form, for RUN/CMD/ENTRYPOINT; `none` otherwise. */
  form: InstructionForm;
  /** The argument vector for exec-form CMD/ENTRYPOINT/RUN when it could be read. */
  argv?: string[];
  /** Which builder wrote the history text. */
  builder: 'classic' | 'buildkit' | 'unknown';
  /** The instruction as a user would write it in a Dockerfile, for messages and locations. */
  display: string;
}

export interface HistoryStep {
  /** 0 = oldest step (the base image's first), as in the image config's history. */
  index: number;
  createdBy: string;
  /** ISO-8601 time, or '' when the builder recorded none. */
  created: string;
  comment: string;
  /** null when `created_by` is empty (e.g. `docker import`) or not an instruction. */
  instruction: Instruction | null;
  /** True when the step made a filesystem layer (`empty_layer` false). */
  makesLayer: boolean;
  /** Index into `layers` of the layer this step made, when it made one. */
  layerIndex?: number;
  /** True when the step belongs to the base image (see `baseBoundary`). */
  inherited: boolean;
}

export interface LayerFact {
  index: number;
  /** `sha256:…` uncompressed digest from the image config's rootfs. */
  diffId: string;
  /** Uncompressed bytes read, 0 when the layers were not read. */
  size: number;
  /** The history step that made the layer, when it could be mapped. */
  historyIndex?: number;
  inherited: boolean;
}

export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface FileFact {
  /** Absolute, normalised path: `/usr/bin/su`. */
  path: string;
  type: FileType;
  /** Permission bits including setuid (0o4000), setgid (0o2000) and sticky. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Symlink or hardlink target (hardlink targets are absolute paths in the image). */
  linkTarget?: string;
  /** The layer that last wrote this path; MERGED_LAYER when that is not known (check --quick). */
  layerIndex: number;
}

/**
 * The `layerIndex` of what was read from a container's merged filesystem
 * (check --quick) rather than from the layers: which layer wrote it is not known.
 */
export const MERGED_LAYER = -1;

/** Where the image's own build starts; the steps before it are the base image's. */
export interface BaseBoundary {
  /** How the boundary was found, in order of trust; `unknown` when it was not. */
  source: 'base-image' | 'dockerfile' | 'local-image' | 'timestamps' | 'unknown';
  /** Index of the first own history step (0 when everything is own, i.e. unknown or FROM scratch). */
  ownFrom: number;
  /** The base image's reference or ID when one was identified. */
  base?: string;
  /** One sentence for the report, e.g. why the boundary is only a hint. */
  note?: string;
}

/** The merged filesystem, as the container would see it. */
export interface FileIndex {
  get(path: string): FileFact | undefined;
  /** Every path, in no particular order. */
  values(): Iterable<FileFact>;
  readonly size: number;
}

export interface ImageFacts {
  /** `sha256:…` image ID. */
  id: string;
  repoTags: string[];
  os: string;
  config: ImageConfig;
  history: HistoryStep[];
  layers: LayerFact[];
  /** Empty when the layers were not read (see `layersRead`). */
  files: FileIndex;
  /** True when the export was read, so `files` and `contents` are meaningful. */
  layersRead: boolean;
  /**
   * The merged filesystem was read instead of the layers (check --quick):
   * a file's layer is what the cached layers below tell, else MERGED_LAYER;
   * files a later layer deleted are not seen.
   */
  layersMerged?: boolean;
  /** Bytes of the files that rules asked for, by absolute path (merged view). */
  contents: Map<string, Buffer>;
  /**
   * What the rules' file scanners found in every layer, bottom layer first,
   * including files a later layer deleted or replaced (they still ship).
   */
  scanHits: LayerScanHit[];
  /** The reference the user checked (`app:latest`, an ID), when there was one. */
  reference?: string;
  baseBoundary: BaseBoundary;
  /** Dockerfile line per history index, when a Dockerfile is known. */
  dockerfileLines?: Map<number, DockerfileLine>;
}

/** Where in the Dockerfile an instruction is (1-based lines; endLine when it spans several). */
export interface DockerfileLine {
  path: string;
  line: number;
  endLine?: number;
}
