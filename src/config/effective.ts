// The engine's options from the merged configuration plus the command line:
// flags win (--fail-on, --policy = only these, --skip).
import type { EngineOptions } from '../policies/engine.js';
import type { Severity } from '../policies/rule.js';
import type { PolicyConfig } from './model.js';

export const DEFAULT_FAIL_ON: Severity = 'high';

export interface FlagChoices {
  failOn?: Severity;
  only?: string[];
  skip?: string[];
  now?: Date;
}

export function engineOptions(config: PolicyConfig, flags: FlagChoices = {}): EngineOptions {
  const options: EngineOptions = {
    failOn: flags.failOn ?? config.failOn ?? DEFAULT_FAIL_ON,
    inherited: config.inherited ?? 'warn',
    only: new Set(flags.only ?? []),
    skip: new Set(flags.skip ?? []),
    policies: config.policies,
    exceptions: config.exceptions,
  };
  if (flags.now) options.now = flags.now;
  return options;
}
