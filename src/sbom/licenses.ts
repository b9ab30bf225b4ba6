// Declared licences as SPDX expressions where they can honestly be read as
// one. Manifests and Debian copyright files write licences loosely (`MIT
// License`, `Apache 2.0`, `GPL-2+`, `mit or apache-2.0`); a few corrections
// whose meaning is not in doubt are applied term by term, and the result must
// then parse with spdx-expression-parse. Anything else (`BSD`, `public
// domain`, a licence's whole text) is kept as written: a named licence, not a
// guess.
import { lazyModule } from '../lazy-module.js';

const parseSpdx = lazyModule<typeof import('spdx-expression-parse')>('spdx-expression-parse');
const cdxSpdx = lazyModule<typeof import('@cyclonedx/cyclonedx-library/SPDX')>('@cyclonedx/cyclonedx-library/SPDX');

/** True when `text` is a valid SPDX licence expression as written. */
export function isSpdxExpression(text: string): boolean {
  try {
    parseSpdx()(text);
    return true;
  } catch {
    return false;
  }
}

/** True for a compound expression (`A OR B`, `A WITH exception`), as opposed to one licence ID. */
export function isCompoundExpression(text: string): boolean {
  return / (?:AND|OR|WITH) /.test(text);
}

/**
 * The SPDX expression `declared` means, or the declared text itself (trimmed,
 * whitespace collapsed) when it is not one. Undefined for an empty declaration.
 */
export function normalizeLicense(declared: string): string | undefined {
  const text = declared.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  if (isSpdxExpression(text)) return text;
  const corrected = correctExpression(text);
  return corrected !== undefined && isSpdxExpression(corrected) ? corrected : text;
}

/** Each declaration normalised; empty ones dropped, duplicates once, order kept. */
export function normalizeLicenses(declared: Iterable<string>): string[] {
  const out: string[] = [];
  for (const d of declared) {
    const n = normalizeLicense(d);
    if (n !== undefined && !out.includes(n)) out.push(n);
  }
  return out;
}

// Operators and parentheses stay; every term between them is corrected alone.
const TOKEN = /(\(|\)|\s+(?:and|or|with)\s+)/i;

function correctExpression(text: string): string | undefined {
  const parts = text.split(TOKEN).filter((p) => p !== '');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '(' || part === ')') out.push(part);
    else if (TOKEN.test(part) && part.trim() !== part) out.push(` ${part.trim().toUpperCase()} `);
    else if (part.trim() === '') continue;
    else {
      const id = correctTerm(part.trim());
      if (id === undefined) return undefined;
      out.push(id);
    }
  }
  return out.join('');
}

// Names whose SPDX ID is not in doubt. Debian's `Expat` is the MIT licence (DEP-5).
const ALIASES: Record<string, string> = {
  'apache 2': 'Apache-2.0',
  'apache 2.0': 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  apache2: 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache license, version 2.0': 'Apache-2.0',
  'apache license version 2.0': 'Apache-2.0',
  'apache software license 2.0': 'Apache-2.0',
  'asl 2.0': 'Apache-2.0',
  mit: 'MIT',
  expat: 'MIT',
  isc: 'ISC',
  zlib: 'Zlib',
  'mozilla public license 2.0': 'MPL-2.0',
  'mpl 2.0': 'MPL-2.0',
};

function correctTerm(term: string): string | undefined {
  const bare = term.replace(/^the\s+/i, '').replace(/\s+licen[cs]e$/i, '');
  const alias = ALIASES[bare.toLowerCase()] ?? ALIASES[term.toLowerCase()];
  if (alias) return alias;
  // Debian's short names: GPL-2, GPL-2+, LGPL-2.1+, AGPL-3+.
  const gnu = /^(A|L)?GPL-?(\d)(?:\.(\d))?(\+)?$/i.exec(bare);
  if (gnu) return `${(gnu[1] ?? '').toUpperCase()}GPL-${gnu[2]}.${gnu[3] ?? '0'}-${gnu[4] ? 'or-later' : 'only'}`;
  // An ID in the wrong case (`bsd-3-clause`), or a LicenseRef as written.
  if (/^LicenseRef-[A-Za-z0-9.-]+$/.test(bare)) return bare;
  return cdxSpdx().fixupSpdxId(bare);
}
