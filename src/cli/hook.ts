// `hook install`, `hook uninstall`, `hook status`: the post-build hook's
// entries in the docker CLI's config.json. Install sets
// `plugins.<name>.hooks` (the commands after which the CLI calls us) and
// `features.hooks: "true"` (hooks are off by default); uninstall removes
// exactly that, and puts `features.hooks` back as it was before install
// changed it (unless it was changed since). Every other key is kept
// (plugin/docker-config-file.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { GlobalOptions } from '../plugin/argv.js';
import { parseBool } from '../plugin/argv.js';
import { resolveConfigDir } from '../plugin/config-dir.js';
import { processInputs, envValue, type Env } from '../plugin/environment.js';
import {
  DockerConfigFileError,
  configFilePath,
  editDockerConfig,
  keyFor,
  readDockerConfig,
  type JsonObject,
  type JsonValue,
} from '../plugin/docker-config-file.js';
import { COMMAND, HOOK_COMMANDS, PLUGIN_EXECUTABLE, PLUGIN_NAME } from '../plugin/metadata.js';
import { UsageError } from './usage-error.js';

/**
 * Under `plugins.<name>`: what `features.hooks` was before install set it
 * (`unset` when it was absent), so that uninstall can put it back. The
 * docker CLI reads plugin settings as strings and ignores keys it does not
 * know.
 */
export const FEATURE_MARKER = 'features.hooks-before-install';
const UNSET = 'unset';

export const DEFAULT_HOOK_COMMANDS = HOOK_COMMANDS.join(',');

export interface HookArgs {
  action: 'install' | 'uninstall' | 'status';
  commands?: string;
}

export function hookCommand(yargs: Argv, run: (args: HookArgs) => void): Argv {
  return yargs
    .command(
      'install',
      'make `docker build` end with a security summary',
      (y) =>
        y.option('commands', {
          type: 'string',
          describe: `comma-separated docker commands to run after [default: ${DEFAULT_HOOK_COMMANDS}]`,
        }),
      (args) => run({ action: 'install', ...(args.commands !== undefined ? { commands: args.commands } : {}) }),
    )
    .command('uninstall', 'remove the hook from config.json, and nothing else', {}, () => run({ action: 'uninstall' }))
    .command('status', 'say whether the hook is installed and enabled', {}, () => run({ action: 'status' }))
    .demandCommand(1, 'name one: install, uninstall or status');
}

export function runHook(args: HookArgs, global: GlobalOptions, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  const inputs = processInputs();
  const configDir = resolveConfigDir(global, inputs);
  switch (args.action) {
    case 'install': {
      const commands = args.commands === undefined ? undefined : normaliseCommands(args.commands);
      let installed: InstallResult = { changed: false, commands: '', turnedOn: false };
      let others: string[] = [];
      const result = editDockerConfig(configDir, (content) => {
        installed = installHookKeys(content, PLUGIN_NAME, commands);
        others = pluginsWithHooks(content, PLUGIN_NAME);
        return installed.changed;
      });
      out(
        result.changed
          ? `Installed the post-build hook in ${result.path} (after: ${installed.commands}).`
          : `The post-build hook is already installed in ${result.path} (after: ${installed.commands}).`,
      );
      if (result.backup) out(`The previous file is kept as ${result.backup}.`);
      if (installed.turnedOn && others.length > 0) out(`Hooks were off: turning them on (features.hooks) also runs the hooks of ${others.join(', ')}.`);
      if (!pluginInstalled(configDir)) out(`Note: no ${PLUGIN_EXECUTABLE} in ${join(configDir, 'cli-plugins')} or the system plugin directories: the docker CLI calls the hook only once the plugin is installed (./install.sh).`);
      const override = envOverride(inputs.env);
      if (override === false) out(`Note: DOCKER_CLI_HOOKS/DOCKER_CLI_HINTS in your environment turn hooks off; unset it to see the summary.`);
      out(`\`docker build\` in a terminal now ends with a short security summary (docker CLI 26.1 or newer); remove it with \`${COMMAND} hook uninstall\`.`);
      return 0;
    }
    case 'uninstall': {
      let removed: UninstallResult = { changed: false, turnedOff: false };
      let others: string[] = [];
      const result = editDockerConfig(configDir, (content) => {
        removed = uninstallHookKeys(content, PLUGIN_NAME);
        others = pluginsWithHooks(content, PLUGIN_NAME);
        return removed.changed;
      });
      out(result.changed ? `Removed the post-build hook from ${result.path}.` : `No post-build hook to remove in ${result.path}.`);
      if (result.backup) out(`The previous file is kept as ${result.backup}.`);
      if (removed.turnedOff && others.length > 0) {
        out(`features.hooks is back to what it was before install, so the hooks of ${others.join(', ')} do not run; set "features": {"hooks": "true"} to keep them.`);
      }
      return 0;
    }
    case 'status': {
      const doc = readDockerConfig(configDir);
      const status = hookStatus(doc.content, PLUGIN_NAME, inputs.env);
      if (status.commands === undefined) {
        out(`not installed (${configFilePath(configDir)}); \`${COMMAND} hook install\` installs it`);
        return 0;
      }
      out(`installed in ${doc.path}, after: ${status.commands}`);
      if (!pluginInstalled(configDir)) out(`but no ${PLUGIN_EXECUTABLE} is installed where the docker CLI looks for plugins (./install.sh installs it)`);
      out(status.enabled ? `hooks are enabled (${status.enabledBy})` : `hooks are disabled (${status.enabledBy}): the docker CLI will not call it`);
      return 0;
    }
  }
}

