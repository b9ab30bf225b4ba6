// What `check` asks the daemon first: each image's inspect and history, and
// the image list its base-image scan needs. main asks them for `check` before
// yargs and the command's modules load (~0.1 s), so the daemon answers
// meanwhile; the command takes each answer once, for the same daemon and time
// limit, and asks for itself whatever was not asked ahead.
import { imageHistory, inspectImage, listImages, type DaemonContext, type DaemonImage, type LocalImageSummary } from '../daemon/inspect.js';
import type { HistoryEntry } from '../image/history.js';
import type { GlobalOptions } from '../plugin/argv.js';
import { connection, DEFAULT_TIMEOUT_S } from './daemon-context.js';

/** The image list, asked now; awaited by the base-image scan, whose failure says so. */
export function askListing(ctx: DaemonContext): Promise<LocalImageSummary[]> {
  const listing = listImages(ctx);
  listing.catch(() => {});
  return listing;
}

/** An image's inspect and history, asked as early as the daemon is known: it answers while the settings and rules load. */
export interface EarlyAnswers {
  info: Promise<DaemonImage>;
  history: Promise<HistoryEntry[]>;
}

export function askEarly(ctx: DaemonContext, ref: string): EarlyAnswers {
  const info = inspectImage(ctx, ref);
  const history = info.then((i) => imageHistory(ctx, i.id));
  // Awaited by the first try, whose failure `check` reports (not asked again).
  info.catch(() => {});
  history.catch(() => {});
  return { info, history };
}

interface AskedAhead {
  ctx: DaemonContext;
  /** Taken (and cleared) by the command. */
  listing?: Promise<LocalImageSummary[]>;
  images: Map<string, EarlyAnswers>;
}

let ahead: AskedAhead | undefined;

/**
 * The words of `check`'s arguments (those after `check`) that can only be
 * image names: not an option, nor the word after an option written without
 * `=` (which may be its value), unless the option is a `--no-…` (yargs reads
 * those as false, never with a value). An image missed here is only asked later.
 */
export function imageWordsOf(args: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...words, ...args.slice(i + 1)];
    if (arg.startsWith('-') && arg !== '-') {
      if (!arg.includes('=') && !arg.startsWith('--no-')) i++;
    } else words.push(arg);
  }
  return words;
}

/**
 * Asks the daemon the global options name for the image list and for each
 * image word's inspect and history, with `--timeout`'s default limit. Says
 * nothing when there is no usable daemon: the command reports that itself.
 */
export function askAhead(global: GlobalOptions, checkArgs: string[]): void {
  try {
    const ctx = connection(global, DEFAULT_TIMEOUT_S * 1000).context;
    const images = new Map(imageWordsOf(checkArgs).map((ref) => [ref, askEarly(ctx, ref)]));
    ahead = { ctx, listing: askListing(ctx), images };
  } catch {
    // An unusable endpoint: connectDaemon throws the same error where the command reports it.
  }
}

/** Answers asked ahead for this context's daemon and time limit: the same client and limit, or none. */
function aheadFor(ctx: DaemonContext): AskedAhead | undefined {
  return ahead && ahead.ctx.docker === ctx.docker && ahead.ctx.timeoutMs === ctx.timeoutMs ? ahead : undefined;
}

/** The image list asked ahead for this daemon, once. */
export function listingAskedAhead(ctx: DaemonContext): Promise<LocalImageSummary[]> | undefined {
  const found = aheadFor(ctx);
  const listing = found?.listing;
  if (found) found.listing = undefined;
  return listing;
}

/** An image's inspect and history asked ahead for this daemon, once. */
export function imageAskedAhead(ctx: DaemonContext, ref: string): EarlyAnswers | undefined {
  const images = aheadFor(ctx)?.images;
  const answers = images?.get(ref);
  images?.delete(ref);
  return answers;
}
