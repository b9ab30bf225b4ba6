// Known vulnerabilities in installed packages (DSP105xx): off unless check
// --vulns or `vulnerabilities: {enabled: true}` in the configuration asks.
import type { Rule } from '../../rule.js';
import { knownVulnerabilities } from './DSP10501-02-known-vulnerabilities.js';

export const vulnRules: Rule[] = [knownVulnerabilities];
export { VULN_POLICY_IDS } from './ids.js';
