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

/** `target`: the stage the image was built to (`docker build --target`); default the last. */
export function dockerfileSource(explicit: string | undefined, cwd: string, target?: string): KnownDockerfile | undefined {
  if (explicit !== undefined) return explicitDockerfile(explicit, cwd, target);
  return autoDockerfile(cwd, target);
}

function explicitDockerfile(given: string, cwd: string, target: string | undefined): KnownDockerfile {
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
  const stages = parseDockerfile(text);
  if (stages.length === 0) throw new UsageError(`--dockerfile ${path} has no FROM instruction`);
  const stage = resolveStage(stages, target);
  if (!stage) throw new UsageError(`--target ${target}: ${path} has no stage of that name or number`);
  return { path, stage };
}

function autoDockerfile(cwd: string, target: string | undefined): KnownDockerfile | undefined {
  const name = DEFAULT_NAMES.find((n) => isFile(join(cwd, n)));
  if (!name) return undefined;
  try {
    const known = knownDockerfile(name, readFileSync(join(cwd, name), 'utf8'), target);
    return known && { ...known, auto: true };
  } catch {
    return undefined; // unreadable: as if it were not there
  }
}

/** The target stage's instruction chain, or undefined when the text has no such stage (or no FROM). */
function knownDockerfile(path: string, text: string, target: string | undefined): KnownDockerfile | undefined {
  const stage = resolveStage(parseDockerfile(text), target);
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
