// The daemon's image events (GET /events): a bounded query for "what happened
// in this window" (the build hook) and an open subscription (watch). Events
// arrive as concatenated JSON objects; each is decoded to what we use.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { daemonError, withTimeout } from './errors.js';
import type { DaemonContext } from './inspect.js';

export interface ImageEvent {
  /** tag, untag, load, import, pull, push, delete, save, … */
  action: string;
  /** The image ID (sha256:…) or, for some actions on old engines, the name. */
  id: string;
  /** The repo:tag the event names, when it names one. */
  name?: string;
  /** Nanoseconds since the epoch, as the daemon stamps it (resume point for `since`). */
  timeNano: bigint;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number | string;
}

export interface EventWindow {
  /** Seconds since the epoch, inclusive (rounded down to a whole second). */
  since: number;
  /** Seconds since the epoch (rounded up); omitted for an open subscription. */
  until?: number;
  /** Only these actions (the daemon filters). */
  actions?: string[];
}

/** Image events in a closed time window; the daemon answers and closes the stream. */
export async function imageEventsBetween(ctx: DaemonContext, window: EventWindow & { until: number }): Promise<ImageEvent[]> {
  const events: ImageEvent[] = [];
  const stream = await openEvents(ctx, window);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      decodeEvents(stream, (e) => events.push(e));
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    }),
    ctx.timeoutMs,
    'the events query',
  ).catch((err: unknown) => {
    stream.destroy();
    throw daemonError(err, ctx.endpoint, { what: 'events' });
  });
  return events;
}

/** Opens the events stream (open-ended without `until`). The caller decodes and closes it. */
export async function openEvents(ctx: DaemonContext, window: EventWindow): Promise<Readable> {
  const filters: Record<string, string[]> = { type: ['image'] };
  if (window.actions?.length) filters.event = window.actions;
  // Whole seconds, widened: events at the edges are repeated rather than lost (callers dedupe).
  const opts: { since: number; until?: number; filters: string } = { since: Math.floor(window.since), filters: JSON.stringify(filters) };
  if (window.until !== undefined) opts.until = Math.ceil(window.until);
  try {
    return (await withTimeout(ctx.docker.getEvents(opts), ctx.timeoutMs, 'the events request')) as Readable;
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { what: 'events' });
  }
}

/** Calls `onEvent` for each image event in the stream (objects may span chunks). */
export function decodeEvents(stream: Readable, onEvent: (e: ImageEvent) => void): void {
  const decoder = new StringDecoder('utf8');
  let buffered = '';
  stream.on('data', (chunk: Buffer | string) => {
    buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline: number;
    // The daemon writes one JSON object per line.
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      const event = line ? parseEvent(line) : null;
      if (event) onEvent(event);
    }
  });
}

export function parseEvent(line: string): ImageEvent | null {
  let raw: RawEvent;
  try {
    raw = JSON.parse(line) as RawEvent;
  } catch {
    return null;
  }
  if ((raw.Type ?? 'image') !== 'image') return null;
  const action = raw.Action ?? raw.status;
  const id = raw.Actor?.ID ?? raw.id;
  if (!action || !id) return null;
  const event: ImageEvent = { action, id, timeNano: nanos(raw) };
  const name = raw.Actor?.Attributes?.name;
  if (name) event.name = name;
  return event;
}

function nanos(raw: RawEvent): bigint {
  if (raw.timeNano !== undefined) return BigInt(raw.timeNano);
  return BigInt(raw.time ?? 0) * 1_000_000_000n;
}
