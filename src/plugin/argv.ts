// Splitting the command line as the docker CLI hands it over.
//
// `docker [GLOBAL OPTIONS] security-policy ARGS…` execs the plugin with the
// docker CLI's own argv minus argv[0] (cli-plugins/manager PluginRunCommand),
// so the plugin sees the global options, then its name, then its arguments.
// Like docker's own plugin library (cli/cobra.go HandleGlobalFlags), global
// options count only before the plugin name; after it, `--config FILE`
// belongs to our command. The docker CLI has already validated everything
// before the name, so the flag grammar here is pflag's, limited to docker's
// root flags. Anything that does not fit that shape is standalone use
// (`docker-security-policy check img`), and then every argument is ours.
import { envValue, type Env } from './environment.js';
import { HOOK_SUBCOMMAND, METADATA_SUBCOMMAND, ORIGINAL_CLI_COMMAND_ENV, PLUGIN_NAME } from './metadata.js';

/** The docker CLI's global options (cli/flags/options.go), as given. */
export interface GlobalOptions {
  /** Every -H/--host in order. More than one is rejected at endpoint resolution. */
  hosts: string[];
  context?: string;
  configDir?: string;
  debug: boolean;
  logLevel?: string;
  /** undefined: not given (then DOCKER_TLS decides); `--tls=false` is false. */
  tls?: boolean;
  /** undefined: not given (then DOCKER_TLS_VERIFY decides). Given at all, even false, it turns TLS on. */
  tlsVerify?: boolean;
  tlsCaCert?: string;
  tlsCert?: string;
  tlsKey?: string;
}

export interface SplitArgv {
  /**
   * `metadata`: the docker CLI's `docker-cli-plugin-metadata` query (print the
   * metadata JSON, nothing else). `hooks`: the docker CLI's
   * `docker-cli-plugin-hooks REQUEST` call after a command our hook entry
   * names (`rest` holds what follows the subcommand: the request JSON).
   * `command`: everything else.
   */
  kind: 'metadata' | 'hooks' | 'command';
  global: GlobalOptions;
  /** Our own command line: what follows the plugin name (or everything, standalone). */
  rest: string[];
  /** True when the arguments had the shape docker gives a plugin (the name was found). */
  viaDocker: boolean;
  /**
   * DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND: the docker CLI's argv[0], set when
   * docker runs a plugin, so the plugin can re-run the same CLI.
   */
  dockerCliCommand?: string;
}

export interface SplitOptions {
  env?: Env;
  /** Defaults to PLUGIN_NAME. */
  pluginName?: string;
}

export function emptyGlobalOptions(): GlobalOptions {
  return { hosts: [], debug: false };
}

export function splitArgv(argv: readonly string[], options: SplitOptions = {}): SplitArgv {
  const pluginName = options.pluginName ?? PLUGIN_NAME;
  const dockerCliCommand = options.env ? envValue(options.env, ORIGINAL_CLI_COMMAND_ENV) : undefined;
  const base = dockerCliCommand === undefined ? {} : { dockerCliCommand };

  if (argv[0] === METADATA_SUBCOMMAND) {
    return { kind: 'metadata', global: emptyGlobalOptions(), rest: argv.slice(1), viaDocker: true, ...base };
  }

  const globals = scanGlobalOptions(argv);
  if (globals !== undefined) {
    let next = globals.next;
    let help = globals.help;
    // `docker help NAME …` runs the plugin with `help NAME …` (cmd/docker setHelpFunc).
    if (argv[next] === 'help' && argv[next + 1] === pluginName) {
      help = true;
      next += 1;
    }
    if (argv[next] === pluginName) {
      const rest = argv.slice(next + 1);
      // The docker CLI runs a hook as `docker-NAME NAME docker-cli-plugin-hooks JSON` (cli-plugins/manager Plugin.RunHook).
      if (rest[0] === HOOK_SUBCOMMAND && !help) {
        return { kind: 'hooks', global: globals.global, rest: rest.slice(1), viaDocker: true, ...base };
      }
      return {
        kind: 'command',
        global: globals.global,
        rest: help ? [...rest, '--help'] : rest,
        viaDocker: true,
        ...base,
      };
    }
  }
  if (argv[0] === HOOK_SUBCOMMAND) {
    return { kind: 'hooks', global: emptyGlobalOptions(), rest: argv.slice(1), viaDocker: false, ...base };
  }
  return { kind: 'command', global: emptyGlobalOptions(), rest: [...argv], viaDocker: false, ...base };
}

/**
 * A docker CLI command line (without argv[0]) split into the global options
 * and the command that follows them (`build -t app .`); undefined when the
 * leading options do not parse as docker's. The build hook reads the command
 * line of the docker CLI that ran it with this, since the CLI passes neither
 * its global options nor flag values to a hook.
 */