// Where the docker CLI looks for plugins on Linux (cli-plugins/manager manager_unix.go), after <config dir>/cli-plugins.
const SYSTEM_PLUGIN_DIRS = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];

function pluginInstalled(configDir: string): boolean {
  let extra: string[] = [];
  try {
    const content = readDockerConfig(configDir).content;
    const dirs = content[keyFor(content, 'cliPluginsExtraDirs') ?? 'cliPluginsExtraDirs'];
    if (Array.isArray(dirs)) extra = dirs.filter((d): d is string => typeof d === 'string');
  } catch {
    // an unreadable config.json has been reported already
  }
  return [join(configDir, 'cli-plugins'), ...extra, ...SYSTEM_PLUGIN_DIRS].some((dir) => existsSync(join(dir, PLUGIN_EXECUTABLE)));
}

/** `build, buildx  build,,` → `build,buildx build` (the CLI neither trims nor skips empty entries). */
export function normaliseCommands(text: string): string {
  const entries = text
    .split(',')
    .map((e) => e.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  if (entries.length === 0) throw new UsageError('--commands needs at least one docker command, e.g. build,buildx build');
  return [...new Set(entries)].join(',');
}

export interface InstallResult {
  changed: boolean;
  /** The commands the hook runs after, as now configured. */
  commands: string;
  /** features.hooks was off (or unset) and is now "true". */
  turnedOn: boolean;
}

export interface UninstallResult {
  changed: boolean;
  /** features.hooks went back from "true" to off (or unset). */
  turnedOff: boolean;
}

/**
 * Adds our keys to a parsed config.json. An existing hook list is kept
 * unless `commands` is given (the user may have edited it).
 */
export function installHookKeys(content: JsonObject, plugin: string, commands?: string): InstallResult {
  const features = objectAt(content, 'features');
  const plugins = objectAt(content, 'plugins');
  const entry = ensureObject(plugins.object, plugin, `plugins.${plugin}`);
  let changed = features.created || plugins.created || entry.created;
  const current = entry.object.hooks;
  const wanted = commands ?? (typeof current === 'string' && current !== '' ? current : DEFAULT_HOOK_COMMANDS);
  if (current !== wanted) {
    entry.object.hooks = wanted;
    changed = true;
  }
  const flag = features.object.hooks;
  const turnedOn = !(typeof flag === 'string' && parseBool(flag) === true);
  if (turnedOn) {
    if (!(FEATURE_MARKER in entry.object)) entry.object[FEATURE_MARKER] = typeof flag === 'string' ? flag : UNSET;
    features.object.hooks = 'true';
    changed = true;
  }
  return { changed, commands: wanted, turnedOn };
}

/** Removes our keys, and puts features.hooks back when install turned it on and it is still "true". */
export function uninstallHookKeys(content: JsonObject, plugin: string): UninstallResult {
  const unchanged = { changed: false, turnedOff: false };
  const pluginsKey = keyFor(content, 'plugins');
  const plugins = pluginsKey === undefined ? undefined : content[pluginsKey];
  if (pluginsKey === undefined || !isObject(plugins)) return unchanged;
  const entry = plugins[plugin];
  if (!isObject(entry)) return unchanged;
  const before = entry[FEATURE_MARKER];
  if (!('hooks' in entry) && before === undefined) return unchanged;
  delete entry.hooks;
  delete entry[FEATURE_MARKER];
  if (Object.keys(entry).length === 0) delete plugins[plugin];
  if (Object.keys(plugins).length === 0) delete content[pluginsKey];

  const featuresKey = keyFor(content, 'features');
  const features = featuresKey === undefined ? undefined : content[featuresKey];
  let turnedOff = false;
  if (featuresKey !== undefined && typeof before === 'string' && isObject(features) && features.hooks === 'true') {
    if (before === UNSET) delete features.hooks;
    else features.hooks = before;
    turnedOff = true;
    if (Object.keys(features).length === 0) delete content[featuresKey];
  }
  return { changed: true, turnedOff };
}

export interface HookStatus {
  /** Our hook list, when installed. */
  commands?: string;
  enabled: boolean;
  /** What decides `enabled`: the environment variable or config.json. */
  enabledBy: string;
}

/** As the docker CLI decides it (cli/command/cli.go HooksEnabled). */
export function hookStatus(content: JsonObject, plugin: string, env: Env): HookStatus {
  const plugins = content[keyFor(content, 'plugins') ?? 'plugins'];
  const entry = isObject(plugins) ? plugins[plugin] : undefined;
  const hooks = isObject(entry) && typeof entry.hooks === 'string' && entry.hooks !== '' ? entry.hooks : undefined;
  const override = envOverride(env);
  let enabled: boolean;
  let enabledBy: string;
  if (override !== undefined) {
    enabled = override;
    enabledBy = envValue(env, 'DOCKER_CLI_HOOKS') !== undefined ? 'DOCKER_CLI_HOOKS' : 'DOCKER_CLI_HINTS';
  } else {
    const features = content[keyFor(content, 'features') ?? 'features'];
    const flag = isObject(features) ? features.hooks : undefined;
    enabled = typeof flag === 'string' && parseBool(flag) === true;
    enabledBy = flag === undefined ? 'features.hooks is not set' : `features.hooks is "${String(flag)}"`;
  }
  return hooks === undefined ? { enabled, enabledBy } : { commands: hooks, enabled, enabledBy };
}

/** DOCKER_CLI_HOOKS, else the older DOCKER_CLI_HINTS, when set: they win over config.json (an unparsable value means off). */
function envOverride(env: Env): boolean | undefined {
  const value = envValue(env, 'DOCKER_CLI_HOOKS') ?? envValue(env, 'DOCKER_CLI_HINTS');
  return value === undefined ? undefined : parseBool(value) === true;
}

/** Other plugins with a hook list (`hooks`, or `error-hooks` of newer CLIs). */
export function pluginsWithHooks(content: JsonObject, plugin: string): string[] {
  const plugins = content[keyFor(content, 'plugins') ?? 'plugins'];
  if (!isObject(plugins)) return [];
  return Object.entries(plugins)
    .filter(([name, cfg]) => name !== plugin && isObject(cfg) && ['hooks', 'error-hooks'].some((k) => typeof cfg[k] === 'string' && cfg[k] !== ''))
    .map(([name]) => name);
}

function objectAt(content: JsonObject, name: string): { object: JsonObject; created: boolean } {
  return ensureObject(content, keyFor(content, name) ?? name, name);
}

function ensureObject(parent: JsonObject, key: string, what: string): { object: JsonObject; created: boolean } {
  const value = parent[key];
  if (value === undefined || value === null) {
    const object: JsonObject = {};
    parent[key] = object;
    return { object, created: true };
  }
  if (!isObject(value)) throw new DockerConfigFileError(`config.json: "${what}" is not an object; fix it by hand, then run this again (the file was not changed)`);
  return { object: value, created: false };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
