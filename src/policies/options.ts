// Policy options: thresholds and lists a policy's words file declares with
// defaults (`options:` in policies/<ID>.yaml) and a configuration file may
// override (`policies: {ID: {options: {…}}}`). Rules read the resolved values.
import type { PolicyEntry } from './catalog.js';
import type { PolicySetting } from '../config/model.js';

export type OptionValue = number | string | boolean | string[];

export interface PolicyOption {
  default: OptionValue;
  /** What it sets, in a sentence (shown by `policies ID` and in config errors). */
  description: string;
  /** Bounds for numbers. */
  min?: number;
  max?: number;
  /** The values a string option may take. */
  choices?: string[];
}

export type OptionSpecs = Record<string, Record<string, PolicyOption>>;

/** The declared options of every policy that has some, by policy ID. */
export function optionSpecsOf(catalog: Map<string, PolicyEntry>): OptionSpecs {
  const specs: OptionSpecs = {};
  for (const [id, entry] of catalog) if (entry.options && Object.keys(entry.options).length > 0) specs[id] = entry.options;
  return specs;
}

/** A policy's option values: the declared defaults, overridden by the configuration. */
export function resolveOptions(
  entry: Pick<PolicyEntry, 'options'> | undefined,
  setting: PolicySetting | undefined,
): Record<string, OptionValue> {
  const values: Record<string, OptionValue> = {};
  for (const [name, spec] of Object.entries(entry?.options ?? {})) values[name] = spec.default;
  for (const [name, value] of Object.entries(setting?.options ?? {})) if (name in values) values[name] = value;
  return values;
}

/** The kind of value an option takes, from its default. */
export function optionType(spec: PolicyOption): 'integer' | 'number' | 'boolean' | 'string' | 'string list' {
  const d = spec.default;
  if (Array.isArray(d)) return 'string list';
  if (typeof d === 'number') return Number.isInteger(d) ? 'integer' : 'number';
  return typeof d === 'boolean' ? 'boolean' : 'string';
}
