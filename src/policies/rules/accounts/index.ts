// Accounts and password rules from the merged /etc files (DSP102xx).
import type { Rule } from '../../rule.js';

export const accountRules: Rule[] = [];
