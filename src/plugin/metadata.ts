// What the docker CLI asks every plugin for: `docker-<name>
// docker-cli-plugin-metadata` must print this JSON on stdout (see docker/cli
// cli-plugins/metadata). The CLI refuses a plugin whose SchemaVersion is
// missing or whose Vendor is empty.

/**
 * The name `docker <name>` runs. The docker CLI only accepts plugin names
 * matching ^[a-z][a-z0-9]*$ (cli-plugins/manager isValidPluginName): a
 * hyphenated `security-policy` is listed under "Invalid Plugins" and never
 * run, so the product `docker security-policy` is `docker securitypolicy`.
 * Everything else (argv splitting, install.sh, messages) reads it from here.
 */
export const PLUGIN_NAME = 'securitypolicy';

/** How users type the command, for messages and hints. */
export const COMMAND = `docker ${PLUGIN_NAME}`;

/** The executable's file name in a cli-plugins directory. */
export const PLUGIN_EXECUTABLE = `docker-${PLUGIN_NAME}`;

/** First argument with which the docker CLI queries a candidate plugin. */
export const METADATA_SUBCOMMAND = 'docker-cli-plugin-metadata';

/**
 * First argument with which the docker CLI runs a plugin's hook after a
 * command the plugin's `plugins.<name>.hooks` entry in config.json names
 * (cli-plugins/metadata HookSubcommandName). The second is the request JSON.
 */
export const HOOK_SUBCOMMAND = 'docker-cli-plugin-hooks';

/**
 * The commands our hook runs after, as `plugins.<name>.hooks` lists them: the
 * docker CLI matches each comma-separated entry as a word prefix of the
 * command path (`build` for the classic builder, `buildx build` when `docker
 * build` is forwarded to buildx, and the long forms). No space after commas:
 * the CLI does not trim them.
 */
export const HOOK_COMMANDS = ['build', 'buildx build', 'image build', 'builder build'] as const;

/** Env var the docker CLI sets on the plugin: its own argv[0] ("docker", or a path). */
export const ORIGINAL_CLI_COMMAND_ENV = 'DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND';

export const PLUGIN_URL = 'https://github.com/docker-security-policy/docker-security-policy';

export const SHORT_DESCRIPTION = 'Check images against container security policies';

export interface PluginMetadata {
  SchemaVersion: '0.1.0';
  Vendor: string;
  Version: string;
  ShortDescription: string;
  URL: string;
  /** Hides the plugin from `docker --help` (CLI ≥ 29). */
  Hidden?: boolean;
}

/**
 * The metadata object. `extra` is for fields added later (the CLI ignores
 * unknown ones, so extending is safe).
 */
export function pluginMetadata<E extends object = Record<never, never>>(
  version: string,
  extra?: E,
): PluginMetadata & E {
  return {
    SchemaVersion: '0.1.0',
    Vendor: 'docker security-policy',
    Version: version,
    ShortDescription: SHORT_DESCRIPTION,
    URL: PLUGIN_URL,
    ...(extra ?? ({} as E)),
  };
}

/** The exact text to print for `docker-cli-plugin-metadata`: one JSON line. */
export function metadataJson(version: string): string {
  return `${JSON.stringify(pluginMetadata(version))}\n`;
}
