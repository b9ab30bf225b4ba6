// The daemon's image events (GET /events): a bounded query for "what happened
// in this window" (the build hook) and an open subscription (watch). Events
// arrive as concatenated JSON objects; each is decoded to what we use.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { GetEventsOptions } from 'dockerode';
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
  /** Seconds since the epoch, inclusive (rounded down to a whole second: repeats, not losses; callers dedupe). */
  since: number;
  /**
   * Seconds since the epoch, fractions kept (rounding up would make the daemon
   * wait for that moment); omitted for an open subscription.
   */
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
  const opts: { since: number; until?: string; filters: string } = { since: Math.floor(window.since), filters: JSON.stringify(filters) };
  if (window.until !== undefined) opts.until = secondsText(window.until);
  try {
    // dockerode types `until` as a number; the API takes `seconds.nanoseconds` text.
    return (await withTimeout(ctx.docker.getEvents(opts as unknown as GetEventsOptions), ctx.timeoutMs, 'the events request')) as Readable;
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { what: 'events' });
  }
}

/** `1795447499.2525` → `1795447499.252500000`: the API's `seconds.nanoseconds`. */
export function secondsText(seconds: number): string {
  const whole = Math.floor(seconds);
  const nanos = Math.min(999_999_999, Math.round((seconds - whole) * 1e9));
  return `${whole}.${String(nanos).padStart(9, '0')}`;
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

/** An open-ended events stream that starts now, and the daemon's clock when it started. */
export interface LiveEvents {
  stream: Readable;
  /**
   * Seconds since the epoch on the daemon's clock when the stream opened (from
   * the response's Date header, whole seconds), or the local clock when the
   * daemon sent none. The resume point for `since` after a disconnection.
   */
  daemonTime: number;
}

/**
 * Opens the events stream with no `since`: only events from now on. Unlike
 * openEvents, this needs no local guess of the daemon's time (a remote
 * daemon's clock may differ); the Date header tells it.
 */
export async function openLiveEvents(ctx: DaemonContext, actions: string[]): Promise<LiveEvents> {
  const filters: Record<string, string[]> = { type: ['image'] };
  if (actions.length) filters.event = actions;
  let stream: Readable;
  try {
    stream = (await withTimeout(ctx.docker.getEvents({ filters: JSON.stringify(filters) }), ctx.timeoutMs, 'the events request')) as Readable;
  } catch (err) {
    throw daemonError(err, ctx.endpoint, { what: 'events' });
  }
  return { stream, daemonTime: responseDate(stream) ?? Math.floor(Date.now() / 1000) };
}

/** The Date header of an HTTP response stream, in whole seconds since the epoch. */
export function responseDate(stream: Readable): number | undefined {
  const date = (stream as Readable & { headers?: Record<string, string | string[] | undefined> }).headers?.date;
  const ms = typeof date === 'string' ? Date.parse(date) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** `sha256:` + 64 hex digits: the event names an image by ID (not a reference, as pull events do). */
export function isImageId(value: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(value);
}
