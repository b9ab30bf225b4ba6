// Buildx's local record of each build (docker/buildx localstate and
// build/localstate.go): before it solves, buildx writes
// `${BUILDX_CONFIG:-<docker config dir>/buildx}/refs/<builder>/<node>/<ref>`,
// a JSON `{"Target","LocalPath","DockerfilePath","GroupRef"}` with the
// absolute context directory and Dockerfile path (DockerfilePath is empty
// when the Dockerfile is the context's own, `-` for stdin, relative when the
// context is remote). `refs/__group__/` holds bake groups and `refs/version`
// the format version; neither is a build. The newest record therefore tells
// the build hook which Dockerfile `docker buildx build` (and `docker build`
// forwarded to buildx) just used.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { envValue, type Env } from './environment.js';
import { field } from './config-dir.js';

export interface BuildxRecord {
  builder: string;
  node: string;
  ref: string;
  /** When buildx wrote it: the build's start (ms since the epoch). */
  writtenAtMs: number;
  /** The context: an absolute directory, or a remote context's URL. */
  localPath: string;
  dockerfilePath: string;
  /** Bake's target name (`default` for `buildx build`), not a Dockerfile stage. */
  target: string;
}

const GROUP_DIR = '__group__';

/** `$BUILDX_CONFIG`, else `<docker config dir>/buildx` (buildx util/confutil). */
export function buildxDir(dockerConfigDir: string, env: Env): string {
  return envValue(env, 'BUILDX_CONFIG') ?? join(dockerConfigDir, 'buildx');
}

/**
 * The newest build record written at or after `sinceMs`; undefined when there
 * is none (no buildx, a classic build, an older build). Unreadable entries
 * are skipped.
 */
export function latestBuildxRecord(dir: string, sinceMs: number): BuildxRecord | undefined {
  const refs = join(dir, 'refs');
  let best: { builder: string; node: string; ref: string; mtimeMs: number } | undefined;
  for (const builder of subdirectories(refs)) {
    if (builder === GROUP_DIR) continue;
    for (const node of subdirectories(join(refs, builder))) {
      for (const ref of entries(join(refs, builder, node))) {
        if (!ref.isFile()) continue;
        const mtimeMs = statSync(join(refs, builder, node, ref.name), { throwIfNoEntry: false })?.mtimeMs;
        if (mtimeMs === undefined || mtimeMs < sinceMs) continue;
        if (!best || mtimeMs > best.mtimeMs) best = { builder, node, ref: ref.name, mtimeMs };
      }
    }
  }
  if (!best) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(refs, best.builder, best.node, best.ref), 'utf8'));
  } catch {
    return undefined;
  }
  const text = (name: string): string => {
    const value = field(parsed, name);
    return typeof value === 'string' ? value : '';
  };
  return {
    builder: best.builder,
    node: best.node,
    ref: best.ref,
    writtenAtMs: best.mtimeMs,
    localPath: text('LocalPath'),
    dockerfilePath: text('DockerfilePath'),
    target: text('Target'),
  };
}

/**
 * The Dockerfile a record names, as an absolute path or a directory that
 * holds it (the context, when DockerfilePath is empty); undefined for stdin,
 * inline and remote Dockerfiles and contexts.
 */
export function recordDockerfile(record: Pick<BuildxRecord, 'localPath' | 'dockerfilePath'>): string | undefined {
  const { localPath, dockerfilePath } = record;
  if (dockerfilePath === '-') return undefined;
  if (dockerfilePath !== '') return isAbsolute(dockerfilePath) ? dockerfilePath : undefined;
  return isAbsolute(localPath) ? localPath : undefined;
}

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function subdirectories(dir: string): string[] {
  return entries(dir)
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}
