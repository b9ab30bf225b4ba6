// A secret is never printed whole, anywhere (table, JSON, SARIF, hook): a
// short prefix says which one it is (`AKIA`, `ghp_`), stars say how much is
// hidden, without giving its exact length away for long values.
const MAX_STARS = 8;

/** `AKIAIOSFODNN7EXAMPLE` → `AKIA********`; short values keep at most a third. */
export function maskSecret(value: string, keep = 4): string {
  const chars = [...value];
  const shown = Math.min(keep, Math.floor(chars.length / 3));
  return chars.slice(0, shown).join('') + '*'.repeat(Math.max(1, Math.min(MAX_STARS, chars.length - shown)));
}
