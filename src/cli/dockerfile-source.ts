// Which Dockerfile to line the image up with: the one --dockerfile names (a
// file, or a directory holding one, as `docker build -f` / a build context
// takes it), or else ./Dockerfile when there is one. The explicit one must be
// readable and have a FROM; an auto-found one that is not is ignored (it may
// have nothing to do with the image).
import { readFileSync, statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDockerfile, resolveStage } from '../image/dockerfile.js';
import type { KnownDockerfile } from './find-boundary.js';
import { UsageError } from './usage-error.js';

export type { KnownDockerfile } from './find-boundary.js';

// The names `docker build` looks for in a directory, in its order.
const DEFAULT_NAMES = ['Dockerfile', 'dockerfile'];

export function dockerfileSource(explicit: string | undefined, cwd: string): KnownDockerfile | undefined {
  if (explicit !== undefined) return explicitDockerfile(explicit, cwd);
  return autoDockerfile(cwd);
}

function explicitDockerfile(given: string, cwd: string): KnownDockerfile {
  if (given.trim() === '') throw new UsageError('--dockerfile needs a path');
  let path = given;
  if (isDirectory(resolve(cwd, given))) {
    const name = DEFAULT_NAMES.find((n) => isFile(resolve(cwd, given, n)));
    if (!name) throw new UsageError(`--dockerfile ${given} is a directory with no Dockerfile in it`);
    path = join(given, name);
  }
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read --dockerfile ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`);
  }
  const known = knownDockerfile(path, text);
  if (!known) throw new UsageError(`--dockerfile ${path} has no FROM instruction`);
  return known;
}

function autoDockerfile(cwd: string): KnownDockerfile | undefined {
  const name = DEFAULT_NAMES.find((n) => isFile(join(cwd, n)));
  if (!name) return undefined;
  try {
    const known = knownDockerfile(name, readFileSync(join(cwd, name), 'utf8'));
    return known && { ...known, auto: true };
  } catch {
    return undefined; // unreadable: as if it were not there
  }
}

/** The last stage's instruction chain, or undefined when the text has no FROM. */
function knownDockerfile(path: string, text: string): KnownDockerfile | undefined {
  const stage = resolveStage(parseDockerfile(text));
  return stage && { path, stage };
}

function isDirectory(path: string): boolean {
  return statOf(path)?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return statOf(path)?.isFile() ?? false;
}

// Missing or not permitted: reading it later says which.
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
