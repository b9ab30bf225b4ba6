// The `apk` scanner: Alpine (and Wolfi/Chainguard) packages from apk's
// installed database, `/lib/apk/db/installed` (`/usr/lib/apk/db/installed`
// where /lib is merged into /usr). One record per package, records separated
// by blank lines, each line `X:value` with a one-letter key: `P` name, `V`
// version, `A` arch, `L` licence (SPDX as the APKBUILD declares it), `o`
// origin (the APKBUILD the package was built from: advisories are filed
// under it; its version is the package's). The many `F:`/`R:`/`Z:` (files,
// checksums) lines are skipped. Each record with a name and version is one
// `package` hit (type `apk`); without an origin the package is its own source.
import type { FileScanner } from '../../image/file-scanner.js';
import { packageHit, type PackageRecord, type ScanHitBody } from '../package-record.js';

/** The database lists every installed file: a big image's is a few MiB. */
export const APK_MAX_BYTES = 64 * 1024 * 1024;
const APK_DATABASES = new Set(['/lib/apk/db/installed', '/usr/lib/apk/db/installed']);

type Fields = Partial<Record<'P' | 'V' | 'A' | 'L' | 'o', string>>;
const KEYS = new Set(['P', 'V', 'A', 'L', 'o']);

/** One record's fields (the first of each kept key wins). */
function recordOf(fields: Fields): PackageRecord | undefined {
  const { P: name, V: version } = fields;
  if (!name || !version) return undefined;
  const record: PackageRecord = { type: 'apk', name, version, sourceName: fields.o || name, sourceVersion: version, origin: 'installed' };
  if (fields.A) record.arch = fields.A;
  if (fields.L) record.license = fields.L;
  return record;
}

/** The packages of an installed database. */
export function parseApkInstalled(text: string): PackageRecord[] {
  const records: PackageRecord[] = [];
  let fields: Fields = {};
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Only `K:` lines matter; `F:`-like lines are the bulk and are skipped on their first two bytes.
    const key = text[start];
    if (end === start || (end === start + 1 && key === '\r')) {
      const record = recordOf(fields);
      if (record) records.push(record);
      fields = {};
    } else if (key !== undefined && KEYS.has(key) && text[start + 1] === ':') {
      const k = key as keyof Fields;
      fields[k] ??= text.slice(start + 2, end).replace(/\r$/, '').trim();
    }
    start = end + 1;
  }
  const last = recordOf(fields);
  if (last) records.push(last);
  return records;
}

export function scanApk(path: string, bytes: Buffer | undefined): ScanHitBody[] {
  if (!bytes) return [];
  return parseApkInstalled(bytes.toString('utf8')).map((r) => packageHit(path, r));
}

export const apkScanner: FileScanner = {
  id: 'apk',
  version: 1,
  maxBytes: APK_MAX_BYTES,
  wants: (path) => APK_DATABASES.has(path),
  scan: scanApk,
};
