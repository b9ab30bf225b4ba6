// The docker CLI's configuration directory and the one thing we read from its
// config.json: `currentContext` (cli/config/config.go).
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { GlobalOptions } from './argv.js';
import { envValue, type Env } from './environment.js';

/** --config, else DOCKER_CONFIG, else ~/.docker. */
export function resolveConfigDir(global: Pick<GlobalOptions, 'configDir'>, inputs: { env: Env; homeDir: string }): string {
  if (global.configDir !== undefined && global.configDir !== '') return normalize(global.configDir);
  return envConfigDir(inputs);
}

/**
 * DOCKER_CONFIG, else ~/.docker: the directory docker knows before parsing
 * flags. It is also the default TLS certificate directory for -H/--tls, even
 * when --config names another one (cli/flags/options.go InstallFlags).
 */
export function envConfigDir(inputs: { env: Env; homeDir: string }): string {
  return envValue(inputs.env, 'DOCKER_CONFIG') ?? join(inputs.homeDir, '.docker');
}

export interface CurrentContext {
  /** The `currentContext` of config.json, when set. */
  name?: string;
  /** Set when config.json exists but cannot be read; docker warns and goes on. */
  warning?: string;
}

export function readCurrentContext(configDir: string): CurrentContext {
  const file = join(configDir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return {};
    return { warning: `cannot read ${file}: ${errorText(error)}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { warning: `cannot parse ${file}: ${errorText(error)}` };
  }
  // Go's encoding/json matches keys case-insensitively.
  const value = field(parsed, 'currentContext');
  return typeof value === 'string' && value !== '' ? { name: value } : {};
}

/** An object's property, matched case-insensitively as Go's JSON decoder does. */
export function field(object: unknown, name: string): unknown {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  const record = object as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

export function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
