// Where the image's own build starts, in DESIGN.md's order of trust:
// --base-image, the Dockerfile, a local image that is a strict prefix, and a
// gap in step times (only a hint).
import { posix } from 'node:path';
import type { BaseBoundary, HistoryStep, Instruction } from './facts.js';
import type { DockerfileInstruction, DockerfileStage } from './dockerfile.js';
import { copyDestination, exposedPortsOf } from './instruction.js';

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

/**
 * Which image-list sizes a local base (a strict prefix) of an image can have,
 * given the image's own list size and its history's step sizes. Where the
 * first is the sum of the second (the classic image store: both count layer
 * bytes), a base's size is one of the running sums, so other images need not
 * be inspected; elsewhere (other stores size images otherwise) only "no
 * larger than the image" holds.
 */
export function possibleBaseSize(imageSize: number | undefined, stepSizes?: number[]): (size: number) => boolean {
  if (imageSize === undefined) return () => true;
  if (stepSizes) {
    const sums = new Set([0]);
    let total = 0;
    for (const size of stepSizes) sums.add((total += size));
    if (total === imageSize) return (size) => sums.has(size);
  }
  return (size) => size <= imageSize;
}

/** The longest local image that is a strict prefix of this one: its nearest local ancestor. */
export function nearestLocalBase(image: ImageOutline, candidates: ImageOutline[]): ImageOutline | undefined {
  let best: ImageOutline | undefined;
  for (const c of candidates) {
    if (isStrictPrefix(c, image) && (!best || c.createdBy.length > best.createdBy.length)) best = c;
  }
  return best;
}

/** 1-based Dockerfile lines of one instruction. */
export interface LineSpan {
  line: number;
  endLine: number;
}

export type DockerfileMatch =
  | {
      matched: true;
      boundary: BaseBoundary;
      /** The Dockerfile lines per history index of the matched own steps. */
      lines: Map<number, LineSpan>;
    }
  | { matched: false; reason: string };

// Instructions the builders may leave out of the history (BuildKit writes no ARG step).
const OPTIONAL = new Set(['ARG', 'ONBUILD']);

/**
 * Lines the instructions of a resolved stage (see resolveStage) up with the
 * end of the history, comparing arguments wherever both sides can be compared
 * reliably, so that a matched step always gets its own line. When they do not
 * match (the Dockerfile is not the one this image was built from), says why.
 */
export function matchDockerfile(history: HistoryStep[], stage: DockerfileStage, path: string): DockerfileMatch {
  const context = contextOf(history);
  let best: Attempt | undefined;
  // `docker build --label` (classic builder) adds trailing LABEL steps that no
  // Dockerfile line wrote; try without skipping them first, as the Dockerfile may end in LABEL.
  for (let skip = 0; skip <= trailingLabels(history); skip++) {
    const attempt = lineUp(history, stage.instructions, history.length - 1 - skip, context);
    if (attempt.reason === undefined) {
      return {
        matched: true,
        boundary: { source: 'dockerfile', ownFrom: attempt.ownFrom, base: stage.from, note: `from ${path}` },
        lines: attempt.lines,
      };
    }
    if (!best || attempt.lines.size >= best.lines.size) best = attempt;
  }
  return { matched: false, reason: best?.reason ?? 'the Dockerfile does not match' };
}

interface Attempt {
  lines: Map<number, LineSpan>;
  /** Index of the first own step: the one after the last step left unmatched. */
  ownFrom: number;
  /** Why the stage does not match; undefined when it does. */
  reason?: string;
}

/** What the comparisons need to know about the whole history. */
interface MatchContext {
  /** Shells a shell-form RUN/CMD/ENTRYPOINT may have been wrapped in: the defaults and every SHELL step's. */
  shells: string[][];
  /** The builder that wrote the image's last steps (BuildKit records no ARG). */
  builder: Instruction['builder'];
}

function contextOf(history: HistoryStep[]): MatchContext {
  const shells = [['/bin/sh', '-c'], ['cmd', '/S', '/C']];
  for (const step of history) {
    const shell = step.instruction?.keyword === 'SHELL' ? recordedShell(step.instruction) : undefined;
    if (shell) shells.push(shell);
  }
  const last = [...history].reverse().find((s) => s.instruction && s.instruction.builder !== 'unknown');
  return { shells, builder: last?.instruction?.builder ?? 'unknown' };
}

