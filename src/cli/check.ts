// `check IMAGE…` and `check --archive FILE`: wires daemon → image → policies
// → report, prints, and returns the exit code.
import { COMMAND } from '../plugin/metadata.js';
import type { Argv } from 'yargs';
import { checkSettings, policyOptions } from './check-settings.js';
import { renderSarif } from '../report/sarif.js';
import type { Severity } from '../policies/rule.js';
import { renderJson } from '../report/json.js';
import { dockerfileMismatchLine, renderTable } from '../report/table.js';
import { printable, printableLine } from '../report/terminal-text.js';
import { toolVersion } from '../version.js';
import type { ImageResult } from './check-image.js';
import { dockerfileSource } from './dockerfile-source.js';
import { connectDaemon, type Connection } from './daemon-context.js';
import { startProgress, terminalWidth, useColor } from './output.js';
import { UsageError } from './usage-error.js';
import { firstTry, type FirstTry, type RememberOptions } from './remembered-result.js';
import { renderTableRemembered } from './table-memo.js';
import type { GlobalOptions } from '../plugin/argv.js';
import type { CheckSettings } from './check-settings.js';

export interface CheckArgs {
  images: string[];
  format: 'table' | 'json' | 'sarif';
  failOn?: Severity;
  config?: string;
  policy?: string | string[];
  skip?: string | string[];
  baseImage?: string;
  dockerfile?: string;
  target?: string;
  archive?: string;
  layers: boolean;
  cache: boolean;
  timeout: number;
  debug: boolean;
  vulns?: boolean;
  vulnDb?: string;
}

export function checkCommand(yargs: Argv): Argv<CheckArgs> {
  return policyOptions(yargs)
    .positional('images', { type: 'string', array: true, describe: 'images by name:tag, ID (short or full) or digest' })
    .option('format', { choices: ['table', 'json', 'sarif'] as const, default: 'table' as const, describe: 'report format' })
    // Not yargs arrays: those would swallow the image names that follow.
    .option('base-image', { type: 'string', describe: 'the image this one was built FROM (sets the own-build boundary)' })
    .option('dockerfile', { type: 'string', describe: 'the Dockerfile the image was built from (boundary and line numbers)' })
    .option('target', { type: 'string', describe: 'the Dockerfile stage the image was built to (docker build --target)' })
    .option('archive', { type: 'string', describe: 'check a `docker save` / OCI archive file instead of the daemon' })
    .option('timeout', { type: 'number', default: 120, describe: 'seconds of daemon silence before giving up' })
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces on errors' }) as unknown as Argv<CheckArgs>;
}

export async function runCheck(args: CheckArgs, global: GlobalOptions): Promise<number> {
  const images = args.images ?? [];
  if (images.length === 0 && !args.archive) throw new UsageError('check needs at least one image (or --archive FILE); see `docker images`');
  if (!Number.isFinite(args.timeout) || args.timeout < 0) throw new UsageError('--timeout takes a number of seconds (0 = no limit)');
  const settings = checkSettings({ ...args, imagePoliciesOnly: true });
  const dockerfile = dockerfileSource(args.dockerfile, process.cwd(), args.target);
  const chosen = { ...(args.baseImage ? { baseImage: args.baseImage } : {}), ...(dockerfile ? { dockerfile } : {}) };
  const connection: Connection | undefined = images.length > 0 ? connectDaemon(global, args.timeout * 1000) : undefined;

  // Every image checked before with the same settings: the stored results, without loading a rule.
  const tries = connection && !args.archive ? await firstTries(connection, images, settings, chosen) : undefined;
  if (tries?.every((t) => t?.result)) return report(tries.map((t) => t!.result!), args, settings);

  // The rules, the image reader and the advisories are loaded only now (start-up time: see main.ts).
  const [{ withRules }, { checkArchiveFile, checkDaemonImage }, { attachAdvisories }] = await Promise.all([
    import('./check-setup.js'),
    import('./check-image.js'),
    import('./vuln-setup.js'),
  ]);
  const setup = withRules(settings);
  const options = Object.assign(setup.options, chosen);
  const progress = await startProgress('Checking…');
  const results: ImageResult[] = [];
  try {
    await attachAdvisories(setup, (message) => progress.update(message));
    if (args.archive) {
      options.onProgress = progress.bytes((size) => `Reading ${args.archive}: ${size}`);
      results.push(...(await checkArchiveFile(args.archive, options)));
    }
    if (connection) {
      for (const [i, ref] of images.entries()) {
        options.onProgress = progress.bytes((size) => `Checking ${ref}: ${size} of layers read`);
        progress.update(`Checking ${ref}: waiting for the daemon's export`);
        try {
          results.push(await checkDaemonImage(connection.context, ref, options, tries?.[i]));
        } catch (err) {
          if (args.debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
          const message = err instanceof Error ? err.message : String(err);
          process.stderr.write(`${COMMAND}: ${printableLine(`${ref}: ${message}`)}\n`);
          results.push({ image: ref, repoTags: [], passed: false, findings: [], suppressed: [], error: message });
        }
      }
    }
  } finally {
    progress.stop();
  }
  return report(results, args, settings);
}

/** Each image's first try (its stored result, if still valid), in order; undefined where it failed, and when results are not stored (no cache, --vulns). */
async function firstTries(
  connection: Connection,
  images: string[],
  settings: CheckSettings,
  chosen: Pick<RememberOptions, 'baseImage' | 'dockerfile'>,
): Promise<Array<FirstTry | undefined> | undefined> {
  const cache = settings.cache;
  if (!cache || settings.vulns.enabled) return undefined;
  const tries: Array<FirstTry | undefined> = [];
  // A failure (no such image, say) is the full check's to report.
  for (const ref of images) tries.push(await firstTry(connection.context, ref, { ...settings, ...chosen, cache }).catch(() => undefined));
  return tries;
}

async function report(results: ImageResult[], args: CheckArgs, settings: CheckSettings): Promise<number> {
  const { catalog, engine, cache } = settings;
  // Machine formats carry the mismatch in the result; say it on stderr too when the user named the file.
  if (args.format !== 'table') {
    for (const r of results) {
      if (r.dockerfile && !r.dockerfile.matched && !r.dockerfile.auto) process.stderr.write(`${COMMAND}: ${printable(r.image)}: ${dockerfileMismatchLine(r.dockerfile)}\n`);
    }
  }
  if (args.format === 'json') process.stdout.write(renderJson(results, toolVersion()));
  else if (args.format === 'sarif') process.stdout.write(renderSarif(results, catalog, { version: toolVersion(), failOn: engine.failOn }));
  else {
    const options = { width: terminalWidth(process.stdout), color: useColor(process.stdout) };
    process.stdout.write(cache ? await renderTableRemembered(results, options, cache) : renderTable(results, options));
  }
  return exitCodeOf(results);
}


export function exitCodeOf(results: ImageResult[]): number {
  if (results.some((r) => r.error)) return 2;
  return results.some((r) => !r.passed) ? 1 : 0;
}
