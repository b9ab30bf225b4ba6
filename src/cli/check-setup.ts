// The settings (check-settings.ts) and the rules they select: what the
// commands that check images run with.
import { allRules } from '../policies/rules/index.js';
import { selectRules } from '../policies/engine.js';
import type { CheckOptions } from './check-image.js';
import { checkSettings, type CheckSettings, type PolicyFlags } from './check-settings.js';

export { policyIds, policyOptions, type PolicyFlags } from './check-settings.js';

export interface CheckSetup extends Pick<CheckSettings, 'catalog' | 'config' | 'engine' | 'vulns'> {
  options: CheckOptions;
}

export function checkSetup(flags: PolicyFlags, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): CheckSetup {
  return withRules(checkSettings(flags, cwd, env));
}

/** The settings with the rules they select. */
export function withRules(settings: CheckSettings): CheckSetup {
  const { catalog, config, engine, vulns, noLayers, cache, outlines } = settings;
  const options: CheckOptions = { rules: selectRules(allRules, engine), catalog, engine, noLayers, outlines, ...(cache ? { cache } : {}) };
  return { catalog, config, engine, options, vulns };
}
