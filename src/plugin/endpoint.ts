// Which daemon to talk to, decided exactly as the docker CLI decides it
// (cli/command/cli.go resolveContextName, resolveDefaultDockerEndpoint;
// cli/context/docker/load.go):
//
//   --context and -H together    → error
//   --context NAME               → that context
//   -H HOST                      → the default context, with that host
//   DOCKER_HOST                  → the default context
//   DOCKER_CONTEXT               → that context
//   currentContext (config.json) → that context
//   otherwise                    → the default context (unix:///var/run/docker.sock)
//
// The default context takes its host from -H / DOCKER_HOST and its TLS from
// --tls*, DOCKER_TLS, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH. A named context
// takes everything from the context store; global TLS flags do not apply to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GlobalOptions } from './argv.js';
import { envConfigDir, errorText, isNotFound, readCurrentContext, resolveConfigDir } from './config-dir.js';
import { contextMetaFile, loadContextEndpoint } from './context-store.js';
import { hostTarget, parseDockerHost, type EndpointTarget, type TlsMaterial } from './docker-host.js';
import { envValue, type Env } from './environment.js';
import { PluginError } from './errors.js';

export type { EndpointTarget, TlsMaterial } from './docker-host.js';

export const DEFAULT_CONTEXT = 'default';

export const CONFLICTING_HOST_AND_CONTEXT = 'conflicting options: cannot specify both --host and --context';

/** Where the choice of daemon came from, coarse. */
export type EndpointSource = 'flag' | 'env' | 'context' | 'default';

/** Where the choice of daemon came from, exactly. */
export type EndpointOrigin = '--host' | '--context' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'currentContext' | 'none';

export type Endpoint = EndpointTarget & {
  /** The host URL, e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`. */
  url: string;
  /** For messages: the URL, or `context "x" (URL)` for a named context. */
  display: string;
  source: EndpointSource;
  origin: EndpointOrigin;
  /** The context used: "default" or a stored context's name. */
  context: string;
  configDir: string;
  /** Non-fatal problems docker would also only warn about. */
  warnings: string[];
};

export interface ResolveInputs {
  env: Env;
  homeDir: string;
}

export interface ContextChoice {
  name: string;
  origin: EndpointOrigin;
  source: EndpointSource;
  warnings: string[];
}

/** resolveContextName: the context to use and why. Reads config.json only when it matters. */
export function resolveContextName(global: GlobalOptions, inputs: ResolveInputs, configDir = resolveConfigDir(global, inputs)): ContextChoice {
  if (global.context !== undefined && global.context !== '' && global.hosts.length > 0) {
    throw new PluginError(CONFLICTING_HOST_AND_CONTEXT);
  }
  if (global.context !== undefined && global.context !== '') {
    return { name: global.context, origin: '--context', source: 'flag', warnings: [] };
  }
  if (global.hosts.length > 0) return { name: DEFAULT_CONTEXT, origin: '--host', source: 'flag', warnings: [] };
  if (envValue(inputs.env, 'DOCKER_HOST') !== undefined) {
    return { name: DEFAULT_CONTEXT, origin: 'DOCKER_HOST', source: 'env', warnings: [] };
  }
  const fromEnv = envValue(inputs.env, 'DOCKER_CONTEXT');
  if (fromEnv !== undefined) return { name: fromEnv, origin: 'DOCKER_CONTEXT', source: 'env', warnings: [] };
  const current = readCurrentContext(configDir);
  const warnings = current.warning === undefined ? [] : [current.warning];
  if (current.name !== undefined) return { name: current.name, origin: 'currentContext', source: 'context', warnings };
  return { name: DEFAULT_CONTEXT, origin: 'none', source: 'default', warnings };
}

export function resolveEndpoint(global: GlobalOptions, inputs: ResolveInputs): Endpoint {
  const configDir = resolveConfigDir(global, inputs);
  const choice = resolveContextName(global, inputs, configDir);
  const common = { source: choice.source, origin: choice.origin, context: choice.name, configDir };
  if (choice.name === DEFAULT_CONTEXT) {
    const resolved = defaultContextEndpoint(global, inputs, choice.origin);
    return { ...resolved.target, url: resolved.url, display: resolved.url, ...common, warnings: [...choice.warnings, ...resolved.warnings] };
  }
  const resolved = namedContextEndpoint(configDir, choice);
  return {
    ...resolved.target,
    url: resolved.url,
    display: `context "${choice.name}" (${resolved.url})`,
    ...common,
    warnings: [...choice.warnings, ...resolved.warnings],
  };
}

interface Resolved {
  target: EndpointTarget;
  url: string;
  warnings: string[];
}

