// Publishing a database directory atomically. Under a root (e.g.
// `<cache>/osv`) each database lives in its own `db-<ms>-<pid>` directory,
// never changed once complete, and `current` is a symlink to one of them.
// A new database is built beside the old one and published by renaming a new
// symlink over `current` (atomic on POSIX): a reader resolves `current` once
// and sees the old database or the new one, never half of either. Readers
// keep the data file open, so removing an old directory does not disturb a
// reader already using it.
//
// Without locks, concurrent builders are kept apart by a `.building` marker:
// cleanup never removes a directory that still has one (unless it is stale,
// left by a process that died), and the marker goes only after the swap.
import { lstat, mkdir, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

export const CURRENT = 'current';
const BUILDING = '.building';
const DB_PREFIX = 'db-';
/** A builder silent this long died midway. */
const STALE_BUILD_MS = 6 * 60 * 60 * 1000;

/** The directory `current` points to, or undefined when there is none yet. */
export async function currentDir(root: string): Promise<string | undefined> {
  try {
    return join(root, await readlink(join(root, CURRENT)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A new, empty, marked-as-building directory `db-<ms>-<pid>` under root. */
export async function freshDir(root: string): Promise<string> {
  await mkdir(root, { recursive: true });
  for (let n = 0; ; n++) {
    const dir = join(root, `${DB_PREFIX}${Date.now()}-${process.pid}${n ? `-${n}` : ''}`);
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    await writeFile(join(dir, BUILDING), `${process.pid}\n`);
    return dir;
  }
}

/** Points `current` at dir (atomically), then removes the databases no longer current. */
export async function publish(root: string, dir: string): Promise<void> {
  const temp = join(root, `.${CURRENT}-${process.pid}-${Date.now()}`);
  await symlink(basename(dir), temp);
  try {
    await rename(temp, join(root, CURRENT));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await rm(join(dir, BUILDING), { force: true });
  await removeOld(root);
}

/** Removes a directory that will not be published. */
export async function discard(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Every `db-*` directory but the current one and those still being built. */
export async function removeOld(root: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(DB_PREFIX)) continue;
    const dir = join(root, name);
    if (await isBuilding(dir)) continue;
    // Re-read per directory: another process may have published meanwhile.
    const current = await currentDir(root).catch(() => undefined);
    if (current && basename(current) === name) continue;
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
  // Symlinks left by a process that died between symlink and rename.
  for (const name of names) {
    if (!name.startsWith(`.${CURRENT}-`)) continue;
    const info = await lstat(join(root, name)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_BUILD_MS) await rm(join(root, name), { force: true }).catch(() => {});
  }
}

async function isBuilding(dir: string): Promise<boolean> {
  try {
    const info = await stat(join(dir, BUILDING));
    return Date.now() - info.mtimeMs < STALE_BUILD_MS;
  } catch {
    return false;
  }
}

/**
 * Builds a database in a fresh directory and publishes it; when `build`
 * fails, the directory goes and `current` stays as it was.
 */
export async function buildAndPublish<T>(root: string, build: (dir: string) => Promise<T>): Promise<{ dir: string; result: T }> {
  const dir = await freshDir(root);
  try {
    const result = await build(dir);
    await publish(root, dir);
    return { dir, result };
  } catch (err) {
    await discard(dir);
    throw err;
  }
}
