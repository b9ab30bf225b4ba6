// The policy catalog: policies/<ID>.yaml, one file per policy, holding the
// words (title, description, remediation, references) and default severity.
// Docs, the `policies` command and reports all read it from here.
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyModule } from '../lazy-module.js';
import type { Severity } from './rule.js';
import { optionType, type OptionValue, type PolicyOption } from './options.js';

/** What a policy judges: an image (`check`), a container or the daemon (`audit`). */
export type PolicyScope = 'image' | 'container' | 'daemon';
export const POLICY_SCOPES: readonly PolicyScope[] = ['image', 'container', 'daemon'];

export interface PolicyEntry {
  /** `SQ40101` or `DSP20101`; equals the file name. */
  id: string;
  title: string;
  severity: Severity;
  /** `P0` (highest) to `P4`, as Spectra Assure sets it. */
  priority: string;
  /** Effort to fix: high, medium or low. */
  effort: string;
  category: string;
  description: string;
  remediation: string;
  references: string[];
  /** What the policy judges; absent means `image` (scopeOf reads it). */
  scope?: PolicyScope;
  /** Settings the configuration may change, with their defaults (options.ts). */
  options?: Record<string, PolicyOption>;
}

/** The policy's scope, `image` when the entry names none. */
export function scopeOf(entry: PolicyEntry): PolicyScope {
  return entry.scope ?? 'image';
}

/** The catalog entries of one scope, in catalog order. */
export function policiesInScope(catalog: Map<string, PolicyEntry>, scope: PolicyScope): Map<string, PolicyEntry> {
  return new Map([...catalog].filter(([, entry]) => scopeOf(entry) === scope));
}

/** A malformed catalog file: names the file and what is wrong with it. */
export class CatalogError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'CatalogError';
  }
}

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const EFFORTS = ['high', 'medium', 'low'];
const FIELDS = ['id', 'title', 'severity', 'priority', 'effort', 'category', 'description', 'remediation', 'references', 'scope', 'options'] as const;

/** Where the catalog lives: `<root>/policies/`, from dist/src/policies/catalog.js. */
export const defaultCatalogDir = new URL('../../../policies/', import.meta.url);

/**
 * The default catalog, validated and compiled to JSON by `npm run build`
 * (scripts/compile-catalog.mjs): parsing 90-odd YAML files took ~0.2 s of
 * every start-up. It records the name, size and modification time of each
 * YAML file it came from (as make judges a target) and is used only while
 * they all still match, so an edited, added or removed policy file is never
 * shadowed by a stale build. Stat-ing the files is ~6 ms less of every
 * start-up than reading and hashing them.
 */
export const compiledCatalogFile = new URL('./catalog.json', import.meta.url);

interface CompiledCatalog {
  fingerprint: string;
  entries: PolicyEntry[];
}

const cache = new Map<string, Map<string, PolicyEntry>>();

/**
 * Loads and validates every `*.yaml` in the catalog directory (default: the
 * project's `policies/`). Cached per directory. Throws CatalogError naming the
 * file and the problem on the first malformed entry.
 */
export function loadCatalog(dir: string | URL = defaultCatalogDir, compiledFile?: URL): Map<string, PolicyEntry> {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const cached = cache.get(path);
  if (cached) return cached;

  const names = policyFileNames(path);
  const compiled = readCompiled(compiledFile ?? (path === fileURLToPath(defaultCatalogDir) ? compiledCatalogFile : undefined));
  const entries =
    compiled !== undefined && compiled.fingerprint === fingerprintOf(path, names)
      ? compiled.entries
      : readSources(path, names).map(({ file, name, text }) => parseEntry(file, name, text));
  const catalog = new Map(entries.map((entry) => [entry.id, entry]));
  cache.set(path, catalog);
  return catalog;
}

/**
 * Whether the compiled catalog still matches its YAML files, so that loading
 * reads it instead of parsing them. A copy that changes the files' times
 * (install.sh's) must compile it again.
 */
export function compiledCatalogIsCurrent(dir: string | URL = defaultCatalogDir, file: URL = compiledCatalogFile): boolean {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  return readCompiled(file)?.fingerprint === fingerprintOf(path, policyFileNames(path));
}

/** Writes a catalog (by default the project's), validated, as JSON (by default beside this module: the build's last step). */
export function compileCatalog(dir: string | URL = defaultCatalogDir, targetFile: URL = compiledCatalogFile): number {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const names = policyFileNames(path);
  const entries = readSources(path, names).map(({ file, name, text }) => parseEntry(file, name, text));
  const compiled: CompiledCatalog = { fingerprint: fingerprintOf(path, names), entries };
  const target = fileURLToPath(targetFile);
  writeFileSync(`${target}.tmp`, JSON.stringify(compiled));
  renameSync(`${target}.tmp`, target);
  return compiled.entries.length;
}

interface CatalogSource {
  file: string;
  name: string;
  text: string;
}

