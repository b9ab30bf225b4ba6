// The OSV schema (https://ossf.github.io/osv-schema/), the parts we read.
// Advisories are kept in this shape from the download to the match.

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`. */
  type: string;
  /** A CVSS vector, or the rating for non-CVSS types. */
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: OsvSeverity[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvAdvisory {
  id: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: Array<{ type: string; url: string }>;
  database_specific?: Record<string, unknown>;
}

/** Advisories already loaded for an image's packages (rules never do I/O). */
export interface AdvisoryLookup {
  /** Advisories filed under this OSV ecosystem (`Debian:12`; also its base, `Debian`) and package name. */
  advisoriesFor(ecosystem: string, name: string): OsvAdvisory[];
}
