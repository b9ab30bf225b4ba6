// What every command that checks images needs first (check, the build hook,
// watch, audit): the catalog and the configuration merged with the flags.
// Bad input stops here with exit 2, before any daemon answer is used (`check`
// has asked its first questions meanwhile, answered while this loads). Light on purpose:
// `check` answers a re-check from its stored result with these alone, before
// the rules are loaded (withRules adds them: all of them in check-setup.ts,
// those the run needs in `check`).
import { optionSpecsOf } from '../policies/options.js';
import { COMMAND } from '../plugin/metadata.js';
import { loadCatalog, scopeOf, type PolicyEntry } from '../policies/catalog.js';
import { isEnabled, selectRules, type EngineOptions } from '../policies/engine.js';
import type { Rule, Severity } from '../policies/rule.js';
import type { CheckOptions } from './check-image.js';
import { loadConfig } from '../config/load.js';
import { engineOptions } from '../config/effective.js';
import type { PolicyConfig } from '../config/model.js';
import { localOutlines, type LocalOutlines } from './find-boundary.js';
import { layerCacheFromEnv, type LayerCache } from '../cache/layer-cache.js';
import { UsageError } from './usage-error.js';
import type { Argv } from 'yargs';
import { SEVERITIES } from '../policies/engine.js';
import { PROJECT_FILE } from '../config/load.js';
import { VULN_POLICY_IDS } from '../policies/rules/vulns/ids.js';

export interface PolicyFlags {
  failOn?: Severity;
  /** --config FILE */
  config?: string;
  policy?: string | string[];
  skip?: string | string[];
  /** false for --no-layers */
  layers?: boolean;
  /** --policy may name image policies only (check, watch, the hook). */
  imagePoliciesOnly?: boolean;
  /** false for --no-cache: no per-layer cache (DSP_CACHE_DIR, DSP_CACHE_MAX_MB=0 turns it off too) */
  cache?: boolean;
  /** --vulns: match packages against known vulnerabilities (also `vulnerabilities.enabled` in the config). */
  vulns?: boolean;
  /** --vuln-db DIR|ZIP: OSV advisories to use instead of the downloaded database. */
  vulnDb?: string;
}

/** The options every checking command takes (check, watch, audit): the PolicyFlags. */
export function policyOptions<T>(yargs: Argv<T>): Argv<T> {
  return yargs
    .option('fail-on', { choices: SEVERITIES, describe: 'lowest severity that fails [default: high, or failOn in the config]' })
    .option('config', { type: 'string', describe: `policy configuration file [default: ./${PROJECT_FILE}]` })
    // Not yargs arrays: those would swallow the image names that follow.
    .option('policy', { type: 'string', describe: 'run only this policy ID (repeat, or comma-separate)' })
    .option('skip', { type: 'string', describe: 'do not run this policy ID (repeat, or comma-separate)' })
    .option('layers', { type: 'boolean', default: true, describe: 'read the layers (--no-layers: config and history only)' })
    .option('cache', { type: 'boolean', default: true, describe: 'reuse cached layer facts and stored results (--no-cache: read every layer, judge afresh)' })
    .option('vulns', { type: 'boolean', describe: 'also match installed packages against known vulnerabilities (DSP10501, DSP10502) [default: vulnerabilities.enabled in the config]' })
    .option('vuln-db', { type: 'string', describe: 'a directory or zip of OSV advisories to match against [default: the database `db update` downloads]' }) as Argv<T>;
}

export interface CheckSettings {
  catalog: Map<string, PolicyEntry>;
  config: PolicyConfig;
  engine: EngineOptions;
  /** Whether the vulnerability policies run, and the advisories they use (undefined: the downloaded database). */
  vulns: { enabled: boolean; source?: string };
  /** --no-layers */
  noLayers: boolean;
  /** The per-layer (and result) cache, unless turned off. */
  cache?: LayerCache;
  outlines: LocalOutlines;
}

export function checkSettings(flags: PolicyFlags, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): CheckSettings {
  const catalog = loadCatalog();
  const only = policyIds(flags.policy);
  const skip = policyIds(flags.skip);
  for (const id of [...only, ...skip]) {
    const entry = catalog.get(id);
    if (!entry) throw new UsageError(`unknown policy ID ${id}; \`${COMMAND} policies\` lists them`);
    if (only.includes(id) && scopeOf(entry) !== 'image' && flags.imagePoliciesOnly) {
      throw new UsageError(`${id} is a ${scopeOf(entry)} policy: \`${COMMAND} audit\` evaluates it, not image checks`);
    }
  }
  const config = loadConfig({ cwd, env, explicit: flags.config }, [...catalog.keys()], optionSpecsOf(catalog));
  // The vulnerability policies need a database: they run only when asked for (flag, configuration, or --policy naming them).
  // --vuln-db alone means: use it.
  const enabled = flags.vulns === true || flags.vulnDb !== undefined || config.vulnerabilities?.enabled === true || only.some((id) => VULN_POLICY_IDS.includes(id));
  const source = flags.vulnDb ?? config.vulnerabilities?.db;
  const vulns = source ? { enabled, source } : { enabled };
  const engine = engineOptions(config, { failOn: flags.failOn, only, skip: vulns.enabled ? skip : [...skip, ...VULN_POLICY_IDS] });
  const cache = layerCacheFromEnv(env, flags.cache !== false);
  return { catalog, config, engine, vulns, noLayers: flags.layers === false, ...(cache ? { cache } : {}), outlines: localOutlines(cache) };
}

export interface CheckSetup extends Pick<CheckSettings, 'catalog' | 'config' | 'engine' | 'vulns'> {
  options: CheckOptions;
}

/** The settings with the rules they select from `rules`. */
export function withRules(settings: CheckSettings, rules: Rule[]): CheckSetup {
  const { catalog, config, engine, vulns, noLayers, cache, outlines } = settings;
  const options: CheckOptions = { rules: selectRules(rules, engine), catalog, engine, noLayers, outlines, ...(cache ? { cache } : {}) };
  return { catalog, config, engine, options, vulns };
}

/**
 * Where results are stored and looked up: the cache, for plain checks (not
 * --no-cache, not --vulns: advisories change without the image changing).
 */
export function resultCache(settings: Pick<CheckSettings, 'cache' | 'vulns'>): LayerCache | undefined {
  return settings.vulns.enabled ? undefined : settings.cache;
}

/** The image policies the settings enable, in catalog order. */
export function enabledImagePolicies(settings: Pick<CheckSettings, 'catalog' | 'engine'>): string[] {
  return [...settings.catalog.values()].filter((e) => scopeOf(e) === 'image' && isEnabled(e.id, settings.engine)).map((e) => e.id);
}

/** `--policy A --policy B,C` → [A, B, C], upper-cased. */
export function policyIds(value: string | string[] | undefined): string[] {
  return ([] as string[]).concat(value ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase()).filter(Boolean);
}
