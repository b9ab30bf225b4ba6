// Reading a named context from the docker CLI's context store
// (cli/context/store): <configDir>/contexts/meta/<sha256(name)>/meta.json holds
// {"Name", "Metadata", "Endpoints": {"docker": {"Host", "SkipTLSVerify"}}};
// <configDir>/contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem the TLS files.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginError } from './errors.js';
import { errorText, field, isNotFound } from './config-dir.js';

/** The directory name of a context: hex sha256 of its name. */
export function contextId(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

export function contextMetaFile(configDir: string, name: string): string {
  return join(configDir, 'contexts', 'meta', contextId(name), 'meta.json');
}

export function contextTlsDir(configDir: string, name: string): string {
  return join(configDir, 'contexts', 'tls', contextId(name), 'docker');
}

export interface StoredDockerEndpoint {
  /** The endpoint's Host; empty means the default socket, as for docker. */
  host: string;
  skipTLSVerify: boolean;
  /** The files found in the context's TLS directory (none: undefined). */
  tlsFiles?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  metaFile: string;
}

/** The docker endpoint of a stored context; undefined when no such context exists. */
export function loadContextEndpoint(configDir: string, name: string): StoredDockerEndpoint | undefined {
  const metaFile = contextMetaFile(configDir, name);
  let text: string;
  try {
    text = readFileSync(metaFile, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new PluginError(`context "${name}": cannot read ${metaFile}: ${errorText(error)}`, { cause: error });
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (error) {
    throw new PluginError(`context "${name}": cannot parse ${metaFile}: ${errorText(error)}`, { cause: error });
  }
  const docker = field(field(meta, 'Endpoints'), 'docker');
  if (typeof docker !== 'object' || docker === null) {
    throw new PluginError(`context "${name}" has no docker endpoint (${metaFile}); recreate it with "docker context create"`);
  }
  const host = field(docker, 'Host');
  const skip = field(docker, 'SkipTLSVerify');
  const tlsFiles = readTlsFiles(contextTlsDir(configDir, name), name);
  return {
    host: typeof host === 'string' ? host : '',
    skipTLSVerify: skip === true,
    metaFile,
    ...(tlsFiles === undefined ? {} : { tlsFiles }),
  };
}

function readTlsFiles(dir: string, name: string): StoredDockerEndpoint['tlsFiles'] {
  const files = { ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem' } as const;
  const found: NonNullable<StoredDockerEndpoint['tlsFiles']> = {};
  for (const [part, file] of Object.entries(files) as Array<[keyof typeof files, string]>) {
    const path = join(dir, file);
    try {
      found[part] = readFileSync(path);
    } catch (error) {
      if (!isNotFound(error)) {
        throw new PluginError(`context "${name}": cannot read TLS file ${path}: ${errorText(error)}`, { cause: error });
      }
    }
  }
  return Object.keys(found).length === 0 ? undefined : found;
}
