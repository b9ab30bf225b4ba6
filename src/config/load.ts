// Finds, parses and validates the configuration files, and merges them in
// precedence order: user file (XDG) < project file (./docker-security-policy.yaml
// or --config FILE). Command-line flags are applied on top by the caller.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import { yamlLib } from './yaml-positions.js';
import type { Severity } from '../policies/rule.js';
import { COMMAND } from '../plugin/metadata.js';
import { ConfigError } from './errors.js';
import type { HookSettings, InheritedMode, PolicyConfig, PolicyException, PolicySetting, VulnerabilitySettings } from './model.js';
import { EMPTY_CONFIG } from './model.js';
import { parsePolicyRef, parsePort, unknownIdsIn } from './selectors.js';
import { configSchema } from './schema.js';
import type { OptionSpecs } from '../policies/options.js';
import { compileSchema } from './validator.js';
import { keyAt, nodeAt, pointerSegments, positionOf } from './yaml-positions.js';

export const PROJECT_FILE = 'docker-security-policy.yaml';
/** Under the XDG config directory. */
export const USER_CONFIG_NAME = 'docker-security-policy/config.yaml';

export interface ConfigLocations {
  cwd: string;
  env: NodeJS.ProcessEnv;
  homeDir?: string;
  /** `--config FILE`: replaces the project file. */
  explicit?: string;
}

/** `$XDG_CONFIG_HOME/docker-security-policy/config.yaml` (default ~/.config). */
export function userConfigPath(env: NodeJS.ProcessEnv, homeDir = homedir()): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homeDir, '.config');
  return join(base, USER_CONFIG_NAME);
}

/** The files that apply, lowest precedence first. A missing --config file is an error; missing defaults are not. */
export function configFiles(where: ConfigLocations): string[] {
  const files: string[] = [];
  const user = userConfigPath(where.env, where.homeDir);
  if (existsSync(user)) files.push(user);
  if (where.explicit !== undefined) {
    const file = resolve(where.cwd, where.explicit);
    if (!existsSync(file)) throw new ConfigError(where.explicit, 1, 1, 'no such file (given with --config)');
    files.push(file);
  } else {
    const project = join(where.cwd, PROJECT_FILE);
    if (existsSync(project)) files.push(project);
  }
  return files;
}

