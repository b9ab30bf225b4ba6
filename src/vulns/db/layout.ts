// What a database directory holds. Written once by the importer, never
// changed afterwards (a newer database is a new directory):
//   meta.json          DbMeta: where the data came from, when, what is in it
//   advisories.ndjson  per ecosystem (sorted by name): one line per
//                      (advisory, package), trimmed to what the matcher needs
//                      and sorted by package, then one line with the
//                      ecosystem's index {package: [offset, length]} (the
//                      byte range of that package's lines)
// A lookup reads meta.json, then only the index lines of the ecosystems it
// needs and the byte ranges of the packages it needs: memory follows the
// question, not the size of the export.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Bump when the layout or the record shape changes. */
export const DB_FORMAT = 1;
export const META_FILE = 'meta.json';
export const DATA_FILE = 'advisories.ndjson';

export interface EcosystemMeta {
  ecosystem: string;
  /** Distinct advisories with at least one package in this ecosystem. */
  advisories: number;
  packages: number;
  /** Byte range of the ecosystem's index line in DATA_FILE. */
  index: [number, number];
}

export interface DbMeta {
  format: number;
  /** A URL for downloads, the absolute path for imports. */
  source: string;
  /** OSV folders downloaded (updates only). */
  folders?: string[];
  /** Fingerprint of an imported --vuln-db source, to notice it changed. */
  stamp?: string;
  downloaded?: string;
  imported: string;
  /** The newest `modified` of any advisory: how current the data is. */
  modified?: string;
  advisories: number;
  withdrawn: number;
  invalid: number;
  bytes: number;
  ecosystems: EcosystemMeta[];
}

export async function readMeta(dir: string): Promise<DbMeta> {
  const meta = JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as DbMeta;
  if (meta.format !== DB_FORMAT || !Array.isArray(meta.ecosystems)) {
    throw new Error(`format ${String(meta.format)}, this version reads format ${DB_FORMAT}`);
  }
  return meta;
}
