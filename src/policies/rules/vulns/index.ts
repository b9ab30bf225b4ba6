// Known vulnerabilities in installed packages (DSP105xx): off unless check
// --vulns or `vulnerabilities: {enabled: true}` in the configuration asks.
import type { Rule } from '../../rule.js';
import { knownVulnerabilities, WITH_FIX, WITHOUT_FIX } from './DSP10501-02-known-vulnerabilities.js';

export const vulnRules: Rule[] = [knownVulnerabilities];

/** The policies that need an advisory database. */
export const VULN_POLICY_IDS: readonly string[] = [WITH_FIX, WITHOUT_FIX];
