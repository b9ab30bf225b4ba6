// --vuln-db DIR|ZIP: a local OSV export imported once into the cache, under a
// directory named after the source's path, and imported again when the
// source changes (its fingerprint: size and mtime of a zip; count, sizes and
// newest mtime of a directory's JSON files and folders).
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { VulnDbError } from './errors.js';
import { importOsv } from './import.js';
import { readMeta } from './layout.js';
import { buildAndPublish, currentDir } from './swap.js';

/** Where the imported copy of a source lives. */
export function sourceRoot(cacheRoot: string, sourcePath: string): string {
  const key = createHash('sha256').update(sourcePath).digest('hex').slice(0, 16);
  return join(cacheRoot, 'osv', 'vuln-db', key);
}

/** What changes when the source does. */
export async function fingerprint(sourcePath: string): Promise<string> {
  const info = await stat(sourcePath);
  if (!info.isDirectory()) return JSON.stringify({ path: sourcePath, size: info.size, mtime: info.mtimeMs });
  let files = 0;
  let bytes = 0;
  let newest = info.mtimeMs;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        newest = Math.max(newest, (await stat(path)).mtimeMs);
        await walk(path);
      } else if (entry.isFile() && entry.name.endsWith('.json')) {
        const s = await stat(path);
        files++;
        bytes += s.size;
        newest = Math.max(newest, s.mtimeMs);
      }
    }
  };
  await walk(sourcePath);
  return JSON.stringify({ path: sourcePath, files, size: bytes, mtime: newest });
}

/** Makes sure the cache holds a current import of the source; returns its database root. */
export async function importedSource(
  sourcePath: string,
  cacheRoot: string,
  onProgress?: (message: string) => void,
): Promise<{ dbRoot: string; imported: boolean }> {
  let stamp: string;
  try {
    stamp = await fingerprint(sourcePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new VulnDbError(`--vuln-db ${sourcePath}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
  const dbRoot = sourceRoot(cacheRoot, sourcePath);
  const dir = await currentDir(dbRoot).catch(() => undefined);
  if (dir) {
    const meta = await readMeta(dir).catch(() => undefined);
    if (meta?.stamp === stamp) return { dbRoot, imported: false };
  }
  onProgress?.(`Importing the advisories of ${sourcePath} (once, until it changes)`);
  try {
    await buildAndPublish(dbRoot, (into) => importOsv([{ path: sourcePath, label: sourcePath }], into, onProgress, { source: sourcePath, stamp }));
  } catch (err) {
    throw new VulnDbError(`--vuln-db ${(err as Error).message}`);
  }
  return { dbRoot, imported: true };
}
