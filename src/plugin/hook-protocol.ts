// The docker CLI's plugin-hook protocol (docker/cli cli-plugins/manager
// hooks.go and plugin.go, cli-plugins/hooks): after a command that a
// plugin's `plugins.<name>.hooks` entry in config.json names, with hooks
// enabled (`features.hooks` or DOCKER_CLI_HOOKS) and stdout a terminal, the
// CLI runs `docker-<name> <name> docker-cli-plugin-hooks REQUEST` in the
// user's working directory, with REQUEST the JSON
// `{"RootCmd","Flags","CommandError"}`: the hook entry that matched, the
// flags that were set (names only; values only for the CLI's own boolean
// flags) and the command's error text. It reads the plugin's stdout as
// `{"Type":0,"Template":"…"}`, runs the Template through Go's text/template
// and prints its lines under "What's next:" on stderr. Anything else (no
// output, bad JSON, a non-zero exit, a template that does not parse, more
// than 10 lines on newer CLIs) is skipped silently.
//
// The request carries no flag values and no global options, so this module
// also reads the command line of the docker CLI that ran us (Linux /proc):
// the tags, the Dockerfile, the build context, `-H`/`--context`.
import { readFileSync } from 'node:fs';
import { splitDockerCommandLine, type GlobalOptions } from './argv.js';
import { field } from './config-dir.js';

export interface HookRequest {
  /** The hook entry that matched: `build`, `buildx build`, `image build`… */
  rootCmd: string;
  /** Flag names that were set; values only for the CLI's boolean flags ("true"/"false"). */
  flags: Record<string, string>;
  /** The command's error message; empty when it succeeded. */
  commandError: string;
}

/** The request JSON as the CLI passes it; undefined when it is not one. */
export function parseHookRequest(text: string | undefined): HookRequest | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  // Go's encoding/json, which both sides use, matches keys case-insensitively.
  const rootCmd = field(parsed, 'RootCmd');
  const rawFlags = field(parsed, 'Flags');
  const commandError = field(parsed, 'CommandError');
  if (typeof rootCmd !== 'string') return undefined;
  const flags: Record<string, string> = {};
  if (typeof rawFlags === 'object' && rawFlags !== null && !Array.isArray(rawFlags)) {
    for (const [name, value] of Object.entries(rawFlags as Record<string, unknown>)) flags[name] = typeof value === 'string' ? value : '';
  }
  return { rootCmd, flags, commandError: typeof commandError === 'string' ? commandError : '' };
}

/** `NextSteps`, the only response type (cli-plugins/hooks). */
export const NEXT_STEPS = 0;

/**
 * The answer to print: the lines as one template. The lines must already be
 * escaped for Go's text/template (report/hook-summary.ts escapeTemplate).
 */
export function hookResponse(templateLines: readonly string[]): string {
  return JSON.stringify({ Type: NEXT_STEPS, Template: templateLines.join('\n') });
}

/** The docker CLI process that ran the hook, as far as the system tells. */
export interface InvokingProcess {
  /** Its argv, argv[0] included. */
  argv: string[];
  /** When it started, in ms since the epoch (to about 10 ms, and the boot time's 1 s). */
  startedAtMs?: number;
}

/**
 * Reads the parent process's command line and start time from /proc. The
 * docker CLI runs the hook directly (exec.Command), and install.sh's
 * launcher `exec`s node, so the parent is the CLI. Undefined elsewhere
 * (no /proc, or not readable).
 */
export function readInvokingProcess(pid = process.ppid, procRoot = '/proc'): InvokingProcess | undefined {
  let argv: string[];
  try {
    const raw = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8');
    argv = raw.split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
  } catch {
    return undefined;
  }
  if (argv.length === 0) return undefined;
  const startedAtMs = processStart(pid, procRoot);
  return startedAtMs === undefined ? { argv } : { argv, startedAtMs };
}

// USER_HZ: the unit of /proc/<pid>/stat's start time; 100 on every Linux ABI.
const CLOCK_TICKS_PER_SECOND = 100;

