// Opens the advisory database when the vulnerability policies run (check
// --vulns, the configuration, watch, audit): before any image is read, so a
// missing database is one line and exit 2, not a failure per image.
import type { CheckSetup } from './check-setup.js';
import type { ImageFacts } from '../image/facts.js';
import { inventoryOf } from '../sbom/inventory.js';
import { advisoryNameOf } from '../sbom/ecosystem.js';
import { openVulnDb } from '../vulns/db/open.js';
import { VulnDbError } from '../vulns/db/errors.js';
import { UsageError } from './usage-error.js';

export async function attachAdvisories(setup: CheckSetup, onProgress?: (message: string) => void): Promise<void> {
  if (!setup.vulns.enabled) return;
  try {
    const db = await openVulnDb({ ...(setup.vulns.source ? { source: setup.vulns.source } : {}), ...(onProgress ? { onProgress } : {}) });
    setup.options.advisories = { forImage: (facts) => db.lookup(packageKeysOf(facts)) };
  } catch (err) {
    if (err instanceof VulnDbError) throw new UsageError(err.message);
    throw err;
  }
}

/** The (ecosystem, advisory name) of every package in the image, once each. */
function packageKeysOf(facts: ImageFacts): Array<{ ecosystem: string; name: string }> {
  const keys = new Map<string, { ecosystem: string; name: string }>();
  for (const c of inventoryOf(facts).components) {
    if (!c.ecosystem) continue;
    const name = advisoryNameOf(c);
    keys.set(`${c.ecosystem}\0${name}`, { ecosystem: c.ecosystem, name });
  }
  return [...keys.values()];
}
