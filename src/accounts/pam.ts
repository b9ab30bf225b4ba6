// PAM service files (/etc/pam.d/*): `type control module [args…]`, with
// `[value=action …]` controls, a leading `-` on the type (skip the module if
// it is missing), `\` line continuations and `@include` lines.
import { numberedLines } from './lines.js';

export interface PamLine {
  /** The line the entry starts on (1-based). */
  line: number;
  /** `auth`, `account`, `password`, `session`, or `@include`. */
  type: string;
  control: string;
  /** The module as written: `pam_unix.so`, `/lib/security/pam_unix.so`, or the included file for `@include`. */
  module: string;
  /** The module's base name without `.so`: `pam_unix`. */
  moduleName: string;
  args: string[];
}

export function parsePam(text: string): PamLine[] {
  const out: PamLine[] = [];
  const lines = numberedLines(text);
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (!first) continue;
    let body = first.text;
    // Join continuations before stripping comments, as libpam does.
    while (body.endsWith('\\') && i + 1 < lines.length) {
      body = body.slice(0, -1) + ' ' + (lines[++i]?.text ?? '');
    }
    const hash = body.indexOf('#');
    if (hash >= 0) body = body.slice(0, hash);
    const tokens = tokenize(body);
    if (tokens.length === 0) continue;
    const type = (tokens[0] ?? '').replace(/^-/, '').toLowerCase();
    if (type === '@include') {
      const file = tokens[1] ?? '';
      out.push({ line: first.line, type, control: '', module: file, moduleName: file, args: [] });
      continue;
    }
    if (tokens.length < 3) continue;
    const module = tokens[2] ?? '';
    const base = module.split('/').pop() ?? module;
    out.push({
      line: first.line,
      type,
      control: tokens[1] ?? '',
      module,
      moduleName: base.replace(/\.so$/, ''),
      args: tokens.slice(3),
    });
  }
  return out;
}

/** Whitespace-separated tokens; `[ … ]` (controls, bracketed args) stays one token. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    let j = i;
    if (text[i] === '[') {
      j = text.indexOf(']', i);
      j = j < 0 ? text.length : j + 1;
    } else {
      while (j < text.length && !/\s/.test(text[j] ?? '')) j++;
    }
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

/** The value of `name=value` among a module's arguments (the last one wins), or undefined. */
export function pamArg(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (const a of args) if (a.startsWith(`${name}=`)) value = a.slice(name.length + 1);
  return value;
}
