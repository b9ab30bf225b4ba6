// What a Java archive says about itself: Maven's `pom.properties`, the
// manifest's main section, and the archive's file name (`name-1.2.3.jar`).

export interface PomProperties {
  groupId: string;
  artifactId: string;
  version: string;
}

/** `key=value` (or `key: value`) lines of a Java properties file; `#`/`!` comments skipped. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    const eq = line.search(/[=:]/);
    if (eq <= 0) continue;
    out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

/**
 * `META-INF/maven/<groupId>/<artifactId>/pom.properties`: the properties, with
 * the directory names as fallback for missing keys. Undefined without a version.
 */
export function readPomProperties(entryName: string, text: string): PomProperties | undefined {
  const props = parseProperties(text);
  const parts = entryName.split('/');
  const groupId = props.get('groupId') || parts[2] || '';
  const artifactId = props.get('artifactId') || parts[3] || '';
  const version = props.get('version') ?? '';
  return groupId && artifactId && version ? { groupId, artifactId, version } : undefined;
}

/** The manifest's main section (up to the first blank line); 72-byte lines continue with a leading space. */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    if (line[0] === ' ') {
      if (key !== undefined) out.set(key, out.get(key) + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      key = undefined;
      continue;
    }
    key = line.slice(0, colon).trim();
    out.set(key, line.slice(colon + 1).trim());
  }
  return out;
}

/** `commons-lang3-3.12.0.jar` → name and version; undefined when the name carries no version. */
export function nameFromFileName(fileName: string): { name: string; version?: string } | undefined {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1).replace(/\.(?:jar|war|ear)$/i, '');
  if (!base) return undefined;
  // The version starts at the first `-<digit>` (names rarely have one: `log4j-1.2-api-2.20.0` is the exception).
  const m = /^(.+?)-(\d[\w.+~-]*)$/.exec(base);
  return m ? { name: m[1]!, version: m[2]! } : { name: base };
}

/** `Bundle-SymbolicName: org.foo.bar;singleton:=true` → `org.foo.bar`; also strips `Bundle-License` parameters. */
export function withoutParameters(value: string | undefined): string | undefined {
  const v = value?.split(';')[0]?.trim();
  return v || undefined;
}
