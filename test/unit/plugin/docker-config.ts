// Builds docker CLI configuration directories on disk for the plugin tests:
// config.json and contexts laid out as `docker context create` writes them.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TLS_FIXTURES = new URL('../../../../test/unit/plugin/fixtures/tls/', import.meta.url);

export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, TLS_FIXTURES));
}

export function fixturePath(name: string): string {
  return new URL(name, TLS_FIXTURES).pathname;
}

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function makeTemp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A fresh home directory; its docker config dir is `<home>/.docker`. */
export function tempHome(): { homeDir: string; dockerDir: string } {
  const homeDir = makeTemp('dsp-plugin-home-');
  const dockerDir = join(homeDir, '.docker');
  mkdirSync(dockerDir);
  return { homeDir, dockerDir };
}

export function tempDir(prefix = 'dsp-plugin-'): string {
  return makeTemp(prefix);
}

export function writeConfigJson(configDir: string, content: unknown): void {
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'config.json'), typeof content === 'string' ? content : JSON.stringify(content));
}

export interface ContextSpec {
  host?: string;
  skipTLSVerify?: boolean;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  /** Replace the whole meta.json (to test odd files). */
  rawMeta?: string;
}

/** Writes a context the way the docker CLI stores it (meta/<sha256>/meta.json, tls/<sha256>/docker/). */
export function writeContext(configDir: string, name: string, spec: ContextSpec): void {
  const id = createHash('sha256').update(name).digest('hex');
  const metaDir = join(configDir, 'contexts', 'meta', id);
  mkdirSync(metaDir, { recursive: true });
  const meta = {
    Name: name,
    Metadata: { Description: '' },
    Endpoints: { docker: { ...(spec.host === undefined ? {} : { Host: spec.host }), SkipTLSVerify: spec.skipTLSVerify ?? false } },
  };
  writeFileSync(join(metaDir, 'meta.json'), spec.rawMeta ?? JSON.stringify(meta));
  if (spec.tls) {
    const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const [part, data] of Object.entries(spec.tls)) {
      if (data) writeFileSync(join(tlsDir, `${part}.pem`), data);
    }
  }
}