/**
 * Both builders record SHELL with Go's `%v` of the list, `SHELL [/bin/bash -o pipefail -c]`,
 * which loses quoting; read it as words (a quoted list is read too).
 */
function recordedShell(have: Instruction): string[] | undefined {
  if (have.argv) return have.argv;
  const inner = /^\[(.*)\]$/s.exec(have.args.trim())?.[1];
  return inner === undefined ? undefined : inner.split(/\s+/).filter(Boolean);
}

function trailingLabels(history: HistoryStep[]): number {
  let n = 0;
  while (n < history.length && history[history.length - 1 - n].instruction?.keyword === 'LABEL') n++;
  return n;
}

/** Matches the instructions from the last backwards, against the history from index `last` backwards. */
function lineUp(history: HistoryStep[], instructions: DockerfileInstruction[], last: number, context: MatchContext): Attempt {
  const lines = new Map<number, LineSpan>();
  let h = last;
  for (let d = instructions.length - 1; d >= 0; d--) {
    const want = instructions[d];
    const step = h >= 0 ? history[h] : undefined;
    if (step && sameInstruction(want, step, context)) {
      lines.set(h, { line: want.line, endLine: want.endLine });
      h--;
    } else if (!OPTIONAL.has(want.keyword)) {
      const reason = step
        ? `line ${want.line} ${want.keyword} does not match step ${h} (${describeStep(step)})`
        : "the Dockerfile has more instructions than the image's history";
      return { lines, ownFrom: h + 1, reason };
    }
  }
  if (lines.size === 0) {
    return { lines, ownFrom: h + 1, reason: 'the Dockerfile has no instruction that the history records' };
  }
  return { lines, ownFrom: h + 1 };
}

function describeStep(step: HistoryStep): string {
  const text = (step.instruction?.display ?? step.createdBy).replace(/\s+/g, ' ').trim();
  if (!text) return 'no command recorded';
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

// --- comparing one instruction with one history step ------------------------

type Comparison = (want: DockerfileInstruction, have: Instruction, context: MatchContext) => boolean;

// Each compares what both builders record faithfully for that keyword; the
// keywords not listed (VOLUME, STOPSIGNAL, MAINTAINER, ONBUILD) match by keyword.
const COMPARISONS: Record<string, Comparison> = {
  CMD: sameCommand,
  ENTRYPOINT: sameCommand,
  SHELL: (want, have) => {
    const shell = recordedShell(have);
    return !want.json || !shell || sameList(want.json, shell);
  },
  EXPOSE: samePorts,
  USER: (want, have) => hasVariable(want.args) || squash(want.args) === squash(have.args),
  WORKDIR: sameWorkdir,
  ENV: sameKeys,
  LABEL: sameKeys,
  ARG: sameArg,
  COPY: sameDestination,
  ADD: sameDestination,
  HEALTHCHECK: (want, have) => /^none$/i.test(want.args.trim()) === have.args.includes('["NONE"]'),
};

function sameInstruction(want: DockerfileInstruction, step: HistoryStep, context: MatchContext): boolean {
  if (want.keyword === 'RUN') return sameRun(want, step, context);
  const have = step.instruction;
  if (!have || have.keyword !== want.keyword) return false;
  const compare = COMPARISONS[want.keyword];
  return compare ? compare(want, have, context) : true;
}

/**
 * RUN: the command as recorded after the build-arg prefix (`|N A=1 …`) and the
 * shell (`/bin/sh -c`): classic `[|N …] /bin/sh -c cmd`, BuildKit
 * `RUN [|N …] /bin/sh -c cmd # buildkit`; exec form is recorded as the
 * arguments joined by spaces (classic: with no keyword, so not parsed as RUN).
 */
function sameRun(want: DockerfileInstruction, step: HistoryStep, context: MatchContext): boolean {
  const recorded = runCommandOf(step);
  if (recorded === undefined) return false;
  if (!want.json && (want.heredoc || hasVariable(want.args))) return step.instruction?.keyword === 'RUN';
  const candidates = want.json ? [want.json.join(' ')] : context.shells.map((shell) => [...shell, want.args].join(' '));
  return candidates.some((c) => sameCommandLine(recorded, c));
}

function runCommandOf(step: HistoryStep): string | undefined {
  if (step.instruction?.keyword === 'RUN') return step.instruction.args;
  if (!step.instruction && step.createdBy.trim()) return step.createdBy.trim();
  return undefined;
}

function sameCommandLine(recorded: string, command: string): boolean {
  const have = squash(recorded);
  const want = squash(command);
  // Build-arg values may hold spaces, so the prefix is not split off: the command must end it.
  return have === want || (/^\|\d+ /.test(have) && have.endsWith(` ${want}`));
}

/** CMD/ENTRYPOINT: both builders record the argument vector; shell form is the shell plus the command. */
function sameCommand(want: DockerfileInstruction, have: Instruction, context: MatchContext): boolean {
  if (want.json) return have.argv !== undefined && sameList(want.json, have.argv);
  if (want.args === '' || hasVariable(want.args)) return true;
  const argv = have.argv;
  if (!argv || argv.length === 0) return false;
  const command = argv[argv.length - 1];
  return context.shells.some((shell) => sameList(argv.slice(0, -1), shell) && squash(command) === squash(want.args));
}

/** EXPOSE: the same ports, however written (classic keeps ranges as written, BuildKit expands them and adds /tcp). */
function samePorts(want: DockerfileInstruction, have: Instruction): boolean {
  if (hasVariable(want.args)) return true;
  const wanted = portSet(want.args.split(/\s+/).filter(Boolean));
  const recorded = portSet(exposedPortsOf(have.args));
  if (!wanted || !recorded) return true; // a syntax not read here: keyword only
  return wanted.size === recorded.size && [...wanted].every((p) => recorded.has(p));
}

function portSet(specs: string[]): Set<string> | undefined {
  const ports = new Set<string>();
  for (const spec of specs) {
    const m = /^(\d+)(?:-(\d+))?(?:\/([a-z]+))?$/i.exec(spec);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to > 65535) return undefined;
    for (let p = from; p <= to; p++) ports.add(`${p}/${(m[3] ?? 'tcp').toLowerCase()}`);
  }
  return ports;
}

