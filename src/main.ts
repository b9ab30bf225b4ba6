#!/usr/bin/env node
// Entry point: the Docker CLI plugin protocol first (metadata, global options
// before the plugin name), then our commands. The only place that exits.
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { splitArgv, type GlobalOptions } from './plugin/argv.js';
import { COMMAND, metadataJson, PLUGIN_EXECUTABLE, PLUGIN_NAME } from './plugin/metadata.js';
import { toolVersion } from './version.js';
import type { CheckArgs } from './cli/check.js';
import type { WatchArgs } from './cli/watch.js';
import type { AuditArgs } from './cli/audit.js';
import type { SbomArgs } from './cli/sbom.js';
import { PROJECT_FILE } from './config/load.js';
import { SEVERITIES } from './policies/engine.js';
import { POLICY_SCOPES } from './policies/catalog.js';
import type { Severity } from './policies/rule.js';

// A command's module (its options and its work) is loaded only when that
// command runs: loading every command's dependencies took ~0.3 s of each
// start-up, more than the whole budget of a cached re-check (0.25 s).
const COMMAND_MODULES = {
  check: () => import('./cli/check.js'),
  watch: () => import('./cli/watch.js'),
  audit: () => import('./cli/audit.js'),
  sbom: () => import('./cli/sbom.js'),
  db: () => import('./cli/db.js'),
  hook: () => import('./cli/hook.js'),
};
type CommandName = keyof typeof COMMAND_MODULES;
type CommandModules = { [K in CommandName]?: Awaited<ReturnType<(typeof COMMAND_MODULES)[K]>> };

/** The command the arguments name: the first word that is one. */
function commandWordOf(rest: string[]): CommandName | undefined {
  return rest.find((a): a is CommandName => Object.hasOwn(COMMAND_MODULES, a));
}

/** The module of the command, loaded. */
async function commandModuleOf(name: CommandName | undefined): Promise<CommandModules> {
  if (name === undefined) return {};
  return { [name]: await COMMAND_MODULES[name]() } as CommandModules;
}

// yargs's CommonJS build is one file; its ESM entry loads some 30 (start-up time).
// Required in main, after check's questions to the daemon are asked: its ~30 ms of loading overlap the answers.
const loadYargs = (): ((args: string[]) => Argv) => createRequire(import.meta.url)('yargs/yargs') as (args: string[]) => Argv;

