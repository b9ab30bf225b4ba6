// Numeric comparison of digit strings of any length: version parts such as
// dates or epochs can outgrow Number, and leading zeros must not count.

/** Compares two runs of ASCII digits by value ('' counts as 0). */
export function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Plain code-unit order of two strings, as C's strcmp on ASCII. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
