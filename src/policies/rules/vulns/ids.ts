// The vulnerability policies' IDs, apart from their rule so that the settings
// (which turn them off without an advisory database) need not load the rule.
export const WITH_FIX = 'DSP10501';
export const WITHOUT_FIX = 'DSP10502';

/** The policies that need an advisory database. */
export const VULN_POLICY_IDS: readonly string[] = [WITH_FIX, WITHOUT_FIX];
