// `check IMAGE…` and `check --archive FILE`: wires daemon → image → policies
// → report, prints, and returns the exit code.
import { COMMAND } from '../plugin/metadata.js';
import type { Argv } from 'yargs';
import { checkSettings, enabledImagePolicies, policyOptions, resultCache, withRules } from './check-settings.js';
import type { Severity } from '../policies/rule.js';
import { printable, printableLine } from '../report/terminal-text.js';
import { toolVersion } from '../version.js';
import type { ImageResult } from './check-image.js';
import { dockerfileSource } from './dockerfile-source.js';
import { connectDaemon, DEFAULT_TIMEOUT_S, type Connection } from './daemon-context.js';
import { askEarly, askListing, imageAskedAhead, listingAskedAhead, type EarlyAnswers } from './daemon-answers.js';
import { startProgress, terminalWidth, useColor } from './output.js';
import { UsageError } from './usage-error.js';
import { firstTry, type FirstTry, type RememberOptions } from './remembered-result.js';
import type { LocalImageSummary } from '../daemon/inspect.js';
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
  quick?: boolean;
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
    .option('quick', {
      type: 'boolean',
      default: false,
      describe: "read the filesystem of a container made from the image (never started) instead of its layers: about half the time, but a file's layer is named only where the layer cache knows the layers below it, and files a later layer deleted are not seen",
    })
    .option('timeout', { type: 'number', default: DEFAULT_TIMEOUT_S, describe: 'seconds of daemon silence before giving up' })
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces on errors' }) as unknown as Argv<CheckArgs>;
}

export async function runCheck(args: CheckArgs, global: GlobalOptions): Promise<number> {
  const images = args.images ?? [];
  if (images.length === 0 && !args.archive) throw new UsageError('check needs at least one image (or --archive FILE); see `docker images`');
  if (!Number.isFinite(args.timeout) || args.timeout < 0) throw new UsageError('--timeout takes a number of seconds (0 = no limit)');
  if (args.quick && args.archive) throw new UsageError('--quick reads a container made from a daemon image; an --archive file has its layers to read');
  if (args.quick && args.layers === false) throw new UsageError('--quick reads the image\'s filesystem and --no-layers reads none of it: give one of them');
  const connection: Connection | undefined = images.length > 0 ? connectDaemon(global, args.timeout * 1000) : undefined;
  // Each image's inspect and history, and the image list, asked first: the daemon answers while the settings and rules load.
  const early = connection && !args.archive ? askEveryImage(connection, images, args.baseImage === undefined) : undefined;
  const settings = checkSettings({ ...args, imagePoliciesOnly: true });
  const dockerfile = dockerfileSource(args.dockerfile, process.cwd(), args.target);
  const chosen = { ...(args.baseImage ? { baseImage: args.baseImage } : {}), ...(dockerfile ? { dockerfile } : {}), ...(args.quick ? { quick: true } : {}) };

  const trying = connection && early ? firstTries(connection, images, settings, chosen, early) : undefined;
  // Every image checked before with the same settings: the stored results, without loading a rule.
  if (trying && resultCache(settings)) {
    const tried = await trying;
    const stored = tried.map((t) => (t instanceof Error ? undefined : t.result));
    if (stored.every((r) => r !== undefined)) return report(stored as ImageResult[], args, settings);
  }

  // The rules this run needs, the image reader and the advisories are loaded only now (start-up time: see main.ts).
  const [rules, { checkDaemonImage }, archiveReader, tries] = await Promise.all([
    import('../policies/rules/load.js').then(({ loadRules }) => loadRules({ layers: !settings.noLayers, enabledPolicies: enabledImagePolicies(settings) })),
    import('./check-image.js'),
    args.archive ? import('./check-archive.js') : undefined,
    trying,
  ]);
  const setup = withRules(settings, rules);
  const options = Object.assign(setup.options, chosen);
  const progress = await startProgress('Checking…');
  const results: ImageResult[] = [];
  try {
    if (setup.vulns.enabled) {
      const { attachAdvisories } = await import('./vuln-setup.js');
      await attachAdvisories(setup, (message) => progress.update(message));
    }
    if (args.archive && archiveReader) {
      options.onProgress = progress.bytes((size) => `Reading ${args.archive}: ${size}`);
      results.push(...(await archiveReader.checkArchiveFile(args.archive, options)));
    }
    if (connection) {
      for (const [i, ref] of images.entries()) {
        options.onProgress = progress.bytes((size) => `Checking ${ref}: ${size} of layers read`);
        progress.update(`Checking ${ref}: waiting for the daemon's export`);
        try {
          const tried = tries?.[i];
          if (tried instanceof Error) throw tried; // asked once already: not asked again (nor waited for twice)
          results.push(await checkDaemonImage(connection.context, ref, options, tried));
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

/**
 * Each image's first try (its stored result, if still valid, and what was
 * asked of the daemon for it), in order; the error where it failed (no such
 * image, say), for the check to report.
 */
async function firstTries(
  connection: Connection,
  images: string[],
  settings: CheckSettings,
  chosen: Pick<RememberOptions, 'baseImage' | 'dockerfile' | 'quick'>,
  early: AskedFirst,
): Promise<Array<FirstTry | Error>> {
  const cache = resultCache(settings);
  const tries: Array<FirstTry | Error> = [];
  for (const [i, ref] of images.entries()) {
    const asked = { ...early.images[i]!, ...(early.listing ? { listing: early.listing } : {}) };
    tries.push(await firstTry(connection.context, ref, { ...settings, ...chosen, cache }, asked).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
  }
  return tries;
}

/** Every image's inspect and history, and the image list the base-image scans share (unless --base-image). */
interface AskedFirst {
  images: EarlyAnswers[];
  listing?: Promise<LocalImageSummary[]>;
}

function askEveryImage(connection: Connection, images: string[], listing: boolean): AskedFirst {
  const ctx = connection.context;
  const asked = images.map((ref) => imageAskedAhead(ctx, ref) ?? askEarly(ctx, ref));
  return listing ? { images: asked, listing: listingAskedAhead(ctx) ?? askListing(ctx) } : { images: asked };
}

async function report(results: ImageResult[], args: CheckArgs, settings: CheckSettings): Promise<number> {
  const { catalog, engine, cache } = settings;
  // Machine formats carry the mismatch in the result; say it on stderr too when the user named the file.
  if (args.format !== 'table') {
    const { dockerfileMismatchLine } = await import('../report/table.js');
    for (const r of results) {
      if (r.dockerfile && !r.dockerfile.matched && !r.dockerfile.auto) process.stderr.write(`${COMMAND}: ${printable(r.image)}: ${dockerfileMismatchLine(r.dockerfile)}\n`);
    }
  }
  // Each format's module is loaded for its run (a remembered table needs none).
  if (args.format === 'json') process.stdout.write((await import('../report/json.js')).renderJson(results, toolVersion()));
  else if (args.format === 'sarif') process.stdout.write((await import('../report/sarif.js')).renderSarif(results, catalog, { version: toolVersion(), failOn: engine.failOn }));
  else {
    const options = { width: terminalWidth(process.stdout), color: useColor(process.stdout) };
    process.stdout.write(cache ? await renderTableRemembered(results, options, cache) : (await import('../report/table.js')).renderTable(results, options));
  }
  return exitCodeOf(results);
}


export function exitCodeOf(results: ImageResult[]): number {
  if (results.some((r) => r.error)) return 2;
  return results.some((r) => !r.passed) ? 1 : 0;
}