export function splitDockerCommandLine(argv: readonly string[]): { global: GlobalOptions; command: string[] } | undefined {
  const scan = scanGlobalOptions(argv);
  if (scan === undefined || scan.help) return undefined;
  return { global: scan.global, command: argv.slice(scan.next) };
}

interface Scan {
  global: GlobalOptions;
  /** Index of the first argument after the global options (and after a `--`). */
  next: number;
  /** `-h`/`--help` among the global options: docker's way to ask for the plugin's help. */
  help: boolean;
}

type FlagName = 'host' | 'context' | 'config' | 'debug' | 'log-level' | 'tls' | 'tlsverify' | 'tlscacert' | 'tlscert' | 'tlskey' | 'help';

const BOOL_FLAGS = new Set<FlagName>(['debug', 'tls', 'tlsverify', 'help']);
const LONG_FLAGS = new Set<string>(['host', 'context', 'config', 'debug', 'log-level', 'tls', 'tlsverify', 'tlscacert', 'tlscert', 'tlskey', 'help']);
const SHORT_FLAGS: Readonly<Record<string, FlagName>> = { H: 'host', c: 'context', D: 'debug', l: 'log-level', h: 'help' };

/** Leading global options, or undefined when the arguments do not parse as docker's. */
function scanGlobalOptions(argv: readonly string[]): Scan | undefined {
  const scan: Scan = { global: emptyGlobalOptions(), next: 0, help: false };
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--') return { ...scan, next: i + 1 }; // pflag: ends the flags
    if (!arg.startsWith('-') || arg === '-') break; // first positional
    const after = arg.startsWith('--') ? parseLong(argv, i, scan) : parseShortGroup(argv, i, scan);
    if (after === undefined) return undefined;
    i = after;
  }
  return { ...scan, next: i };
}

/** `--name`, `--name=value`, `--name value`. Returns the next index. */
function parseLong(argv: readonly string[], i: number, scan: Scan): number | undefined {
  const body = argv[i]!.slice(2);
  const eq = body.indexOf('=');
  const name = eq === -1 ? body : body.slice(0, eq);
  if (!LONG_FLAGS.has(name)) return undefined;
  const flag = name as FlagName;
  if (eq !== -1) return apply(scan, flag, body.slice(eq + 1)) ? i + 1 : undefined;
  if (BOOL_FLAGS.has(flag)) return apply(scan, flag, 'true') ? i + 1 : undefined;
  if (i + 1 >= argv.length) return undefined;
  return apply(scan, flag, argv[i + 1]!) ? i + 2 : undefined;
}

/**
 * pflag shorthand groups: `-D`, `-H tcp://x`, `-Htcp://x`, `-H=tcp://x`,
 * `-DH tcp://x`, `-D=false`. A value-taking letter takes the rest of the
 * group, or the next argument when it ends the group.
 */
function parseShortGroup(argv: readonly string[], i: number, scan: Scan): number | undefined {
  let letters = argv[i]!.slice(1);
  while (letters.length > 0) {
    const flag = SHORT_FLAGS[letters[0]!];
    if (flag === undefined) return undefined;
    if (letters.length > 2 && letters[1] === '=') return apply(scan, flag, letters.slice(2)) ? i + 1 : undefined;
    if (BOOL_FLAGS.has(flag)) {
      if (!apply(scan, flag, 'true')) return undefined;
      letters = letters.slice(1);
      continue;
    }
    if (letters.length > 1) return apply(scan, flag, letters.slice(1)) ? i + 1 : undefined;
    if (i + 1 >= argv.length) return undefined;
    return apply(scan, flag, argv[i + 1]!) ? i + 2 : undefined;
  }
  return i + 1;
}

/** Records one flag; false when a boolean value does not parse. */
function apply(scan: Scan, flag: FlagName, value: string): boolean {
  const g = scan.global;
  switch (flag) {
    case 'host':
      g.hosts.push(value);
      return true;
    case 'context':
      g.context = value;
      return true;
    case 'config':
      g.configDir = value;
      return true;
    case 'log-level':
      g.logLevel = value;
      return true;
    case 'tlscacert':
      g.tlsCaCert = value;
      return true;
    case 'tlscert':
      g.tlsCert = value;
      return true;
    case 'tlskey':
      g.tlsKey = value;
      return true;
    case 'debug':
    case 'tls':
    case 'tlsverify':
    case 'help': {
      const b = parseBool(value);
      if (b === undefined) return false;
      if (flag === 'debug') g.debug = b;
      else if (flag === 'tls') g.tls = b;
      else if (flag === 'tlsverify') g.tlsVerify = b;
      else scan.help = b;
      return true;
    }
  }
}

/** Go's strconv.ParseBool, which pflag uses for boolean flags. */
export function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}
