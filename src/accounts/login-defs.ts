// /etc/login.defs: `NAME value` lines, `#` comments. shadow-utils keeps the
// last definition of a name, so later lines win here too.
import { numberedLines, stripComment } from './lines.js';

export interface Definition {
  value: string;
  line: number;
}

export type LoginDefs = Map<string, Definition>;

export function parseLoginDefs(text: string): LoginDefs {
  const defs: LoginDefs = new Map();
  for (const { line, text: raw } of numberedLines(text)) {
    const body = stripComment(raw);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(body);
    if (!m) continue;
    const value = (m[2] ?? '').trim().replace(/^"(.*)"$/, '$1');
    if (value !== '') defs.set(m[1] ?? '', { value, line });
  }
  return defs;
}

/** A numeric definition, with its line, when it is set to an integer. */
export function numericDef(defs: LoginDefs, name: string): { value: number; line: number } | undefined {
  const d = defs.get(name);
  if (!d || !/^-?\d{1,12}$/.test(d.value)) return undefined;
  return { value: Number(d.value), line: d.line };
}
