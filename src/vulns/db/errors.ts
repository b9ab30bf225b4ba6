// The one error the database reports to users: one line that says what to do.
import { COMMAND } from '../../plugin/metadata.js';

export class VulnDbError extends Error {
  readonly exitCode = 2;
}

export function missingDbError(): VulnDbError {
  return new VulnDbError(`no vulnerability database yet: run \`${COMMAND} db update\`, or pass --vuln-db DIR|ZIP of OSV advisories`);
}

/** An error's message with its cause (fetch hides the reason there), on one line. */
export function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  const text = cause && !err.message.includes(cause) ? `${err.message}: ${cause}` : err.message;
  return text.replace(/\s*\n\s*/g, ' ');
}