function processStart(pid: number, procRoot: string): number | undefined {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22, starttime
    const btime = /^btime (\d+)$/m.exec(readFileSync(`${procRoot}/stat`, 'utf8'));
    if (!Number.isFinite(ticks) || !btime) return undefined;
    return Number(btime[1]) * 1000 + (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** What a docker build command line says, for finding its image and Dockerfile. */
export interface BuildInvocation {
  /** The docker CLI's global options (the endpoint to ask). */
  global: GlobalOptions;
  /** The command words: `build`, `buildx build`, `image build`, `builder build`. */
  command: string;
  /** `-t`/`--tag` values, as given. */
  tags: string[];
  /** `-f`/`--file`, as given. */
  file?: string;
  /** The build context argument (a directory, a URL, or `-`). */
  context?: string;
  target?: string;
  /** `--load`, or an `--output`/`-o` of type docker: the image goes to the daemon even with a container builder. */
  loads: boolean;
  /** `-o`/`--output` or `--push` without a load: the image may not reach the daemon. */
  exportsElsewhere: boolean;
}

// Boolean flags of `docker build` (cli/command/image/build.go) and `docker
// buildx build` (buildx commands/build.go); every other flag takes a value.
const BOOLEAN_LONG = new Set(['no-cache', 'rm', 'force-rm', 'quiet', 'pull', 'compress', 'squash', 'disable-content-trust', 'load', 'push', 'check', 'debug']);
const SHORT_TO_LONG: Readonly<Record<string, string>> = { t: 'tag', f: 'file', q: 'quiet', m: 'memory', c: 'cpu-shares', o: 'output' };

const BUILD_COMMANDS: readonly string[][] = [['build'], ['image', 'build'], ['builder', 'build'], ['buildx', 'build'], ['buildx', 'b']];

/**
 * Reads a docker CLI argv (argv[0] included) as a build command; undefined
 * when it is not one or does not parse. Only hints come from here: the image
 * is still confirmed by the daemon, and a Dockerfile that does not match the
 * image's history is not used for the boundary.
 */
export function parseBuildInvocation(argv: readonly string[]): BuildInvocation | undefined {
  const split = splitDockerCommandLine(argv.slice(1));
  if (!split) return undefined;
  const words = BUILD_COMMANDS.find((c) => c.every((w, i) => split.command[i] === w));
  if (!words) return undefined;
  const args = split.command.slice(words.length);
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const add = (name: string, value: string): void => {
    values.set(name, [...(values.get(name) ?? []), value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      if (eq !== -1) add(name, arg.slice(eq + 1));
      else if (BOOLEAN_LONG.has(name)) add(name, 'true');
      else if (i + 1 < args.length) add(name, args[++i]!);
      else return undefined;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      // pflag shorthand group: -q, -t app, -tapp, -t=app, -qt app
      let letters = arg.slice(1);
      while (letters.length > 0) {
        const name = SHORT_TO_LONG[letters[0]!];
        if (name === undefined) return undefined;
        if (BOOLEAN_LONG.has(name)) {
          add(name, 'true');
          letters = letters.slice(1);
          continue;
        }
        const inline = letters.slice(1).replace(/^=/, '');
        if (inline !== '') add(name, inline);
        else if (i + 1 < args.length) add(name, args[++i]!);
        else return undefined;
        letters = '';
      }
      continue;
    }
    positionals.push(arg);
  }
  const set = (name: string): boolean => {
    const last = values.get(name)?.at(-1);
    return last !== undefined && last !== 'false' && last !== '0';
  };
  const outputs = values.get('output') ?? [];
  const loads = set('load') || outputs.some((o) => /(^|,)type=docker(,|$)/.test(o));
  const invocation: BuildInvocation = {
    global: split.global,
    command: words.join(' '),
    tags: values.get('tag') ?? [],
    loads,
    exportsElsewhere: !loads && (outputs.length > 0 || set('push')),
  };
  const file = values.get('file')?.at(-1);
  if (file !== undefined) invocation.file = file;
  if (positionals[0] !== undefined) invocation.context = positionals[0];
  const target = values.get('target')?.at(-1);
  if (target !== undefined) invocation.target = target;
  return invocation;
}
