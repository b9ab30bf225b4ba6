// The certificates NODE_EXTRA_CA_CERTS names, for the one connection of ours
// that relies on Node's default CAs: a TLS daemon endpoint without a CA of
// its own. The plugin launcher (scripts/plugin-launcher.sh) starts node
// without NODE_EXTRA_CA_CERTS, which Node 20 parses at every start-up, and
// passes the path on as DSP_EXTRA_CA_CERTS.
import { readFileSync } from 'node:fs';
import { envValue, type Env } from './environment.js';
import { lazyModule } from '../lazy-module.js';

const tls = lazyModule<typeof import('node:tls')>('node:tls');

export const EXTRA_CA_VARIABLE = 'DSP_EXTRA_CA_CERTS';

/**
 * Node's bundled CAs plus the extra ones, as NODE_EXTRA_CA_CERTS would have
 * made them; undefined (Node's defaults) without the variable or when its
 * file cannot be read, which Node too skips.
 */
export function defaultCasWithExtra(env: Env): string[] | undefined {
  const path = envValue(env, EXTRA_CA_VARIABLE);
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return [...tls().rootCertificates, pem];
}
