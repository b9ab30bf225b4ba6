// The local OSV advisory database: import, update (atomic swap), lookup.
export { VulnDbError } from './errors.js';
export { importOsv, type ImportOptions, type ImportResult, type ImportSource } from './import.js';
export { openVulnDb, osvRoot, type AdvisoryIndex, type DbStatus, type OpenOptions, type VulnDatabase } from './open.js';
export { DEFAULT_OSV_URL, exportUrl, installDb, updateDb, type InstallOptions, type UpdateOptions, type UpdateProgress, type UpdateResult } from './update.js';
export { baseEcosystem, downloadFolder, lookupEcosystems, packageKey } from './names.js';
