// How severe an advisory is, from the most trustworthy rating it carries:
// a CVSS vector (scored here, newest CVSS version first; the package's own
// `affected` entry before the advisory), else a database's or ecosystem's
// own word (GitHub, Debian urgency, Ubuntu priority, vendor ratings).

import { lazyModule } from '../lazy-module.js';

const cvss = lazyModule<typeof import('ae-cvss-calculator')>('ae-cvss-calculator');
import type { Severity } from '../policies/rule.js';
import type { OsvAdvisory, OsvAffected, OsvSeverity } from './osv.js';

export interface AdvisorySeverity {
  severity: Severity;
  score?: number;
  /** e.g. 'CVSS:3.1/AV:N/…' or 'GHSA rating HIGH' or 'Debian urgency high' */
  source: string;
}

/** CVSS v3/v4 qualitative rating scale (a score of 0, "none", is reported as low). */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** CVSS v2 had no critical band. */
function severityOfV2Score(score: number): Severity {
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

interface Scored {
  version: number;
  score: number;
}

interface Calculator {
  isBaseFullyDefined(): boolean;
  calculateScores(): { base: number | undefined };
}

// Which calculator reads a vector, by its prefix; v2 vectors have none.
const CALCULATORS: Array<{ version: number; reads: (entry: OsvSeverity) => boolean; make: (vector: string) => Calculator }> = [
  { version: 4, reads: (e) => e.score.startsWith('CVSS:4.0/'), make: (v) => new (cvss().Cvss4P0)(v) },
  { version: 3.1, reads: (e) => e.score.startsWith('CVSS:3.1/'), make: (v) => new (cvss().Cvss3P1)(v) },
  { version: 3, reads: (e) => e.score.startsWith('CVSS:3.0/'), make: (v) => new (cvss().Cvss3P0)(v) },
  { version: 2, reads: (e) => e.type === 'CVSS_V2' && /^\(?AV:/.test(e.score), make: (v) => new (cvss().Cvss2)(v) },
];

/** Base score of a vector, or undefined when it is not a complete, well-formed CVSS vector. */
function scoreVector(entry: OsvSeverity): Scored | undefined {
  const vector = entry.score.trim();
  const kind = CALCULATORS.find((c) => c.reads({ type: entry.type, score: vector }));
  if (!kind) return undefined;
  try {
    const calculator = kind.make(vector);
    // The calculator fills missing metrics with "not defined" and scores 0; a partial vector is malformed.
    if (!calculator.isBaseFullyDefined()) return undefined;
    const score = calculator.calculateScores().base;
    return typeof score === 'number' && Number.isFinite(score) ? { version: kind.version, score } : undefined;
  } catch {
    // The calculator throws on unknown metrics or values.
    return undefined;
  }
}

/** The newest-version well-formed CVSS vector among severity entries. */
function bestCvss(entries: OsvSeverity[] | undefined): AdvisorySeverity | undefined {
  let best: (Scored & { vector: string }) | undefined;
  for (const entry of entries ?? []) {
    if (!entry.type.startsWith('CVSS_') || typeof entry.score !== 'string') continue;
    const scored = scoreVector(entry);
    if (scored && (!best || scored.version > best.version)) best = { ...scored, vector: entry.score.trim() };
  }
  if (!best) return undefined;
  const severity = best.version === 2 ? severityOfV2Score(best.score) : severityOfScore(best.score);
  return { severity, score: best.score, source: best.vector };
}

// Words databases use for their own ratings. Unknown words (Debian's
// "not yet assigned", "end-of-life") give no rating at all.
const RATINGS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high', // Red Hat and its rebuilds
  moderate: 'medium', // GitHub, Red Hat
  medium: 'medium',
  low: 'low',
  negligible: 'low', // Ubuntu
  unimportant: 'low', // Debian
};

function rating(value: unknown): Severity | undefined {
  return typeof value === 'string' ? RATINGS[value.trim().toLowerCase()] : undefined;
}

/** Who issued a database_specific rating, from the advisory id: 'GHSA', 'RHSA', … */
function issuer(advisory: OsvAdvisory): string {
  return /^[A-Za-z]+/.exec(advisory.id)?.[0] ?? 'database';
}

function ecosystemName(affected: OsvAffected | undefined): string {
  return affected?.package?.ecosystem.split(':')[0] ?? 'ecosystem';
}

/** A rating from database_specific, ecosystem_specific or an Ubuntu severity entry. */
function namedRating(advisory: OsvAdvisory, affected: OsvAffected | undefined): AdvisorySeverity | undefined {
  const candidates: Array<[unknown, string]> = [
    [affected?.database_specific?.['severity'], `${issuer(advisory)} rating`],
    [advisory.database_specific?.['severity'], `${issuer(advisory)} rating`],
    [affected?.ecosystem_specific?.['severity'], `${ecosystemName(affected)} severity`],
    [affected?.ecosystem_specific?.['urgency'], `${ecosystemName(affected)} urgency`],
    ...[...(affected?.severity ?? []), ...(advisory.severity ?? [])]
      .filter((s) => s.type === 'Ubuntu')
      .map((s): [unknown, string] => [s.score, 'Ubuntu priority']),
  ];
  for (const [value, label] of candidates) {
    const severity = rating(value);
    if (severity) return { severity, source: `${label} ${String(value).trim()}` };
  }
  return undefined;
}

/** The advisory's severity for one affected package, or undefined when it carries no usable rating. */
export function severityOf(advisory: OsvAdvisory, affected?: OsvAffected): AdvisorySeverity | undefined {
  return bestCvss(affected?.severity) ?? bestCvss(advisory.severity) ?? namedRating(advisory, affected);
}