/** The policy files (`*.yaml`) of a catalog directory, sorted; an error when there are none. */
function policyFileNames(path: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path).filter((n) => n.endsWith('.yaml')).sort();
  } catch (err) {
    throw new CatalogError(path, `cannot read the policy catalog directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (names.length === 0) throw new CatalogError(path, 'no policy files (*.yaml) found');
  return names;
}

function readSources(path: string, names: string[]): CatalogSource[] {
  return names.map((name) => {
    const file = join(path, name);
    return { file, name, text: readFileSync(file, 'utf8') };
  });
}

/** Each file's name, size and modification time: what the compiled catalog is checked against. */
function fingerprintOf(path: string, names: string[]): string {
  return names
    .map((name) => {
      const stat = statSync(join(path, name));
      return `${name}\0${stat.size}\0${stat.mtimeMs}`;
    })
    .join('\0');
}

function readCompiled(file: URL | undefined): CompiledCatalog | undefined {
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CompiledCatalog;
  } catch {
    return undefined; // not built (tests, a private build): parse the YAML
  }
}

// The YAML parser is loaded only when a file is parsed (see compiledCatalogFile).
const yamlLib = lazyModule<typeof import('yaml')>('yaml');

/** Forgets cached catalogs (tests). */
export function clearCatalogCache(): void {
  cache.clear();
}

/** Validates one catalog file's text; `name` is its file name (`SQ40101.yaml`). */
export function parseEntry(file: string, name: string, text: string): PolicyEntry {
  let doc: unknown;
  const { parse, YAMLParseError } = yamlLib();
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      throw new CatalogError(at ? `${file}:${at.line}` : file, `invalid YAML: ${err.message.split('\n')[0]}`);
    }
    throw err;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CatalogError(file, 'expected a mapping of id, title, severity, … at the top level');
  }
  const obj = doc as Record<string, unknown>;

  const unknown = Object.keys(obj).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length) {
    throw new CatalogError(file, `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (allowed: ${FIELDS.join(', ')})`);
  }

  const str = (field: (typeof FIELDS)[number]): string => {
    const value = obj[field];
    if (value === undefined || value === null) throw new CatalogError(file, `missing field "${field}"`);
    if (typeof value !== 'string' || value.trim() === '') {
      throw new CatalogError(file, `"${field}" must be a non-empty string (got ${describe(value)})`);
    }
    return value.trim();
  };
  const oneOf = (field: (typeof FIELDS)[number], allowed: readonly string[]): string => {
    const value = str(field);
    if (!allowed.includes(value)) {
      throw new CatalogError(file, `"${field}" must be one of ${allowed.join(', ')} (got "${value}")`);
    }
    return value;
  };

  const id = str('id');
  if (!/^(?:SQ|DSP)\d{5}$/.test(id)) throw new CatalogError(file, `"id" must look like SQ40101 or DSP20101 (got "${id}")`);
  if (name !== `${id}.yaml`) throw new CatalogError(file, `"id" is ${id} but the file is named ${name}; name it ${id}.yaml`);

  const priority = str('priority');
  if (!/^P[0-4]$/.test(priority)) throw new CatalogError(file, `"priority" must be one of P0, P1, P2, P3, P4 (got "${priority}")`);

  const refs = obj.references;
  if (refs === undefined || refs === null) throw new CatalogError(file, 'missing field "references"');
  if (!Array.isArray(refs) || refs.length === 0) {
    throw new CatalogError(file, `"references" must be a non-empty list of URLs (got ${describe(refs)})`);
  }
  const references = refs.map((ref, i) => {
    if (typeof ref !== 'string' || !/^https?:\/\/\S+$/.test(ref)) {
      throw new CatalogError(file, `references[${i}] must be an http(s) URL (got ${describe(ref)})`);
    }
    return ref;
  });

  const entry: PolicyEntry = {
    id,
    title: str('title'),
    severity: oneOf('severity', SEVERITIES) as Severity,
    priority,
    effort: oneOf('effort', EFFORTS),
    category: str('category'),
    description: str('description'),
    remediation: str('remediation'),
    references,
    scope: obj.scope === undefined ? 'image' : (oneOf('scope', POLICY_SCOPES) as PolicyScope),
  };
  if (obj.options !== undefined) entry.options = parseOptions(file, obj.options);
  return entry;
}

function parseOptions(file: string, raw: unknown): Record<string, PolicyOption> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CatalogError(file, `"options" must be a mapping of option name to { default, description } (got ${describe(raw)})`);
  }
  const options: Record<string, PolicyOption> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const where = `options.${name}`;
    if (!/^[a-z][A-Za-z0-9]*$/.test(name)) throw new CatalogError(file, `option "${name}" must be a camelCase name`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new CatalogError(file, `"${where}" must be a mapping with default and description`);
    }
    const v = value as Record<string, unknown>;
    const unknown = Object.keys(v).filter((k) => !['default', 'description', 'min', 'max', 'choices'].includes(k));
    if (unknown.length) throw new CatalogError(file, `"${where}" has unknown field ${unknown.join(', ')} (allowed: default, description, min, max, choices)`);
    if (!isOptionValue(v.default)) {
      throw new CatalogError(file, `"${where}.default" must be a number, string, boolean or list of strings (got ${describe(v.default)})`);
    }
    if (typeof v.description !== 'string' || v.description.trim() === '') {
      throw new CatalogError(file, `"${where}.description" must be a non-empty string`);
    }
    const option: PolicyOption = { default: v.default, description: v.description.trim() };
    for (const bound of ['min', 'max'] as const) {
      if (v[bound] === undefined) continue;
      if (typeof v[bound] !== 'number' || typeof v.default !== 'number') {
        throw new CatalogError(file, `"${where}.${bound}" must be a number, on a number option`);
      }
      option[bound] = v[bound];
    }
    if (v.choices !== undefined) {
      if (!Array.isArray(v.choices) || !v.choices.every((c) => typeof c === 'string') || typeof v.default !== 'string' || !v.choices.includes(v.default)) {
        throw new CatalogError(file, `"${where}.choices" must list strings, the default among them, on a string option`);
      }
      option.choices = v.choices as string[];
    }
    if (optionType(option) === 'string list' && !(v.default as unknown[]).every((s) => typeof s === 'string')) {
      throw new CatalogError(file, `"${where}.default" must list strings only`);
    }
    options[name] = option;
  }
  return options;
}

function isOptionValue(v: unknown): v is OptionValue {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}
