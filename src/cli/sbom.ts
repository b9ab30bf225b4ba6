// `sbom IMAGE` and `sbom --archive FILE [IMAGE]`: the image's bill of
// materials as CycloneDX 1.6, SPDX 2.3 or a table. The image is read exactly
// as `check` reads it (same streaming export, layer cache, archives, errors),
// with no rules and the package scanners as the only scanners.
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import { layerCacheFromEnv } from '../cache/layer-cache.js';
import type { DaemonContext } from '../daemon/inspect.js';
import type { ImageFacts } from '../image/facts.js';
import type { GlobalOptions } from '../plugin/argv.js';
import { COMMAND } from '../plugin/metadata.js';
import type { Inventory } from '../sbom/component.js';
import type { SbomInput } from '../sbom/formats/input.js';
import { inventoryOf } from '../sbom/inventory.js';
import { PACKAGE_SCANNERS } from '../sbom/scanners/index.js';
import { toolVersion } from '../version.js';
import { checkDaemonImage, type CheckOptions } from './check-image.js';
import { checkArchiveFile } from './check-archive.js';
import { connectDaemon } from './daemon-context.js';
import { localOutlines } from './find-boundary.js';
import { startProgress, terminalWidth, useColor } from './output.js';
import { printableLine } from '../report/terminal-text.js';
import { UsageError } from './usage-error.js';

export const SBOM_FORMATS = ['table', 'cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

export interface SbomArgs {
  images?: string[];
  format: SbomFormat;
  output?: string;
  archive?: string;
  cache: boolean;
  timeout: number;
  debug: boolean;
}

export function sbomCommand(yargs: Argv): Argv<SbomArgs> {
  return yargs
    .positional('images', { type: 'string', array: true, describe: 'the image by name:tag, ID or digest (with --archive: which image of the file)' })
    .option('format', { choices: SBOM_FORMATS, default: 'table' as const, describe: 'cyclonedx (1.6 JSON), spdx (2.3 JSON) or a table' })
    .option('output', { alias: 'o', type: 'string', describe: 'write to this file (replaced atomically) instead of stdout' })
    .option('archive', { type: 'string', describe: 'read a `docker save` / OCI archive file instead of the daemon' })
    .option('cache', { type: 'boolean', default: true, describe: 'reuse per-layer facts cached by diffID (--no-cache: read every layer)' })
    .option('timeout', { type: 'number', default: 120, describe: 'seconds of daemon silence before giving up' })
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces on errors' }) as unknown as Argv<SbomArgs>;
}

export async function runSbom(args: SbomArgs, global: GlobalOptions): Promise<number> {
  const images = args.images ?? [];
  if (images.length > 1) throw new UsageError('sbom takes one image at a time (run it once per image)');
  if (images.length === 0 && !args.archive) throw new UsageError('sbom needs an image (or --archive FILE); see `docker images`');
  if (!Number.isFinite(args.timeout) || args.timeout < 0) throw new UsageError('--timeout takes a number of seconds (0 = no limit)');
  const ref = images[0];
  const options = sbomCheckOptions({ cache: args.cache });

  const progress = await startProgress('Reading…');
  let facts: ImageFacts;
  try {
    if (args.archive) {
      options.onProgress = progress.bytes((size) => `Reading ${args.archive}: ${size}`);
      facts = await factsFromArchive(args.archive, ref, options);
    } else {
      const connection = connectDaemon(global, args.timeout * 1000);
      options.onProgress = progress.bytes((size) => `Reading ${ref}: ${size} of layers read`);
      progress.update(`Reading ${ref}: waiting for the daemon's export`);
      facts = (await inventoryOfImage(connection.context, ref!, options)).facts;
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (args.debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${COMMAND}: ${printableLine(`${ref ?? args.archive}: ${message}`)}\n`);
    return 2;
  } finally {
    progress.stop();
  }

  const input: SbomInput = { facts, inventory: inventoryOf(facts), toolVersion: toolVersion(), created: new Date() };
  const toFile = args.output !== undefined && args.output !== '-';
  // Each format's module is loaded when chosen: CycloneDX's library alone took ~0.15 s to load.
  const text =
    args.format === 'cyclonedx'
      ? (await import('../sbom/formats/cyclonedx.js')).renderCycloneDx(input)
      : args.format === 'spdx'
        ? (await import('../sbom/formats/spdx.js')).renderSpdx(input)
        : (await import('../sbom/formats/table.js')).renderSbomTable(input, toFile ? { width: 120, color: false } : { width: terminalWidth(process.stdout), color: useColor(process.stdout) });
  if (toFile) {
    try {
      await writeAtomically(args.output!, text);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      process.stderr.write(`${COMMAND}: cannot write --output ${args.output}: ${e.code ?? e.message}\n`);
      return 2;
    }
  } else {
    process.stdout.write(text);
  }
  return 0;
}

/** What `check` is given, minus the rules: the package scanners, the layer cache unless turned off. */
export function sbomCheckOptions(flags: { cache?: boolean }, env: NodeJS.ProcessEnv = process.env): CheckOptions {
  const options: CheckOptions = {
    rules: [],
    catalog: new Map(),
    engine: { failOn: 'high' },
    scanners: PACKAGE_SCANNERS,
    // The base-image boundary marks inherited layers, as in check.
    outlines: localOutlines(),
  };
  const cache = layerCacheFromEnv(env, flags.cache !== false);
  if (cache) options.cache = cache;
  return options;
}

/** One daemon image's facts and inventory (options from sbomCheckOptions). */
export async function inventoryOfImage(ctx: DaemonContext, ref: string, options: CheckOptions): Promise<{ facts: ImageFacts; inventory: Inventory }> {
  const result = await checkDaemonImage(ctx, ref, options);
  if (!result.facts) throw new Error(`no facts for ${ref}`);
  return { facts: result.facts, inventory: inventoryOf(result.facts) };
}

/** The image of an archive file: the one named (tag or ID prefix), or the only one. */
async function factsFromArchive(file: string, ref: string | undefined, options: CheckOptions): Promise<ImageFacts> {
  const results = await checkArchiveFile(file, options);
  const named = ref === undefined ? results : results.filter((r) => r.repoTags.includes(ref) || (r.id !== undefined && idMatches(r.id, ref)));
  if (named.length === 1 && named[0]!.facts) return named[0]!.facts;
  const listed = results.map((r) => r.repoTags[0] ?? r.id ?? r.image).join(', ');
  if (named.length === 0) {
    throw new UsageError(ref === undefined ? `--archive ${file} holds no image` : `--archive ${file} has no image ${ref} (it holds: ${listed || 'none'})`);
  }
  throw new UsageError(`--archive ${file} holds ${named.length} images (${listed}); name one: sbom --archive ${file} IMAGE`);
}

function idMatches(id: string, ref: string): boolean {
  const hex = id.replace(/^sha256:/, '');
  const want = ref.replace(/^sha256:/, '');
  return want.length >= 4 && hex.startsWith(want);
}

/** Written beside the target and renamed over it: a reader never sees half a document. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { mode: 0o644 });
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