async function main(argv: string[]): Promise<number> {
  // Deprecation warnings from dependencies (docker-modem's ssh:// URL) are not the user's: errors stay one line.
  if (!isDebug(undefined)) process.noDeprecation = true;
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new UsageErrorFromYargs(`Node ${process.versions.node} is too old: docker security-policy needs Node 20 or newer`);
  const split = splitArgv(argv, { env: process.env });
  if (split.kind === 'metadata') {
    process.stdout.write(metadataJson(toolVersion()));
    return 0;
  }
  if (split.kind === 'hooks') {
    // The docker CLI's call after a build: an answer or nothing, exit 0 always.
    const { answerBuildHook } = await import('./cli/build-hook.js');
    process.stdout.write(await answerBuildHook(split.rest, split.global));
    return 0;
  }
  const global = split.global;
  const scriptName = split.viaDocker ? `docker ${PLUGIN_NAME}` : PLUGIN_EXECUTABLE;
  let code = 0;
  // What check asks the daemon first, asked before yargs and the command load: the answers are in when they are.
  const command = commandWordOf(split.rest);
  if (command === 'check') (await import('./cli/daemon-answers.js')).askAhead(global, split.rest.slice(split.rest.indexOf(command) + 1));
  // Builders run only for the command given, whose module is loaded here; the others need none.
  const m = await commandModuleOf(command);
  const yargs = loadYargs();
  await yargs(split.rest)
    .scriptName(scriptName)
    .version(toolVersion())
    .strict()
    .command(
      'check [images..]',
      'check images against the container security policies',
      (y) => m.check?.checkCommand(y) ?? y,
      async (args) => {
        code = await m.check!.runCheck(args as unknown as CheckArgs, global);
      },
    )
    .command('policies', 'list the policies, explain one, or write a starter configuration', (y) =>
      y
        .command(
          'init',
          'write a commented starter configuration file',
          (i) =>
            i
              .option('output', { alias: 'o', type: 'string', describe: `file to write (- for stdout) [default: ./${PROJECT_FILE}]` })
              .option('force', { type: 'boolean', default: false, describe: 'replace an existing file' }),
          async (args) => {
            const { runPoliciesInit } = await import('./cli/policies-init.js');
            code = runPoliciesInit({ output: args.output, force: args.force });
          },
        )
        .command(
          '$0 [id]',
          'list the policies as configured, or explain one',
          (l) =>
            l
              .positional('id', { type: 'string', describe: 'a policy ID, e.g. SQ41103' })
              .option('format', { choices: ['table', 'json'] as const, default: 'table' as const })
              .option('fail-on', { choices: SEVERITIES, describe: 'severity threshold [default: high, or failOn in the config]' })
              .option('config', { type: 'string', describe: `policy configuration file [default: ./${PROJECT_FILE}]` })
              .option('scope', { choices: POLICY_SCOPES, describe: 'only image, container or daemon policies' }),
          async (args) => {
            const { runPolicies } = await import('./cli/policies.js');
            code = runPolicies({
              id: args.id,
              format: args.format,
              failOn: args.failOn as Severity | undefined,
              config: args.config,
              ...(args.scope ? { scope: args.scope } : {}),
            });
          },
        ),
    )
    .command(
      'watch',
      'check each new image as the daemon builds, tags, loads or imports it (until Ctrl-C)',
      (y) => m.watch?.watchCommand(y) ?? y,
      async (args) => {
        code = await m.watch!.runWatch(args as unknown as WatchArgs, global);
      },
    )
    .command(
      'audit',
      'audit this machine: every local image, every container and the daemon itself',
      (y) => m.audit?.auditCommand(y) ?? y,
      async (args) => {
        code = await m.audit!.runAudit(args as unknown as AuditArgs, global);
      },
    )
    .command(
      'sbom [images..]',
      'list the packages in an image: a bill of materials (CycloneDX, SPDX or a table)',
      (y) => m.sbom?.sbomCommand(y) ?? y,
      async (args) => {
        code = await m.sbom!.runSbom(args as unknown as SbomArgs, global);
      },
    )
    .command('db', 'the offline vulnerability database (OSV advisories): update, status, import', (y) =>
      m.db
        ? m.db.dbCommand(y, async (call) => {
            const { runDbImport, runDbStatus, runDbUpdate } = m.db!;
            if (call.command === 'update') {
              // Which ecosystems: those of the local images' packages (their inventories, with the layer cache).
              const [{ ecosystemsOfLocalImages }, { connectDaemon }] = await Promise.all([import('./cli/local-ecosystems.js'), import('./cli/daemon-context.js')]);
              const needed = () => ecosystemsOfLocalImages(connectDaemon(global, 120_000).context);
              code = await runDbUpdate(call.args, global, needed);
            } else if (call.command === 'status') code = await runDbStatus(call.args);
            else code = await runDbImport(call.args);
          })
        : y,
    )
    .command('hook', 'install or remove the post-build hook (a summary after `docker build`)', (y) =>
      m.hook
        ? m.hook.hookCommand(y, (args) => {
            code = m.hook!.runHook(args, global);
          })
        : y,
    )
    .demandCommand(1, 'name a command: check, sbom, watch, audit, db, policies or hook')
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, err) => {
      throw err ?? new UsageErrorFromYargs(message);
    })
    .parseAsync();
  return code;
}

class UsageErrorFromYargs extends Error {
  readonly exitCode = 2;
}

function isDebug(global: GlobalOptions | undefined): boolean {
  return global?.debug === true || process.argv.includes('--debug') || process.env.DSP_DEBUG === '1';
}

// Exit once the output is flushed: a request abandoned after a timeout (or an
// export stopped early) must not keep the process alive.
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    const known = typeof (e as { exitCode?: unknown }).exitCode === 'number';
    if (isDebug(undefined)) process.stderr.write(`${e.stack ?? e.message}\n`);
    const hint = known || isDebug(undefined) ? '' : ' (internal error: run with --debug for the stack)';
    process.stderr.write(`${COMMAND}: ${e.message.replace(/\s*\n\s*/g, ' ')}${hint}\n`);
    exitWhenFlushed(2);
  },
);
