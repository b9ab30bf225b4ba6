// Opens the advisory database when the vulnerability policies run (check
// --vulns, the configuration, watch, audit): before any image is read, so a
// missing database is one line and exit 2, not a failure per image.
import type { CheckSetup } from './check-setup.js';
import { openVulnDb } from '../vulns/db/open.js';
import { VulnDbError } from '../vulns/db/errors.js';
import { UsageError } from './usage-error.js';

export async function attachAdvisories(setup: CheckSetup, onProgress?: (message: string) => void): Promise<void> {
  if (!setup.vulns.enabled) return;
  try {
    const db = await openVulnDb({ ...(setup.vulns.source ? { source: setup.vulns.source } : {}), ...(onProgress ? { onProgress } : {}) });
    setup.options.advisories = { forPackages: (keys) => db.lookup(keys) };
  } catch (err) {
    if (err instanceof VulnDbError) throw new UsageError(err.message);
    throw err;
  }
}
