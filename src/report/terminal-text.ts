// Strings from an image (paths, labels, history) reach the terminal only
// after control characters are made visible: no escape sequence of an
// image's making can move the cursor, recolour the screen, write the
// clipboard (OSC 52) or make a link (OSC 8), and no invisible or
// reordering character (bidi overrides and isolates, zero-width spaces,
// line separators, lone surrogates) can make the text read as something
// else. JSON and SARIF carry the exact value instead, escaped (jsonText).

// C0 (but tab and newline), DEL, C1; the bidi and invisible format
// characters; U+2028/2029; lone surrogates.
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Image-made text made safe for a terminal: the unsafe characters shown as `\x1b`, `\u202e`. Tab and newline stay. */
export function printable(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * The last guard before the terminal, over a whole rendered report: every
 * unsafe character is shown escaped, except newlines and — when `color` —
 * the SGR colour sequences (`ESC [ … m`) the report itself painted. Image
 * strings went through printable() already, so they hold no ESC to keep.
 */
export function terminalSafe(text: string, color: boolean): string {
  if (!color) return printable(text);
  // eslint-disable-next-line no-control-regex
  return text.split(/(\u001b\[[0-9;]*m)/).map((part, i) => (i % 2 === 1 ? part : printable(part))).join('');
}

/**
 * JSON.stringify, then the characters JSON allows raw but a terminal (or a
 * reader) would act on written as \u escapes: C1 controls, bidi and
 * invisible characters, U+2028/2029 (C0 controls and lone surrogates
 * JSON.stringify escapes itself). JSON.parse gives back the exact value.
 */
export function jsonText(value: unknown, indent?: number | string): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** At most `max` UTF-16 units, an ellipsis last; never splits a surrogate pair. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  return text.slice(0, end) + '…';
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** One printable line (for stderr): whitespace runs, newlines too, become one space. */
export function printableLine(text: string): string {
  return printable(text.replace(/\s+/g, ' ').trim());
}
