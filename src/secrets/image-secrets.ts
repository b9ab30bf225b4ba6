// Every secret an image's own text shows (history steps, ENV values, labels):
// what must be masked in anything printed about the image, whichever rule
// prints it (a step's display is its Dockerfile line, secret included).
import type { HistoryStep, ImageFacts } from '../image/facts.js';
import { buildArgsOf, inlineCredentials, redact } from './inline.js';
import { findTokens, isPlaceholder, isSecretName } from './patterns.js';

/** Every secret the step's own text shows (tokens, inline credentials, secret build args, credential-named ENV/LABEL values). */
export function secretsOfStep(step: Pick<HistoryStep, 'createdBy' | 'instruction'>): string[] {
  const text = step.createdBy;
  return [
    ...findTokens(text).map((t) => t.secret),
    ...inlineCredentials(text).map((c) => c.secret),
    ...buildArgsOf(text).filter((a) => isSecretName(a.name) && !isPlaceholder(a.value)).map((a) => a.value),
    ...settingsOf(step).flatMap(([name, value]) => (isSecretName(name) && !isPlaceholder(value) ? [value] : [])),
  ];
}

/** `NAME=value` pairs of an ENV or LABEL step (quotes removed); a value a later step overwrote still shows here. */
function settingsOf(step: Pick<HistoryStep, 'instruction'>): Array<[string, string]> {
  const keyword = step.instruction?.keyword;
  if (keyword !== 'ENV' && keyword !== 'LABEL') return [];
  return [...step.instruction!.args.matchAll(/([A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|\S+)/g)].map((m) => [m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2')]);
}

/** Secrets in an ENV or label value: known tokens, URL passwords, or the whole value under a credential name. */
export function secretsOfSetting(name: string, value: string): string[] {
  const found = [...findTokens(value).map((t) => t.secret), ...inlineCredentials(value).map((c) => c.secret)];
  if (found.length === 0 && isSecretName(name) && !isPlaceholder(value)) found.push(value);
  return found;
}

/** All of them, for the image: history, ENV and labels. */
export function secretsShownBy(facts: Pick<ImageFacts, 'history' | 'config'>): string[] {
  const out = new Set<string>();
  for (const step of facts.history) for (const s of secretsOfStep(step)) out.add(s);
  for (const e of facts.config.Env ?? []) {
    const eq = e.indexOf('=');
    if (eq > 0) for (const s of secretsOfSetting(e.slice(0, eq), e.slice(eq + 1))) out.add(s);
  }
  for (const [name, value] of Object.entries(facts.config.Labels ?? {})) for (const s of secretsOfSetting(name, value)) out.add(s);
  return maskable(out);
}

/** The secrets worth masking in any text about the image: very short values would mask ordinary words. */
export function maskable(secrets: Iterable<string>): string[] {
  return [...secrets].filter((s) => s.length >= 6);
}

/** A function that masks the image's secrets in a text (identity when there are none). */
export function redactorFor(facts: Pick<ImageFacts, 'history' | 'config'>): (text: string) => string {
  const secrets = secretsShownBy(facts);
  return secrets.length === 0 ? (text) => text : (text) => redact(text, secrets);
}
