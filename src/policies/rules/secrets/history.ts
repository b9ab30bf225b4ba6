// DSP10104-06: credentials the image history keeps (`docker history
// --no-trunc` shows them to anyone with the image): secret build arguments
// in scope of a RUN (DSP10104), credentials written into a RUN line
// (DSP10105), and well-known token formats anywhere in a step (DSP10106).
import type { HistoryStep, ImageFacts } from '../../../image/facts.js';
import { buildArgsOf, inlineCredentials } from '../../../secrets/inline.js';
import { maskSecret } from '../../../secrets/mask.js';
import { findTokens, isPlaceholder, isSecretName } from '../../../secrets/patterns.js';
import type { RawFinding, Rule } from '../../rule.js';
import { describeStep, historyLocation } from '../../history.js';

/** Values the config still holds: a token there is DSP10103's, reported with its field. */
function configValues(facts: ImageFacts): Set<string> {
  const values = new Set<string>();
  for (const e of facts.config.Env ?? []) values.add(e.slice(e.indexOf('=') + 1));
  for (const v of Object.values(facts.config.Labels ?? {})) values.add(v);
  return values;
}

/** A build argument already reported, and how many later steps record it again. */
interface ReportedArg {
  finding: RawFinding;
  later: number;
}

function stepFindings(step: HistoryStep, inConfig: Set<string>, reported: Map<string, ReportedArg>): RawFinding[] {
  const text = step.createdBy;
  if (!text.trim()) return [];
  const args = buildArgsOf(text);
  const allSecretArgs = args.filter((a) => (isSecretName(a.name) && !isPlaceholder(a.value)) || findTokens(a.value).length > 0);
  // Every RUN after an ARG records it again: one finding per argument, at the first step, counting the rest.
  const secretArgs = allSecretArgs.filter((a) => {
    const seen = reported.get(`${a.name}=${a.value}`);
    if (seen) seen.later++;
    return !seen;
  });
  // An ENV or LABEL whose value the config still holds is reported on the config field.
  const keyword = step.instruction?.keyword;
  const stillInConfig = (secret: string) => (keyword === 'ENV' || keyword === 'LABEL') && [...inConfig].some((v) => v.includes(secret));
  const credentials = inlineCredentials(text).filter((c) => !stillInConfig(c.secret));
  const known = new Set([...allSecretArgs.map((a) => a.value), ...credentials.map((c) => c.secret)]);
  const tokens = findTokens(text).filter((t) => ![...known].some((k) => k.includes(t.secret)) && !stillInConfig(t.secret));
  const secrets = [...known, ...tokens.map((t) => t.secret)];
  if (secrets.length === 0) return [];
  const where = describeStep(step, secrets);
  const location = historyLocation(step, secrets);
  const out: RawFinding[] = [];
  const push = (policy: string, message: string) => out.push({ policy, message, location, inherited: step.inherited });
  if (secretArgs.length > 0) {
    const list = secretArgs.map((a) => `${a.name}=${maskSecret(a.value)}`).join(', ');
    push('DSP10104', `${where} ran with build argument${secretArgs.length > 1 ? 's' : ''} ${list}, which the image history records`);
    const finding = out[out.length - 1]!;
    for (const a of secretArgs) reported.set(`${a.name}=${a.value}`, { finding, later: 0 });
  }
  for (const c of credentials) push('DSP10105', `${where} writes ${c.what} (${c.excerpt}) into the image history`);
  for (const t of tokens) push('DSP10106', `${where} holds ${t.label} (${maskSecret(t.secret)}) in the image history`);
  return out;
}

export const historySecrets: Rule = {
  ids: ['DSP10104', 'DSP10105', 'DSP10106'],
  needs: {},
  evaluate(facts) {
    const inConfig = configValues(facts);
    const reported = new Map<string, ReportedArg>();
    const findings = facts.history.flatMap((step) => stepFindings(step, inConfig, reported));
    for (const r of new Set(reported.values())) {
      if (r.later > 0) r.finding.message += ` (so do the ${r.later} later step${r.later > 1 ? 's' : ''} that run with it)`;
    }
    return findings;
  },
};
