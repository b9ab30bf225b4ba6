// `db update`, `db status`, `db import`: the local OSV advisory database the
// vulnerability checks read (src/vulns/db). Progress on stderr (terminal
// only), results on stdout, failures as one line on stderr with exit code 2.
import type { Argv } from 'yargs';
import type { GlobalOptions } from '../plugin/argv.js';
import { COMMAND } from '../plugin/metadata.js';
import { installDb, openVulnDb, updateDb, type DbStatus, type UpdateResult } from '../vulns/db/index.js';
import { formatBytes, startProgress } from './output.js';

export interface DbUpdateArgs {
  /** `--ecosystem E` (repeatable, or comma-separated); none: what the local images need. */
  ecosystem?: string[];
  /** Default: $DSP_OSV_URL, else OSV's bucket. */
  baseUrl?: string;
  /** Default: the cache root of the environment. */
  cacheRoot?: string;
}

export interface DbStatusArgs {
  format: 'table' | 'json';
  cacheRoot?: string;
}

export interface DbImportArgs {
  /** A directory of OSV JSON files (searched recursively) or a zip of them. */
  source: string;
  cacheRoot?: string;
}

/** What the user asked for, as parsed by dbCommand. */
export type DbCall = { command: 'update'; args: DbUpdateArgs } | { command: 'status'; args: DbStatusArgs } | { command: 'import'; args: DbImportArgs };

/** Where the commands write (tests capture it). */
export interface DbOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const STD: DbOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Adds `update`, `status` and `import` to `yargs` (the `db` command's
 * builder); `run` gets the parsed call, e.g.
 * `dbCommand(y, async (c) => { code = c.command === 'update' ? await runDbUpdate(c.args, global, needed) : … })`.
 */
export function dbCommand(yargs: Argv, run: (call: DbCall) => void | Promise<void>): Argv {
  return yargs
    .command(
      'update',
      'download OSV advisories for the ecosystems of the local images (or those named) and swap them in',
      (y) =>
        y.option('ecosystem', {
          type: 'string',
          array: true,
          describe: 'an OSV ecosystem to download, e.g. Debian, Alpine, npm, PyPI (repeatable) [default: those of the local images]',
        }),
      (args) => run({ command: 'update', args: args.ecosystem ? { ecosystem: args.ecosystem } : {} }),
    )
    .command(
      'status',
      'show what the vulnerability database holds',
      (y) => y.option('format', { choices: ['table', 'json'] as const, default: 'table' as const }),
      (args) => run({ command: 'status', args: { format: args.format } }),
    )
    .command(
      'import <source>',
      'make a local OSV export (a directory of JSON files or a zip) the vulnerability database',
      (y) => y.positional('source', { type: 'string', demandOption: true, describe: 'DIR or ZIP of OSV advisories' }),
      (args) => run({ command: 'import', args: { source: args.source } }),
    )
    .demandCommand(1, 'name one: update, status or import');
}

/**
 * `db update`: downloads the named ecosystems, else those `needed()` reports
 * for the local images (the caller asks the daemon). Returns the exit code.
 */
export async function runDbUpdate(
  args: DbUpdateArgs,
  // The daemon is the caller's business (inside `needed`); kept for the shape every run* has.
  _global: GlobalOptions,
  needed: () => Promise<string[]>,
  output: DbOutput = STD,
): Promise<number> {
  let ecosystems = splitList(args.ecosystem ?? []);
  if (ecosystems.length === 0) {
    try {
      ecosystems = [...new Set(await needed())];
    } catch (err) {
      output.err(`${COMMAND}: cannot tell which ecosystems the local images need (${oneLine(err)}): name them with --ecosystem`);
      return 2;
    }
    if (ecosystems.length === 0) {
      output.err(`${COMMAND}: no local image has packages of an ecosystem OSV covers: name one with --ecosystem (e.g. --ecosystem Debian --ecosystem npm)`);
      return 2;
    }
  }
  return installing(`Downloading advisories for ${ecosystems.join(', ')}`, 'updated', output, (progress) =>
    updateDb({
      ecosystems,
      ...(args.baseUrl ? { baseUrl: args.baseUrl } : {}),
      ...(args.cacheRoot ? { cacheRoot: args.cacheRoot } : {}),
      onProgress: (p) =>
        progress.update(
          p.phase === 'download'
            ? `Downloading ${p.ecosystem} advisories: ${formatBytes(p.bytes)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`
            : p.message,
        ),
    }),
  );
}

