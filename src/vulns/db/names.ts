// How ecosystems and package names are keyed in the database, and which of
// OSV's export folders holds an ecosystem.

/** `Debian:12` → `Debian`; `npm` → `npm`. */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/**
 * The keys a lookup tries, most specific first: advisories filed against the
 * bare distribution (`Debian`) apply to every release of it (`Debian:12`).
 */
export function lookupEcosystems(ecosystem: string): string[] {
  const base = baseEcosystem(ecosystem);
  return base === ecosystem ? [ecosystem] : [ecosystem, base];
}

/**
 * The name a package is stored under: PyPI names are normalised per PEP 503
 * (pip treats `Foo_Bar`, `foo.bar` and `foo-bar` as one project, and OSV
 * advisories spell them either way); every other ecosystem compares exactly.
 */
export function packageKey(ecosystem: string, name: string): string {
  return baseEcosystem(ecosystem) === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/**
 * The folder of gs://osv-vulnerabilities whose all.zip holds an ecosystem.
 *
 * OSV's exporter used to write one folder per release (`Debian:11/`,
 * `Alpine:v3.19/`, `Ubuntu:22.04:LTS/`), but since late 2024 it exports only
 * the main ecosystem (`Debian/all.zip` with the advisories of every release,
 * each `affected[]` entry still naming its release); the per-release folders
 * left in the bucket are legacy and no longer updated (google/osv.dev#2969,
 * "only export vulnerabilities for the main ecosystem (e.g. Debian, Ubuntu)
 * instead of individual sub-ecosystems"). So `Debian:12` downloads `Debian`.
 */
export function downloadFolder(ecosystem: string): string {
  return baseEcosystem(ecosystem.trim());
}

/** The folders to download for these ecosystems, each once, in the order first named. */
export function downloadFolders(ecosystems: readonly string[]): string[] {
  return [...new Set(ecosystems.map(downloadFolder).filter((f) => f !== ''))];
}
