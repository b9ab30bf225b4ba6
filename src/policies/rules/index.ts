// Every rule: those that judge the config or history, then those that judge
// only the layers. Commands that check many images (watch, audit, the hook)
// load them all; `check` loads what its run needs (load.ts).
import type { Rule } from '../rule.js';
import { configRules } from './config-rules.js';
import { layerRules } from './layer-rules.js';

export const allRules: Rule[] = [...configRules, ...layerRules];