/** `db import DIR|ZIP`: the local export becomes the current database. */
export async function runDbImport(args: DbImportArgs, output: DbOutput = STD): Promise<number> {
  return installing(`Importing ${args.source}`, 'imported', output, (progress) =>
    installDb(args.source, {
      ...(args.cacheRoot ? { cacheRoot: args.cacheRoot } : {}),
      onProgress: (message) => progress.update(message),
    }),
  );
}

/** Runs an update or import with progress on the terminal; the summary on success, one line and exit 2 on failure. */
async function installing(
  title: string,
  verb: 'updated' | 'imported',
  output: DbOutput,
  install: (progress: { update(text: string): void }) => Promise<UpdateResult>,
): Promise<number> {
  const progress = await startProgress(title);
  let result: UpdateResult;
  try {
    result = await install(progress);
  } catch (err) {
    progress.stop();
    output.err(`${COMMAND}: ${oneLine(err)}`);
    return 2;
  }
  progress.stop();
  report(verb, result, output);
  return 0;
}

/** `db status`: what the current database holds (plain text or JSON). */
export async function runDbStatus(args: DbStatusArgs, output: DbOutput = STD): Promise<number> {
  let status: DbStatus;
  try {
    const db = await openVulnDb(args.cacheRoot ? { cacheRoot: args.cacheRoot } : {});
    status = db.status();
    await db.close();
  } catch (err) {
    output.err(`${COMMAND}: ${oneLine(err)}`);
    return 2;
  }
  if (args.format === 'json') {
    output.out(JSON.stringify(status, null, 2));
    return 0;
  }
  output.out(statusText(status));
  return 0;
}

/** The plain-text status: a few facts, then one row per ecosystem. */
export function statusText(s: DbStatus): string {
  const lines = [
    `Database:    ${s.path}`,
    `Source:      ${s.source}`,
    ...(s.updated ? [`Updated:     ${s.updated}`] : []),
    ...(s.modified ? [`Newest data: ${s.modified}`] : []),
    ...(s.advisories !== undefined ? [`Advisories:  ${s.advisories}${s.bytes !== undefined ? ` (${formatBytes(s.bytes)})` : ''}`] : []),
    ...(s.invalid ? [`Skipped:     ${s.invalid} invalid files at import`] : []),
    '',
  ];
  const rows = [['ECOSYSTEM', 'ADVISORIES', 'PACKAGES'], ...s.ecosystems.map((e) => [e.ecosystem, String(e.advisories), String(e.packages)])];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) lines.push(`${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`);
  if (s.ecosystems.length === 0) lines.push('(no advisories)');
  return lines.join('\n');
}

function report(verb: string, result: UpdateResult, output: DbOutput): void {
  const m = result.meta;
  if (m.invalid > 0) output.err(`${COMMAND}: skipped ${m.invalid} invalid advisory file${m.invalid === 1 ? '' : 's'} (${result.invalidFiles[0] ?? ''}${m.invalid > 1 ? ', …' : ''})`);
  const what = m.folders?.length ? `${m.folders.join(', ')}: ` : '';
  output.out(
    `Vulnerability database ${verb}: ${what}${m.advisories} advisories in ${m.ecosystems.length} ecosystem${m.ecosystems.length === 1 ? '' : 's'}, ${formatBytes(m.bytes)} (${result.path})`,
  );
}

function splitList(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))];
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
}
