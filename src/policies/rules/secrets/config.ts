// DSP10101-03: credentials in the image config, which every `docker inspect`
// and every registry that serves the image shows: ENV values whose name says
// they are a credential (DSP10101), such labels (DSP10102), and well-known
// token formats in any ENV value or label (DSP10103).
import type { HistoryStep, ImageFacts } from '../../../image/facts.js';
import { inlineCredentials } from '../../../secrets/inline.js';
import { maskSecret } from '../../../secrets/mask.js';
import { findTokens, isPlaceholder, isSecretName } from '../../../secrets/patterns.js';
import { configLocation, describeStep, lastStep } from '../../history.js';
import type { RawFinding, Rule } from '../../rule.js';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The last ENV (or LABEL) step that set `name`. */
function stepSetting(facts: ImageFacts, keyword: 'ENV' | 'LABEL', name: string): HistoryStep | undefined {
  const sets = new RegExp(`(?:^|\\s)["']?${escapeRegex(name)}["']?(?:=|\\s|$)`);
  return lastStep(facts, (_s, ins) => ins.keyword === keyword && sets.test(ins.args));
}

interface Entry {
  /** `Env.NAME` / `Labels.name`. */
  field: string;
  /** `ENV NAME` / `label name`, for messages. */
  said: string;
  name: string;
  value: string;
  keyword: 'ENV' | 'LABEL';
}

function entriesOf(facts: ImageFacts): Entry[] {
  const out: Entry[] = [];
  const env = new Map<string, string>();
  for (const e of facts.config.Env ?? []) {
    const eq = e.indexOf('=');
    if (eq > 0) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  for (const [name, value] of env) out.push({ field: `Env.${name}`, said: `ENV ${name}`, name, value, keyword: 'ENV' });
  for (const [name, value] of Object.entries(facts.config.Labels ?? {})) {
    out.push({ field: `Labels.${name}`, said: `label ${name}`, name, value, keyword: 'LABEL' });
  }
  return out;
}

export const configSecrets: Rule = {
  ids: ['DSP10101', 'DSP10102', 'DSP10103'],
  needs: {},
  evaluate(facts) {
    const findings: RawFinding[] = [];
    for (const entry of entriesOf(facts)) {
      const tokens = findTokens(entry.value);
      const url = tokens.length === 0 ? inlineCredentials(entry.value).find((c) => c.what === 'a password in a URL') : undefined;
      const named = tokens.length === 0 && !url && isSecretName(entry.name) && !isPlaceholder(entry.value);
      if (tokens.length === 0 && !url && !named) continue;

      const secrets = tokens.length > 0 ? tokens.map((t) => t.secret) : [url ? url.secret : entry.value];
      const step = stepSetting(facts, entry.keyword, entry.name);
      const what = tokens.length > 0
        ? tokens.map((t) => `${t.label} (${maskSecret(t.secret)})`).join(' and ')
        : url ? `a password in a URL (${url.excerpt})` : `a credential (${maskSecret(entry.value)})`;
      const policy = tokens.length > 0 ? 'DSP10103' : entry.keyword === 'ENV' ? 'DSP10101' : 'DSP10102';
      const origin = step ? `, set by ${describeStep(step, secrets)}` : '';
      findings.push({
        policy,
        message: `${entry.said} holds ${what} in the image config${origin}`,
        location: configLocation(entry.field, step, secrets),
        inherited: step?.inherited ?? false,
      });
    }
    return findings;
  },
};