/** WORKDIR: both builders record the resolved absolute path. */
function sameWorkdir(want: DockerfileInstruction, have: Instruction): boolean {
  const dir = want.args.trim();
  if (hasVariable(dir) || dir.includes('\\') || /^[A-Za-z]:/.test(dir)) return true; // variables, Windows paths
  const recorded = cleanPath(have.args.trim());
  if (dir.startsWith('/')) return cleanPath(dir) === recorded;
  const relative = cleanPath(dir);
  if (relative === '.' || relative.startsWith('..')) return true;
  return recorded.endsWith(`/${relative}`);
}

function cleanPath(p: string): string {
  return posix.normalize(p).replace(/(.)\/+$/, '$1');
}

/** ENV/LABEL: the names set, in order (values are expanded and re-quoted by the builders). */
function sameKeys(want: DockerfileInstruction, have: Instruction): boolean {
  const keys = want.keys ?? [];
  if (keys.length === 0 || keys.some(hasVariable)) return true;
  let rest = have.args.trim();
  for (const [i, key] of keys.entries()) {
    const at = new RegExp(`(?:^|\\s)"?${escapeRegExp(key)}"?=`).exec(rest);
    if (!at || (i === 0 && at.index !== 0)) return false;
    rest = rest.slice(at.index + at[0].length);
  }
  return true;
}

/** ARG: only the classic builder records it, as `ARG NAME[=value]`. */
function sameArg(want: DockerfileInstruction, have: Instruction, context: MatchContext): boolean {
  if (context.builder === 'buildkit') return false;
  const key = want.keys?.[0];
  if (!key || hasVariable(key)) return true;
  return new RegExp(`^${escapeRegExp(key)}(?:=|\\s|$)`).test(have.args.trim());
}

/** COPY/ADD: the destination (classic records the sources only as a content hash). */
function sameDestination(want: DockerfileInstruction, have: Instruction): boolean {
  if (want.heredoc) return true;
  const dest = want.json ? want.json[want.json.length - 1] : want.words[want.words.length - 1];
  if (!dest || /[$\s"'`]/.test(dest)) return true; // variables, quoting: keyword only
  const recorded = copyDestination(have);
  return recorded === undefined || recorded === dest;
}

function hasVariable(text: string): boolean {
  return text.includes('$');
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
