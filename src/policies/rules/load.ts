// The rules one run needs, loaded for it: the layer rules (and the scanners,
// parsers and databases they bring) only when the layers will be read and a
// policy of theirs is enabled. A config-only check starts that much sooner.
import type { Rule } from '../rule.js';
import { configRules } from './config-rules.js';

export interface RuleChoice {
  /** False for --no-layers. */
  layers: boolean;
  /** The enabled image policies (catalog entries the engine's selection keeps). */
  enabledPolicies: string[];
}

export async function loadRules(choice: RuleChoice): Promise<Rule[]> {
  if (!choice.layers) return configRules;
  const configIds = new Set(configRules.flatMap((r) => r.ids));
  if (choice.enabledPolicies.every((id) => configIds.has(id))) return configRules;
  const { layerRules } = await import('./layer-rules.js');
  return [...configRules, ...layerRules];
}
