// Remote-login and file-transfer services installed, started or configured (DSP103xx).
import type { Rule } from '../../rule.js';

export const remoteLoginRules: Rule[] = [];
