// The build's last step: validates policies/*.yaml and writes them as one JSON
// file beside dist/src/policies/catalog.js, so that start-up does not parse
// YAML (src/policies/catalog.ts, compiledCatalogFile).
import { compileCatalog } from '../dist/src/policies/catalog.js';

try {
  const count = compileCatalog();
  process.stderr.write(`compile-catalog: ${count} policies\n`);
} catch (err) {
  process.stderr.write(`compile-catalog: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
