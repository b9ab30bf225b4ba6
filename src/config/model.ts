// What a policy configuration says, after loading and validation: the shape
// the engine and the exception matcher read. The file format is schema.ts's.
import type { Severity } from '../policies/rule.js';
import type { OptionValue } from '../policies/options.js';

export type PolicyAction = 'fail' | 'warn' | 'off';
/** How findings caused by the base image count. */
export type InheritedMode = 'fail' | 'warn' | 'off';

export interface PolicySetting {
  action?: PolicyAction;
  severity?: Severity;
  /** Values for the options the policy declares (policies/<ID>.yaml `options:`). */
  options?: Record<string, OptionValue>;
}

/** Inclusive range of policy IDs with one prefix: `SQ40103-SQ40108`, or one ID (from = to). */
export interface PolicyRange {
  prefix: string;
  from: number;
  to: number;
}

/** A port or port range, any protocol unless one is named. */
export interface PortSelector {
  from: number;
  to: number;
  protocol?: string;
}

export interface PolicyException {
  /** The policies it covers, as written (`SQ40104`, `[SQ40103, SQ40105]`, `SQ40103-SQ40108`). */
  policyText: string;
  policies: PolicyRange[];
  /** Glob on repo:tag (or on the repository when it has no tag), or an image ID; all images when absent. */
  image?: string;
  /** Glob on the file's absolute path; only file findings match. */
  path?: string;
  /** Only port findings match. */
  port?: PortSelector;
  /** An advisory ID or alias (CVE-2024-1234, GHSA-…, DSA-…); only vulnerability findings match. */
  advisory?: string;
  /** A package name glob or a purl prefix (`pkg:npm/lodash`); only vulnerability findings match. */
  package?: string;
  reason: string;
  /** YYYY-MM-DD: stops applying at 00:00 UTC on this date. */
  expires?: string;
  /** `FILE:LINE` of the exception, for reports. */
  source: string;
}

/** The post-build hook (`docker build` → a summary under "What's next"). */
export interface HookSettings {
  /** Seconds the hook may take after the build, from its start to its answer (default 10). */
  budgetSeconds?: number;
  /** Print one line for an image with no findings (default false: say nothing). */
  showClean?: boolean;
}

/** Matching installed packages against known vulnerabilities (check --vulns). */
export interface VulnerabilitySettings {
  /** On for every check, as `--vulns` (default false). */
  enabled?: boolean;
  /** An OSV directory or zip, as `--vuln-db` (absolute; relative paths are resolved against the file). */
  db?: string;
}

export interface PolicyConfig {
  failOn?: Severity;
  vulnerabilities?: VulnerabilitySettings;
  inherited?: InheritedMode;
  hook?: HookSettings;
  policies: Record<string, PolicySetting>;
  exceptions: PolicyException[];
  /** The files it came from, lowest precedence first. */
  files: string[];
}

export const EMPTY_CONFIG: PolicyConfig = { policies: {}, exceptions: [], files: [] };
