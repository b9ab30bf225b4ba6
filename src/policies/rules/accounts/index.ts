// Accounts and password rules from the merged /etc files (DSP102xx).
import type { Rule } from '../../rule.js';
import { emptyPassword } from './DSP10201-empty-password.js';
import { accountIdentity } from './DSP10202-05-account-identity.js';
import { passwordHashes } from './DSP10206-08-password-hashes.js';
import { unneededPassword } from './DSP10209-unneeded-password.js';
import { hashInPasswd } from './DSP10210-hash-in-passwd.js';
import { passwordRules } from './DSP10211-13-password-rules.js';

export const accountRules: Rule[] = [emptyPassword, accountIdentity, passwordHashes, unneededPassword, hashInPasswd, passwordRules];
