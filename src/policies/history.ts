// Helpers over image facts that several rules share: the image's own steps,
// the step that set a config field, the working directory in effect at a step,
// locations, and `$VAR` expansion against the image's Env. Pure, no I/O.
import { MERGED_LAYER, type HistoryStep, type ImageConfig, type ImageFacts, type Instruction } from '../image/facts.js';
import { parseArgvList } from '../image/instruction.js';
import type { Location } from './rule.js';
import { maskable, secretsOfStep } from '../secrets/image-secrets.js';
import { redact } from '../secrets/inline.js';

/** Said in messages of own-build policies when the base boundary is only guessed or unknown. */
export const BOUNDARY_UNKNOWN_NOTE = "base-image boundary unknown: these may include the base image's steps";

/** The steps of the image's own build (those not inherited from the base image), oldest first. */
export function ownSteps(facts: ImageFacts): HistoryStep[] {
  return facts.history.filter((s) => !s.inherited);
}

/** The keyword of a step's instruction (`RUN`, `COPY`, …), or undefined when it has none. */
export function keywordOf(step: HistoryStep): string | undefined {
  return step.instruction?.keyword;
}

/** Steps whose instruction has the keyword, oldest first; `own` keeps only own-build steps. */
export function stepsWithKeyword(
  facts: ImageFacts,
  keyword: string,
  options: { own?: boolean; before?: number } = {},
): HistoryStep[] {
  return facts.history.filter(
    (s) =>
      s.instruction?.keyword === keyword &&
      (!options.own || !s.inherited) &&
      (options.before === undefined || s.index < options.before),
  );
}

/** The latest step (optionally before history index `before`) that matches the predicate. */
export function lastStep(
  facts: ImageFacts,
  predicate: (step: HistoryStep, instruction: Instruction) => boolean,
  before?: number,
): HistoryStep | undefined {
  const end = before === undefined ? facts.history.length : Math.min(before, facts.history.length);
  for (let i = end - 1; i >= 0; i--) {
    const step = facts.history[i];
    if (step?.instruction && predicate(step, step.instruction)) return step;
  }
  return undefined;
}

/** The latest step with the keyword, optionally before history index `before`. */
export function lastStepWithKeyword(facts: ImageFacts, keyword: string, before?: number): HistoryStep | undefined {
  return lastStep(facts, (_s, ins) => ins.keyword === keyword, before);
}

/** Config fields that one Dockerfile instruction sets, and that instruction's keyword. */
const FIELD_KEYWORD = {
  User: 'USER',
  Cmd: 'CMD',
  Entrypoint: 'ENTRYPOINT',
  Healthcheck: 'HEALTHCHECK',
  WorkingDir: 'WORKDIR',
  Shell: 'SHELL',
} as const;

export type SettableField = keyof typeof FIELD_KEYWORD;

/**
 * The history step that set a config field: the last step with the matching
 * instruction (USER for `User`, CMD for `Cmd`, …). Undefined when no step did
 * (the field keeps its default, or the history does not show it).
 */
export function stepThatSet(facts: ImageFacts, field: SettableField): HistoryStep | undefined {
  return lastStepWithKeyword(facts, FIELD_KEYWORD[field]);
}

/**
 * The working directory in effect when step `index` ran, from the WORKDIR
 * steps before it (relative WORKDIRs resolve against the previous one).
 * Undefined when no WORKDIR step precedes it (the default, `/`, applies).
 */
export function workdirAt(facts: ImageFacts, index: number): string | undefined {
  let dir: string | undefined;
  for (const step of facts.history) {
    if (step.index >= index) break;
    if (step.instruction?.keyword !== 'WORKDIR') continue;
    const arg = step.instruction.args.trim();
    if (arg === '') continue;
    dir = isAbsolutePath(arg, facts.os === 'windows') ? arg : joinPath(dir ?? '/', arg);
  }
  return dir;
}

/** True for `/x`, and on Windows also for `C:\x`, `C:/x` and `\x`. */
export function isAbsolutePath(path: string, windows: boolean): boolean {
  if (path.startsWith('/')) return true;
  return windows && (/^[A-Za-z]:/.test(path) || path.startsWith('\\'));
}

function joinPath(base: string, rel: string): string {
  return base.endsWith('/') || base.endsWith('\\') ? base + rel : `${base}/${rel}`;
}

/**
 * How a step reads in messages and locations: its instruction, or the raw
 * `created_by`, with the secrets it shows masked here, before any caller
 * shortens it (a secret cut in half could no longer be found and masked).
 * `alsoMask`: more values to mask, whatever their length (the secrets rules').
 */
export function stepDisplay(step: HistoryStep, alsoMask: Iterable<string> = []): string {
  const instruction = step.instruction;
  const display =
    instruction?.keyword === 'HEALTHCHECK'
      ? (healthcheckDisplay(instruction) ?? instruction.display)
      : (instruction?.display ?? (step.createdBy.trim() || '(no command recorded)'));
  return redact(display, [...maskable(secretsOfStep(step)), ...alsoMask]);
}

const HEALTHCHECK_DURATIONS = ['interval', 'timeout', 'start-period', 'start-interval'];

/**
 * A HEALTHCHECK step as it was written: `HEALTHCHECK --interval=30s CMD curl -f http://localhost/`
 * rather than the builders' Go struct dump. Undefined when the text is not understood.
 */
