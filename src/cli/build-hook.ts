// Answering the docker CLI's hook call after `docker build` (see
// plugin/hook-protocol.ts): find the image the build produced, check it
// within a time budget, and answer a short summary for "What's next:".
// After a failed build, when no image is found, or when the image is clean,
// the answer is empty and the CLI prints nothing of ours. The hook never
// throws and never prints anything but its answer: whatever goes wrong, the
// build's own result stands.
import { closeSync, openSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { isatty, WriteStream } from 'node:tty';
import { performance } from 'node:perf_hooks';
import type { GlobalOptions } from '../plugin/argv.js';
import { resolveConfigDir } from '../plugin/config-dir.js';
import { processInputs, type Env } from '../plugin/environment.js';
import { COMMAND } from '../plugin/metadata.js';
import { buildxDir, latestBuildxRecord, recordDockerfile } from '../plugin/buildx-refs.js';
import {
  hookResponse,
  parseBuildInvocation,
  parseHookRequest,
  readInvokingProcess,
  type BuildInvocation,
  type HookRequest,
  type InvokingProcess,
} from '../plugin/hook-protocol.js';
import { findBuiltImage, type BuiltImage } from '../daemon/built-image.js';
import { escapeTemplate, hookSummaryLines, oneLine, shellWord } from '../report/hook-summary.js';
import { printable } from '../report/terminal-text.js';
import { shortId } from '../report/terminal-text.js';
import { checkSettings, resultCache, withRules, type CheckSettings } from './check-settings.js';
import { checkDaemonImage, needsLayers, type CheckOptions, type ImageResult } from './check-image.js';
import { firstTry, type FirstTry } from './remembered-result.js';
import { connectDaemon } from './daemon-context.js';
import { dockerfileSource, type KnownDockerfile } from './dockerfile-source.js';

/** Seconds from the hook's start to its answer, unless the configuration says otherwise. */
export const DEFAULT_BUDGET_SECONDS = 10;
/** How far back to look for the build when the docker CLI's start time is not known. */
export const LOOKBACK_MS = 10 * 60 * 1000;
/** Kept back from the budget for answering and exiting. */
const ANSWER_MARGIN_MS = 150;
/** Slack before the docker CLI's start: /proc's boot time has whole seconds. */
const START_SLACK_MS = 2000;

export interface HookInputs {
  cwd: string;
  env: Env;
  homeDir: string;
  /** When this process started (ms since the epoch): the budget counts from here. */
  startedAtMs: number;
  /** The docker CLI that ran the hook, when known (read from /proc by default). */
  invoking: InvokingProcess | undefined;
  now: () => number;
  /** The user's terminal width, when known. */
  columns?: number;
}

export function defaultHookInputs(): HookInputs {
  const { env, homeDir } = processInputs();
  const columns = terminalColumns();
  return {
    cwd: process.cwd(),
    env,
    homeDir,
    startedAtMs: performance.timeOrigin,
    invoking: readInvokingProcess(),
    now: Date.now,
    ...(columns ? { columns } : {}),
  };
}

/**
 * The width of the user's terminal: the docker CLI captures our stdout and
 * stderr, so ask the controlling terminal (hooks only run when docker's
 * output is one).
 */
function terminalColumns(): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync('/dev/tty', 'r');
    if (!isatty(fd)) {
      closeSync(fd);
      return undefined;
    }
    const stream = new WriteStream(fd); // owns fd from here on
    fd = undefined;
    const columns = stream.columns;
    stream.destroy();
    return columns > 0 ? columns : undefined;
  } catch {
    if (fd !== undefined) closeSync(fd);
    return undefined;
  }
}

/**
 * The text to print on stdout for `docker-cli-plugin-hooks REQUEST`: a
 * response JSON, or '' for no answer. Never rejects.
 */
export async function answerBuildHook(args: readonly string[], global: GlobalOptions, inputs: HookInputs = defaultHookInputs()): Promise<string> {
  try {
    const lines = await hookLines(parseHookRequest(args[0]), global, inputs);
    return hookAnswer(lines);
  } catch {
    return ''; // the build's output stands on its own
  }
}

