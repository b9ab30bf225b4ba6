// The licence of an npm manifest in its three historical shapes: `"MIT"`,
// `{ "type": "MIT", "url": … }` (deprecated), and the legacy `licenses`
// array of either, which meant "any of these" (so: joined with OR).

function licenseName(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'object' && v !== null && 'type' in v) {
    const type = (v as { type: unknown }).type;
    return typeof type === 'string' ? type.trim() || undefined : undefined;
  }
  return undefined;
}

/** The declared licence as one expression, or undefined when none is declared. */
export function npmLicense(manifest: Record<string, unknown>): string | undefined {
  const single = licenseName(manifest.license);
  if (single) return single;
  const list = manifest.licenses;
  if (!Array.isArray(list)) return licenseName(list); // some packages put an object under `licenses`
  const names = [...new Set(list.map(licenseName).filter((n): n is string => n !== undefined))];
  if (names.length === 0) return undefined;
  // A compound member needs parentheses to stay one operand of the OR.
  return names.map((n) => (names.length > 1 && / (?:AND|OR|WITH) /.test(n) ? `(${n})` : n)).join(' OR ');
}
