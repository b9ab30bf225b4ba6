// The settings (check-settings.ts) with every rule: what the commands that
// check many images run with (watch, audit, the build hook). `check` loads
// only the rules its run needs (policies/rules/load.ts).
import { allRules } from '../policies/rules/index.js';
import { checkSettings, withRules, type CheckSetup, type PolicyFlags } from './check-settings.js';

export { policyIds, policyOptions, type CheckSetup, type PolicyFlags } from './check-settings.js';

export function checkSetup(flags: PolicyFlags, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): CheckSetup {
  return withRules(checkSettings(flags, cwd, env), allRules);
}