/** The boundary: whatever a line holds, no control character reaches the terminal and no `{{` the template. */
export function hookAnswer(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${hookResponse(lines.map((line) => escapeTemplate(printable(line.replace(/[\r\n]+/g, ' ')))))}\n`;
}

/** Why the hook says nothing, or what it says (unescaped lines). */
async function hookLines(request: HookRequest | undefined, fallbackGlobal: GlobalOptions, inputs: HookInputs): Promise<string[]> {
  if (!request || request.commandError !== '' || !isBuildCommand(request.rootCmd)) return [];
  const flags = request.flags;
  // -q: the user asked for quiet; --check/--call/--print (buildx): no image is built.
  if (flags.quiet === 'true' || 'check' in flags || 'call' in flags || 'print' in flags) return [];

  let settings: CheckSettings;
  try {
    settings = checkSettings({}, inputs.cwd, inputs.env as NodeJS.ProcessEnv);
  } catch (err) {
    return [notChecked(err)];
  }
  const budgetMs = (settings.config.hook?.budgetSeconds ?? DEFAULT_BUDGET_SECONDS) * 1000;
  const deadline = inputs.startedAtMs + budgetMs - ANSWER_MARGIN_MS;
  const showClean = settings.config.hook?.showClean === true;

  const invocation = inputs.invoking ? parseBuildInvocation(inputs.invoking.argv) : undefined;
  const global = invocation?.global ?? fallbackGlobal;
  const now = inputs.now();
  const sinceMs = inputs.invoking?.startedAtMs !== undefined && invocation ? inputs.invoking.startedAtMs - START_SLACK_MS : now - LOOKBACK_MS;

  const state: { image?: BuiltImage } = {};
  const work = (async (): Promise<string[]> => {
    const connection = connectDaemon(global, Math.max(1, deadline - inputs.now()));
    const image = await findBuiltImage(connection.context, {
      sinceMs,
      untilMs: now,
      ...(invocation ? { tags: invocation.tags } : {}),
      trustTags: invocation ? trustsTags(invocation) : true,
    });
    if (!image) return [];
    state.image = image;
    const dockerfile = buildDockerfile(invocation, request, global, sinceMs, inputs);
    const chosen = dockerfile ? { dockerfile } : {};
    // A build that changed nothing, checked before: its stored result, without loading a rule (as `check` does).
    const results = resultCache(settings);
    const tried = results ? await firstTry(connection.context, image.id, { ...settings, ...chosen, cache: results }).catch(() => undefined) : undefined;
    let result: ImageResult | 'timeout' | 'failed';
    let options: CheckOptions | undefined;
    if (tried?.result) result = tried.result;
    else {
      const setup = withRules(settings, (await import('../policies/rules/index.js')).allRules);
      try {
        // Vulnerabilities on in the configuration: the hook matches them too, when a database is there.
        await (await import('./vuln-setup.js')).attachAdvisories(setup);
      } catch (err) {
        return [notChecked(err)];
      }
      options = { ...setup.options, ...chosen };
      result = await checkWithin(connection.context, image.id, options, deadline, inputs.now, tried);
    }
    if (result === 'timeout') return timedOut(image, budgetMs);
    if (result === 'failed') return []; // the daemon went away, the image too: nothing useful to say
    const note = result.layersSkipped && options && needsLayers(options.rules, options) ? `files not read within ${budgetMs / 1000} s` : undefined;
    // The CLI indents each line by 4.
    const width = Math.max(60, Math.min(inputs.columns ?? 100, 140) - 4);
    return hookSummaryLines(result, nameOf(image), { command: COMMAND, showClean, width, ...(note ? { note } : {}) });
  })();
  work.catch(() => {});
  const answer = await Promise.race([work, sleepUntil(deadline, inputs.now).then(() => undefined)]);
  if (answer !== undefined) return answer;
  return state.image ? timedOut(state.image, budgetMs) : [];
}

/** `build`, `image build`, `buildx build` (`buildx b`), `compose build`, `buildx bake`…: commands that make images. */
export function isBuildCommand(rootCmd: string): boolean {
  const words = rootCmd.trim().split(/\s+/);
  const last = words[words.length - 1];
  return last === 'build' || last === 'bake' || (last === 'b' && words[0] === 'buildx');
}

/** A broken policy file, or advisories that cannot be read: one line, briefly (the build itself is done). */
function notChecked(err: unknown): string {
  return `Security policy: not checked: ${oneLine(err instanceof Error ? err.message : String(err))}`;
}

function timedOut(image: BuiltImage, budgetMs: number): string[] {
  const name = nameOf(image);
  return [`Security policy: ${oneLine(name)} not checked within ${budgetMs / 1000} s; run: ${COMMAND} check ${shellWord(oneLine(name))}`];
}

function nameOf(image: BuiltImage): string {
  return image.name ?? shortId(image.id);
}

/**
 * A tag the command named is the build's image even without a tag event,
 * unless the build may have left its result outside the daemon: `buildx
 * build` without --load (a container builder keeps it), or an --output /
 * --push without a load.
 */
function trustsTags(invocation: BuildInvocation): boolean {
  if (invocation.exportsElsewhere) return false;
  return !invocation.command.startsWith('buildx') || invocation.loads;
}

/**
 * The full check (layers read) when it finishes in time, else the check of
 * config and history alone, started alongside it. `timeout` when neither is
 * done by the deadline, `failed` when both failed.
 */
async function checkWithin(
  ctx: Parameters<typeof checkDaemonImage>[0],
  id: string,
  options: CheckOptions,
  deadline: number,
  now: () => number,
  tried?: FirstTry,
): Promise<ImageResult | 'timeout' | 'failed'> {
  const settle = (p: Promise<ImageResult>): Promise<ImageResult | 'failed'> => p.catch(() => 'failed' as const);
  const timer = sleepUntil(deadline, now).then(() => 'timeout' as const);
  const full = settle(checkDaemonImage(ctx, id, options, tried));
  if (!needsLayers(options.rules, options)) return Promise.race([full, timer]);
  // The image list the first try asked serves this check's base-image scan too.
  const quick = settle(checkDaemonImage(ctx, id, { ...options, noLayers: true, ...(tried?.outlines ? { outlines: tried.outlines } : {}) }));
  const first = await Promise.race([full, timer]);
  if (first !== 'failed' && first !== 'timeout') return first;
  // The export did not finish in time (or failed): the config-only result, if it is there by then.
  const second = await Promise.race([quick, timer]);
  return second === 'failed' && first === 'timeout' ? 'timeout' : second;
}

/**
 * The Dockerfile of the build, in order of trust: buildx's record of this
 * build, the -f / context of the command line, ./Dockerfile when nothing
 * says otherwise. Undefined when it is not a local file or cannot be read.
 */
function buildDockerfile(
  invocation: BuildInvocation | undefined,
  request: HookRequest,
  global: GlobalOptions,
  sinceMs: number,
  inputs: HookInputs,
): KnownDockerfile | undefined {
  const configDir = resolveConfigDir(global, { env: inputs.env, homeDir: inputs.homeDir });
  const record = latestBuildxRecord(buildxDir(configDir, inputs.env), sinceMs);
  let path: string | undefined;
  if (record) path = recordDockerfile(record);
  else if (invocation) path = commandLineDockerfile(invocation, inputs.cwd);
  else if ('file' in request.flags) return undefined; // -f with an unknown value: ./Dockerfile is likely not it
  if (record || invocation) {
    if (path === undefined) return undefined;
    try {
      return dockerfileSource(displayPath(path, inputs.cwd), inputs.cwd, invocation?.target);
    } catch {
      return undefined;
    }
  }
  return dockerfileSource(undefined, inputs.cwd);
}

/** The -f file, else the context directory (which dockerfileSource looks into); absolute. */
export function commandLineDockerfile(invocation: Pick<BuildInvocation, 'file' | 'context'>, cwd: string): string | undefined {
  if (invocation.file !== undefined) return invocation.file === '-' ? undefined : resolve(cwd, invocation.file);
  const context = invocation.context;
  if (context === undefined || context === '-' || isRemote(context)) return undefined;
  return resolve(cwd, context);
}

function isRemote(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@') || context.startsWith('github.com/');
}

/** Relative to the working directory when inside it (`Dockerfile`, `app/Dockerfile`), else absolute. */
function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function sleepUntil(deadline: number, now: () => number): Promise<void> {
  // Not unref'd: it is what ends the wait when the daemon hangs.
  return new Promise((done) => setTimeout(done, Math.max(0, deadline - now())));
}
