// Line splitting shared by the /etc parsers: CRLF and lone CR tolerated,
// 1-based line numbers kept so findings can say `/etc/shadow line 3`.

export interface NumberedLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line without its end-of-line characters. */
  text: string;
}

/** The file's lines with their numbers; a trailing newline adds no empty line. */
export function numberedLines(text: string): NumberedLine[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((t, i) => ({ line: i + 1, text: t }));
}

/** The line without a `#` comment (key-value files: login.defs, pwquality.conf, PAM). */
export function stripComment(text: string): string {
  const hash = text.indexOf('#');
  return (hash < 0 ? text : text.slice(0, hash)).trim();
}

/** A decimal integer field (`-1` allowed), or undefined for anything else (empty, `12a`, `1e3`). */
export function intField(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!/^-?\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}