/** resolveDefaultDockerEndpoint, with SetDefaultOptions' TLS rules. */
function defaultContextEndpoint(global: GlobalOptions, inputs: ResolveInputs, origin: EndpointOrigin): Resolved {
  const { env } = inputs;
  const tlsVerify = global.tlsVerify ?? envValue(env, 'DOCKER_TLS_VERIFY') !== undefined;
  // --tlsverify given at all (even =false), or DOCKER_TLS_VERIFY set, turns TLS on.
  const tls = global.tlsVerify !== undefined || tlsVerify || (global.tls ?? envValue(env, 'DOCKER_TLS') !== undefined);

  if (global.hosts.length > 1) throw new PluginError('specify only one -H');
  const raw = global.hosts[0] ?? env.DOCKER_HOST;
  const from = origin === '--host' ? '-H' : 'DOCKER_HOST';
  let url: string;
  let target: EndpointTarget;
  try {
    url = parseDockerHost(raw, tls);
    target = hostTarget(url, tls);
  } catch (error) {
    throw new PluginError(`invalid daemon host "${raw ?? ''}" (${from}): ${errorText(error)}`, { cause: error });
  }
  const warnings: string[] = [];
  if (tls && target.kind === 'tcp') {
    const material = defaultTlsMaterial(global, inputs, !tlsVerify, warnings);
    target = { ...target, tls: material };
  }
  return { target, url, warnings };
}

function defaultTlsMaterial(global: GlobalOptions, inputs: ResolveInputs, skipVerify: boolean, warnings: string[]): TlsMaterial {
  const certDir = envValue(inputs.env, 'DOCKER_CERT_PATH') ?? envConfigDir(inputs);
  const ca = readPem(global.tlsCaCert, join(certDir, 'ca.pem'), '--tlscacert');
  const cert = readPem(global.tlsCert, join(certDir, 'cert.pem'), '--tlscert');
  const key = readPem(global.tlsKey, join(certDir, 'key.pem'), '--tlskey');
  return tlsMaterial({ ca, cert, key }, !skipVerify, warnings, certDir);
}

/** An explicit path must be readable; a default one is used when present. */
function readPem(explicit: string | undefined, fallback: string, flag: string): Buffer | undefined {
  const path = explicit ?? fallback;
  try {
    return readFileSync(path);
  } catch (error) {
    if (explicit === undefined && isNotFound(error)) return undefined;
    throw new PluginError(`cannot read ${flag} file ${path}: ${errorText(error)}`, { cause: error });
  }
}

/** docker uses a client certificate only when both cert and key are there. */
function tlsMaterial(
  files: { ca?: Buffer | undefined; cert?: Buffer | undefined; key?: Buffer | undefined },
  verify: boolean,
  warnings: string[],
  where: string,
): TlsMaterial {
  const material: TlsMaterial = { verify };
  if (files.ca !== undefined) material.ca = files.ca;
  if (files.cert !== undefined && files.key !== undefined) {
    material.cert = files.cert;
    material.key = files.key;
  } else if (files.cert !== undefined || files.key !== undefined) {
    const missing = files.cert === undefined ? 'cert.pem' : 'key.pem';
    warnings.push(`TLS client certificate ignored: ${missing} is missing (${where})`);
  }
  return material;
}

function namedContextEndpoint(configDir: string, choice: ContextChoice): Resolved {
  const stored = loadContextEndpoint(configDir, choice.name);
  if (stored === undefined) {
    throw new PluginError(
      `context "${choice.name}" ${describeOrigin(choice.origin, configDir)} does not exist ` +
        `(no ${contextMetaFile(configDir, choice.name)}); run "docker context ls" to see the available contexts`,
    );
  }
  const url = stored.host === '' ? parseDockerHost('', false) : stored.host;
  // cli/context/docker/load.go tlsConfig: TLS when the context has TLS files or skips verification.
  const tls = stored.tlsFiles !== undefined || stored.skipTLSVerify;
  let target: EndpointTarget;
  try {
    target = hostTarget(url, tls);
  } catch (error) {
    throw new PluginError(`context "${choice.name}": ${errorText(error)} (${stored.metaFile})`, { cause: error });
  }
  const warnings: string[] = [];
  if (tls && target.kind === 'tcp') {
    target = { ...target, tls: tlsMaterial(stored.tlsFiles ?? {}, !stored.skipTLSVerify, warnings, `context "${choice.name}"`) };
  }
  return { target, url, warnings };
}

function describeOrigin(origin: EndpointOrigin, configDir: string): string {
  switch (origin) {
    case '--context':
      return '(from --context)';
    case 'DOCKER_CONTEXT':
      return '(from DOCKER_CONTEXT)';
    case 'currentContext':
      return `(the current context in ${join(configDir, 'config.json')})`;
    default:
      return '';
  }
}
