// /etc/security/pwquality.conf: `name = value` lines, `#` comments, later
// lines win as libpwquality reads them. Drop-ins in pwquality.conf.d are not
// read (rules ask for fixed paths only).
import { numberedLines, stripComment } from './lines.js';
import type { Definition } from './login-defs.js';

export function parsePwquality(text: string): Map<string, Definition> {
  const settings = new Map<string, Definition>();
  for (const { line, text: raw } of numberedLines(text)) {
    const body = stripComment(raw);
    const m = /^([a-z_][a-z0-9_]*)\s*(?:=\s*(.*))?$/i.exec(body);
    if (!m) continue;
    // Boolean settings (`enforce_for_root`) have no value.
    settings.set((m[1] ?? '').toLowerCase(), { value: (m[2] ?? '').trim(), line });
  }
  return settings;
}