export function healthcheckDisplay(instruction: Instruction): string | undefined {
  const test = healthcheckTestOf(instruction);
  if (!test || test.length === 0) return undefined;
  if (test[0] === 'NONE') return 'HEALTHCHECK NONE';
  const args = instruction.args.trim();
  const rest = args.slice(closingBracket(args, 2) + 1);
  const options: string[] = [];
  const durations = [...rest.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
  durations.forEach((d, i) => {
    const name = HEALTHCHECK_DURATIONS[i];
    if (name && d && d !== '0s') options.push(`--${name}=${d}`);
  });
  const retries = /'\\x([0-9a-fA-F]{2})'|'(.)'|\s(\d+)\}?\s*$/.exec(rest);
  const retryCount = retries
    ? retries[1] !== undefined ? parseInt(retries[1], 16) : retries[2] !== undefined ? retries[2].charCodeAt(0) : Number(retries[3])
    : 0;
  if (retryCount > 0) options.push(`--retries=${retryCount}`);
  const command =
    test[0] === 'CMD-SHELL' ? `CMD ${test.slice(1).join(' ')}` : test[0] === 'CMD' ? `CMD ${JSON.stringify(test.slice(1))}` : undefined;
  if (!command) return undefined;
  return ['HEALTHCHECK', ...options, command].join(' ');
}

/** `{ kind: 'history' }` location of a step. */
export function historyLocation(step: HistoryStep, alsoMask: Iterable<string> = []): Location {
  return { kind: 'history', index: step.index, instruction: stepDisplay(step, alsoMask) };
}

/** `{ kind: 'config' }` location of a config field, with the step that set it when known. */
export function configLocation(field: string, step?: HistoryStep, alsoMask: Iterable<string> = []): Location {
  if (!step) return { kind: 'config', field };
  return { kind: 'config', field, historyIndex: step.index, instruction: stepDisplay(step, alsoMask) };
}

/** `step 7 (ADD app.tar /app)`, for messages. */
export function describeStep(step: HistoryStep, alsoMask: Iterable<string> = []): string {
  // Messages stay short: the location carries the whole instruction.
  if (!step.instruction && !step.createdBy.trim()) return `step ${step.index} (no command recorded)`;
  const display = stepDisplay(step, alsoMask);
  return `step ${step.index} (${display.length > 60 ? display.slice(0, 59) + '…' : display})`;
}

/** `layer 3`; for a file read from the merged filesystem (check --quick), words saying which layer is not known. */
export function layerWords(layerIndex: number): string {
  return layerIndex === MERGED_LAYER ? 'an unknown layer (checked with --quick)' : `layer ${layerIndex}`;
}

/** `layer 3, step 4 (RUN …)`: the layer that wrote a file, and its step when known (`alsoMask` as describeStep's). */
export function layerOrigin(layerIndex: number, step: HistoryStep | undefined, alsoMask: Iterable<string> = []): string {
  return step ? `${layerWords(layerIndex)}, ${describeStep(step, alsoMask)}` : layerWords(layerIndex);
}

/** The history step that made layer `layerIndex`, when known. */
export function stepOfLayer(facts: ImageFacts, layerIndex: number): HistoryStep | undefined {
  const historyIndex = facts.layers[layerIndex]?.historyIndex;
  return historyIndex === undefined ? undefined : facts.history[historyIndex];
}

/** True when the boundary between base image and own build was established, not guessed. */
export function boundaryKnown(facts: ImageFacts): boolean {
  const source = facts.baseBoundary.source;
  return source !== 'unknown' && source !== 'timestamps';
}

export function isWindows(facts: ImageFacts): boolean {
  return facts.os.toLowerCase() === 'windows';
}

/** The image's Env as a map (later entries win, as in the config). */
export function envOf(config: ImageConfig): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of config.Env ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
    else if (eq < 0 && entry) env.set(entry, '');
  }
  return env;
}

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` against `env`
 * as a Dockerfile would. Returns undefined when a variable is not in `env`
 * (e.g. it was a build ARG), since the result would then be a guess.
 * `\$` escapes a dollar.
 */
export function expandVars(text: string, env: Map<string, string>): string | undefined {
  let unresolved = false;
  const out = text.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match: string, braced?: string, op?: string, word?: string, bare?: string) => {
      if (match === '\\$') return '$';
      const name = (braced ?? bare) as string;
      const value = env.get(name);
      if (op === '-') return value !== undefined && value !== '' ? value : (word ?? '');
      if (op === '+') return value !== undefined && value !== '' ? (word ?? '') : '';
      if (value === undefined) {
        unresolved = true;
        return match;
      }
      return value;
    },
  );
  return unresolved ? undefined : out;
}

/**
 * The test a HEALTHCHECK step recorded. Both builders write Go's `%v` of the
 * struct: `&{["CMD-SHELL" "curl -f http://localhost/"] "30s" "3s" "0s" "0s" '\x03'}`;
 * a hand-written `HEALTHCHECK NONE` is read too.
 */
export function healthcheckTestOf(instruction: Instruction): string[] | undefined {
  if (instruction.keyword !== 'HEALTHCHECK') return undefined;
  const args = instruction.args.trim();
  if (/^NONE$/i.test(args)) return ['NONE'];
  if (!args.startsWith('&{[')) return undefined;
  const end = closingBracket(args, 2);
  return end < 0 ? undefined : parseArgvList(args.slice(2, end + 1));
}

/** Index of the `]` closing the list that opens at `start`, skipping quoted strings; -1 if none. */
function closingBracket(text: string, start: number): number {
  let quoted = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ']') return i;
  }
  return -1;
}

/** Basename of a path (`/usr/sbin/sshd` → `sshd`; Windows separators too). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** Mode bits as a user reads them: `4755`. */
export function octalMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
