// `db update` and `db import`: build a complete new database beside the
// current one, then swap (swap.ts). Any failure leaves the current database
// as it was and removes what was built.
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cacheRoot as defaultCacheRoot } from '../../cache/layer-cache.js';
import { download } from './download.js';
import { reason, VulnDbError } from './errors.js';
import { importOsv, type ImportSource } from './import.js';
import type { DbMeta } from './layout.js';
import { downloadFolders } from './names.js';
import { osvRoot } from './open.js';
import { buildAndPublish } from './swap.js';

export const DEFAULT_OSV_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

export type UpdateProgress =
  | { phase: 'download'; ecosystem: string; bytes: number; total?: number }
  | { phase: 'import'; message: string };

export interface UpdateOptions {
  /** OSV ecosystems (`Debian:12`, `npm`, …); releases download their base's folder. */
  ecosystems: string[];
  /** Default: $DSP_OSV_URL, else OSV's public bucket. */
  baseUrl?: string;
  cacheRoot?: string;
  onProgress?: (progress: UpdateProgress) => void;
  /** Seconds without a byte before a download is given up (default 60). */
  stallSeconds?: number;
}

export interface UpdateResult {
  /** The new database directory (what `current` points to now). */
  path: string;
  meta: DbMeta;
  /** The first few files skipped as invalid, with why. */
  invalidFiles: string[];
}

/** The OSV export URL of a folder. */
export function exportUrl(baseUrl: string, folder: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(folder)}/all.zip`;
}

/** Downloads the ecosystems' OSV exports and makes them the current database (all or nothing). */
export async function updateDb(options: UpdateOptions): Promise<UpdateResult> {
  const folders = downloadFolders(options.ecosystems);
  if (folders.length === 0) throw new VulnDbError('no ecosystem to download: name one with --ecosystem (e.g. Debian, Alpine, npm, PyPI)');
  const baseUrl = options.baseUrl ?? process.env.DSP_OSV_URL ?? DEFAULT_OSV_URL;
  const root = osvRoot(options.cacheRoot ?? defaultCacheRoot());
  const progress = options.onProgress;
  try {
    const { dir, result } = await buildAndPublish(root, async (into) => {
      const sources: ImportSource[] = [];
      const downloaded = new Date().toISOString();
      for (const [i, folder] of folders.entries()) {
        const file = join(into, `download-${i}.zip`);
        try {
          await download(exportUrl(baseUrl, folder), file, {
            onBytes: (bytes, total) => progress?.({ phase: 'download', ecosystem: folder, bytes, ...(total !== undefined ? { total } : {}) }),
            ...(options.stallSeconds !== undefined ? { stallMs: options.stallSeconds * 1000 } : {}),
          });
        } catch (err) {
          throw new Error(`${folder}: ${reason(err)}`);
        }
        sources.push({ path: file, label: folder });
      }
      try {
        return await importOsv(sources, into, (message) => progress?.({ phase: 'import', message }), { source: baseUrl, folders, downloaded });
      } finally {
        await Promise.all(sources.map((s) => rm(s.path, { force: true })));
      }
    });
    return { path: dir, meta: result.meta, invalidFiles: result.invalidFiles };
  } catch (err) {
    if (err instanceof VulnDbError) throw err;
    throw new VulnDbError(`vulnerability database not updated (the previous one stays): ${reason(err)}`);
  }
}

export interface InstallOptions {
  cacheRoot?: string;
  onProgress?: (message: string) => void;
}

/** Imports a local OSV directory or zip as the current database (all or nothing). */
export async function installDb(source: string, options: InstallOptions = {}): Promise<UpdateResult> {
  const path = resolve(source);
  const root = osvRoot(options.cacheRoot ?? defaultCacheRoot());
  try {
    const { dir, result } = await buildAndPublish(root, (into) => importOsv([{ path, label: source }], into, options.onProgress, { source: path }));
    return { path: dir, meta: result.meta, invalidFiles: result.invalidFiles };
  } catch (err) {
    throw new VulnDbError(`vulnerability database not imported (the previous one stays): ${reason(err)}`);
  }
}
