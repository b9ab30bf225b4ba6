// What the secrets rules share: steps and locations with every secret masked
// (a step's display is the Dockerfile line, which holds the secret whole).
import type { HistoryStep } from '../../../image/facts.js';
import { redact } from '../../../secrets/inline.js';
import { stepDisplay } from '../../history.js';
import type { Location } from '../../rule.js';

/** The step as a user reads it, its secrets masked. */
export function maskedDisplay(step: HistoryStep, secrets: Iterable<string>): string {
  return redact(stepDisplay(step), secrets);
}

/** `step 7 (RUN curl -u admin:s3cr****…)`, as describeStep, with secrets masked. */
export function describeMasked(step: HistoryStep, secrets: Iterable<string>): string {
  if (!step.instruction && !step.createdBy.trim()) return `step ${step.index} (no command recorded)`;
  const display = maskedDisplay(step, secrets);
  return `step ${step.index} (${display.length > 60 ? display.slice(0, 59) + '…' : display})`;
}

export function maskedHistoryLocation(step: HistoryStep, secrets: Iterable<string>): Location {
  return { kind: 'history', index: step.index, instruction: maskedDisplay(step, secrets) };
}

export function maskedConfigLocation(field: string, step: HistoryStep | undefined, secrets: Iterable<string>): Location {
  if (!step) return { kind: 'config', field };
  return { kind: 'config', field, historyIndex: step.index, instruction: maskedDisplay(step, secrets) };
}

export { secretsOfStep } from '../../../secrets/image-secrets.js';