/** Loads and merges every file that applies. */
export function loadConfig(where: ConfigLocations, policyIds: string[], optionSpecs: OptionSpecs = {}): PolicyConfig {
  let merged = EMPTY_CONFIG;
  for (const file of configFiles(where)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(file, 1, 1, `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    merged = mergeConfigs(merged, parseConfig(text, displayName(file, where.cwd), policyIds, optionSpecs));
  }
  return merged;
}

/** Later wins for scalars and per-policy fields; exceptions from both apply (the later file's first). */
export function mergeConfigs(under: PolicyConfig, over: PolicyConfig): PolicyConfig {
  const policies: Record<string, PolicySetting> = { ...under.policies };
  for (const [id, setting] of Object.entries(over.policies)) {
    const options = { ...policies[id]?.options, ...setting.options };
    policies[id] = { ...policies[id], ...setting, ...(Object.keys(options).length ? { options } : {}) };
  }
  const merged: PolicyConfig = {
    policies,
    exceptions: [...over.exceptions, ...under.exceptions],
    files: [...under.files, ...over.files],
  };
  const failOn = over.failOn ?? under.failOn;
  const inherited = over.inherited ?? under.inherited;
  if (failOn) merged.failOn = failOn;
  if (inherited) merged.inherited = inherited;
  if (under.hook || over.hook) merged.hook = { ...under.hook, ...over.hook };
  if (under.vulnerabilities || over.vulnerabilities) merged.vulnerabilities = { ...under.vulnerabilities, ...over.vulnerabilities };
  return merged;
}

interface RawException {
  policy: string | string[];
  image?: string;
  path?: string;
  port?: number | string;
  advisory?: string;
  package?: string;
  reason: string;
  expires?: string;
}

interface RawConfig {
  version?: 1;
  failOn?: Severity;
  inherited?: InheritedMode;
  policies?: Record<string, PolicySetting | null> | null;
  exceptions?: RawException[] | null;
  hook?: HookSettings | null;
  vulnerabilities?: VulnerabilitySettings | null;
}

const validators = new Map<string, ReturnType<typeof compileSchema>>();

function validatorFor(policyIds: string[], optionSpecs: OptionSpecs) {
  const key = policyIds.join(',') + JSON.stringify(optionSpecs);
  let validate = validators.get(key);
  if (!validate) {
    validate = compileSchema(configSchema(policyIds, optionSpecs));
    validators.set(key, validate);
  }
  return validate;
}

/** Parses one file's text; `file` is how errors name it. Throws ConfigError with FILE:LINE:COL. */
export function parseConfig(text: string, file: string, policyIds: string[], optionSpecs: OptionSpecs = {}): PolicyConfig {
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lines.linePos(syntax.pos[0]);
    throw new ConfigError(file, at.line, at.col, `invalid YAML: ${syntax.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const validate = validatorFor(policyIds, optionSpecs);
  if (!validate(data)) throw schemaError(validate.errors ?? [], doc, lines, file);
  const raw = (data ?? {}) as RawConfig;

  const config: PolicyConfig = { policies: {}, exceptions: [], files: [file] };
  if (raw.failOn) config.failOn = raw.failOn;
  if (raw.inherited) config.inherited = raw.inherited;
  if (raw.vulnerabilities) {
    const v: VulnerabilitySettings = {};
    if (raw.vulnerabilities.enabled !== undefined) v.enabled = raw.vulnerabilities.enabled;
    // Relative to the file, like any path a configuration names.
    if (raw.vulnerabilities.db !== undefined) v.db = isAbsolute(raw.vulnerabilities.db) ? raw.vulnerabilities.db : resolve(dirname(file), raw.vulnerabilities.db);
    config.vulnerabilities = v;
  }
  if (raw.hook) {
    const hook: HookSettings = {};
    if (raw.hook.budgetSeconds !== undefined) hook.budgetSeconds = raw.hook.budgetSeconds;
    if (raw.hook.showClean !== undefined) hook.showClean = raw.hook.showClean;
    config.hook = hook;
  }
  for (const [id, setting] of Object.entries(raw.policies ?? {})) {
    const { options, ...rest } = setting ?? {};
    config.policies[id] = { ...rest, ...(options ? { options: { ...options } } : {}) };
  }
  (raw.exceptions ?? []).forEach((e, i) => {
    config.exceptions.push(toException(e, i, { doc, lines, file, policyIds }));
  });
  return config;
}

interface Source {
  doc: Document;
  lines: LineCounter;
  file: string;
  policyIds: string[];
}

function toException(raw: RawException, index: number, src: Source): PolicyException {
  const refs = Array.isArray(raw.policy) ? raw.policy : [raw.policy];
  const policies = refs.map((ref, j) => {
    const path = Array.isArray(raw.policy) ? ['exceptions', index, 'policy', j] : ['exceptions', index, 'policy'];
    const fail = (problem: string): never => {
      const at = positionOf(nodeAt(src.doc, path), src.lines);
      throw new ConfigError(src.file, at.line, at.col, problem);
    };
    const range = parsePolicyRef(ref);
    if (!range) return fail(`"${ref}" is not a policy ID or range; expected e.g. SQ40104 or SQ40103-SQ40108`);
    if (range.from > range.to) return fail(`the range ${ref} runs backwards; expected the lower ID first`);
    const unknown = unknownIdsIn(range, ref, src.policyIds);
    if (unknown) return fail(unknown);
    return range;
  });
  const at = positionOf(nodeAt(src.doc, ['exceptions', index]), src.lines);
  const exception: PolicyException = {
    policyText: refs.join(', '),
    policies,
    reason: raw.reason.trim(),
    source: `${src.file}:${at.line}`,
  };
  if (raw.image !== undefined) exception.image = raw.image.trim();
  if (raw.path !== undefined) exception.path = raw.path;
  if (raw.port !== undefined) {
    const port = parsePort(raw.port);
    if (!port) {
      const p = positionOf(nodeAt(src.doc, ['exceptions', index, 'port']), src.lines);
      throw new ConfigError(src.file, p.line, p.col, `port ${raw.port} is out of range; expected a port such as 22, 22/tcp or 20-21/tcp`);
    }
    exception.port = port;
  }
  if (raw.advisory !== undefined) exception.advisory = raw.advisory;
  if (raw.package !== undefined) exception.package = raw.package;
  if (raw.expires !== undefined) exception.expires = raw.expires;
  return exception;
}

/** The first problem in file order, worded for a person: what is wrong and what is expected. */
function schemaError(errors: ErrorObject[], doc: Document, lines: LineCounter, file: string): ConfigError {
  const placed = errors
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const segments = pointerSegments(e.instancePath);
      const extra = e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty) : undefined;
      const node = extra !== undefined ? keyAt(doc, segments, extra) : nodeAt(doc, segments);
      return { error: e, depth: segments.length, pos: positionOf(node, lines) };
    });
  // Deepest first at the earliest position: the most specific complaint.
  // anyOf carries the words for all its branches, so it beats their own complaints.
  const rank = (e: ErrorObject): number => (e.keyword === 'anyOf' ? 0 : 1);
  placed.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col || b.depth - a.depth || rank(a.error) - rank(b.error));
  const first = placed[0];
  if (!first) return new ConfigError(file, 1, 1, 'invalid configuration');
  const more = new Set(placed.map((p) => `${p.pos.line}:${p.pos.col}`)).size - 1;
  const suffix = more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : '';
  return new ConfigError(file, first.pos.line, first.pos.col, describeError(first.error) + suffix);
}

function describeError(e: ErrorObject): string {
  const schema = (e.parentSchema ?? {}) as { 'x-expected'?: string; 'x-unknown-key'?: string; properties?: object };
  const expected = schema['x-expected'];
  const got = e.data === undefined ? '' : ` (got ${describeValue(e.data)})`;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      const what = schema['x-unknown-key'];
      // Policy IDs are too many to list: the `policies` command shows them.
      if (what) return `unknown ${what} "${name}"; \`${COMMAND} policies\` lists them`;
      return `unknown key "${name}"; expected one of: ${Object.keys(schema.properties ?? {}).join(', ')}`;
    }
    case 'required':
      return `missing "${(e.params as { missingProperty: string }).missingProperty}"; expected ${expected ?? 'it'}`;
    case 'not': {
      const inner = (e.schema ?? {}) as { 'x-expected'?: string };
      return inner['x-expected'] ? `expected ${inner['x-expected']}` : 'this combination is not allowed';
    }
    default:
      return `expected ${expected ?? e.message ?? 'something else'}${got}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function displayName(file: string, cwd: string): string {
  return file.startsWith(cwd + '/') ? file.slice(cwd.length + 1) : file;
}
