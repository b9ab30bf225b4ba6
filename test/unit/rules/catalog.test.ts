import test from 'ava';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogError, clearCatalogCache, compileCatalog, compiledCatalogFile, compiledCatalogIsCurrent, defaultCatalogDir, loadCatalog, policiesInScope, scopeOf, type PolicyEntry } from '../../../src/policies/catalog.js';
import { allRules } from '../../../src/policies/rules/index.js';

// The reference table: severity, priority (current values), effort.
const TABLE: Record<string, [string, string, string]> = {
  SQ40101: ['medium', 'P1', 'medium'],
  SQ40102: ['medium', 'P2', 'medium'],
  SQ40103: ['high', 'P1', 'medium'],
  SQ40104: ['high', 'P1', 'medium'],
  SQ40105: ['high', 'P1', 'medium'],
  SQ40106: ['high', 'P1', 'medium'],
  SQ40107: ['high', 'P1', 'medium'],
  SQ40108: ['high', 'P1', 'medium'],
  SQ41101: ['low', 'P3', 'medium'],
  SQ41102: ['low', 'P3', 'medium'],
  SQ41103: ['low', 'P2', 'low'],
  SQ41104: ['low', 'P3', 'low'],
  SQ41105: ['low', 'P3', 'low'],
  SQ41106: ['low', 'P3', 'low'],
};

test('the catalog has exactly the 14 Spectra Assure image policies with the reference severity, priority and effort', (t) => {
  const catalog = loadCatalog();
  t.deepEqual([...policiesInScope(catalog, 'image').keys()].filter((id) => id.startsWith('SQ')).sort(), Object.keys(TABLE).sort());
  for (const [id, [severity, priority, effort]] of Object.entries(TABLE)) {
    const e = catalog.get(id)!;
    t.deepEqual([e.severity, e.priority, e.effort], [severity, priority, effort], id);
    t.is(e.scope, 'image', `${id} defaults to the image scope`);
    t.is(e.category, 'Container Security', id);
    t.true(e.references.includes(`https://docs.secure.software/policies/container-security/${id}`), `${id} links its docs page`);
    t.true(e.title.length > 10 && e.description.length > 80 && e.remediation.length > 40, `${id} has words`);
  }
});

test('every image rule id has a catalog entry and every image catalog entry has a rule, exactly once', (t) => {
  const catalog = loadCatalog();
  const ruleIds = allRules.flatMap((r) => r.ids);
  t.deepEqual([...new Set(ruleIds)].length, ruleIds.length, 'no policy is evaluated by two rules');
  t.deepEqual([...ruleIds].sort(), [...policiesInScope(catalog, 'image').keys()].sort());
});

// The runtime policies (`audit`): scope, severity, priority, effort.
const RUNTIME: Record<string, [string, string, string, string]> = {
  DSP20101: ['container', 'critical', 'P0', 'medium'],
  DSP20102: ['container', 'critical', 'P0', 'medium'],
  DSP20103: ['container', 'critical', 'P0', 'low'],
  DSP20104: ['container', 'high', 'P1', 'low'],
  DSP20105: ['container', 'high', 'P1', 'medium'],
  DSP20106: ['container', 'high', 'P1', 'medium'],
  DSP20107: ['container', 'medium', 'P2', 'medium'],
  DSP20108: ['container', 'low', 'P3', 'low'],
  DSP20109: ['container', 'high', 'P1', 'medium'],
  DSP20110: ['container', 'high', 'P1', 'medium'],
  DSP20111: ['container', 'medium', 'P2', 'medium'],
  DSP20112: ['container', 'medium', 'P2', 'low'],
  DSP20113: ['container', 'medium', 'P2', 'medium'],
  DSP20114: ['container', 'high', 'P1', 'medium'],
  DSP20115: ['container', 'high', 'P1', 'medium'],
  DSP20116: ['container', 'high', 'P1', 'medium'],
  DSP20117: ['container', 'high', 'P1', 'medium'],
  DSP20118: ['container', 'high', 'P1', 'medium'],
  DSP20119: ['container', 'high', 'P1', 'medium'],
  DSP20120: ['container', 'medium', 'P2', 'low'],
  DSP20121: ['container', 'low', 'P3', 'low'],
  DSP20122: ['container', 'low', 'P3', 'low'],
  DSP20123: ['container', 'low', 'P3', 'medium'],
  DSP30101: ['daemon', 'critical', 'P0', 'medium'],
  DSP30102: ['daemon', 'high', 'P1', 'low'],
  DSP30103: ['daemon', 'high', 'P1', 'low'],
  DSP30104: ['daemon', 'medium', 'P2', 'high'],
  DSP30105: ['daemon', 'medium', 'P2', 'low'],
  DSP30106: ['daemon', 'low', 'P3', 'low'],
  DSP30107: ['daemon', 'low', 'P3', 'low'],
  DSP30108: ['daemon', 'medium', 'P2', 'medium'],
};

test('the catalog has the runtime policies with their scope, severity, priority and effort, and words that say why and how', (t) => {
  const catalog = loadCatalog();
  const runtime = [...catalog.values()].filter((e) => scopeOf(e) !== 'image');
  t.deepEqual(runtime.map((e) => e.id).sort(), Object.keys(RUNTIME).sort());
  for (const [id, [scope, severity, priority, effort]] of Object.entries(RUNTIME)) {
    const e = catalog.get(id)!;
    t.deepEqual([e.scope, e.severity, e.priority, e.effort], [scope, severity, priority, effort], id);
    t.regex(id, scope === 'container' ? /^DSP2\d{4}$/ : /^DSP3\d{4}$/, `${id}: container policies are DSP2…, daemon policies DSP3…`);
    t.true(e.title.length > 10 && e.description.length > 200 && e.remediation.length > 100, `${id} has words`);
    t.regex(e.description, new RegExp(`Severity ${severity}`), `${id} justifies its severity`);
    t.true(e.references.some((r) => r.startsWith('https://docs.docker.com/')), `${id} links Docker's docs`);
    if (scope === 'container') {
      t.true(e.references.includes('https://docs.docker.com/reference/compose-file/services/'), `${id} links the compose reference`);
      t.true(e.references.includes('https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html'), `${id} links OWASP`);
      t.regex(e.remediation, /Compose:/, `${id} gives the compose key`);
      t.regex(e.remediation, /docker run|docker update/, `${id} gives the docker run option`);
    }
  }
});

test('every rule declares what it needs', (t) => {
  for (const rule of allRules) t.truthy(rule.needs, rule.ids.join(','));
  t.deepEqual(allRules.find((r) => r.ids.includes('SQ40102'))!.needs, { files: true });
  t.deepEqual(allRules.find((r) => r.ids.includes('SQ40101'))!.needs, { contents: ['/etc/passwd'] });
});

test('loadCatalog caches per directory', (t) => {
  t.is(loadCatalog(), loadCatalog());
});

const GOOD = `id: SQ49999
title: A test policy
severity: low
priority: P3
effort: low
category: Container Security
description: Why it matters.
remediation: |
  Do this.
references:
  - https://docs.secure.software/policies/container-security/SQ49999
`;

function withCatalog(files: Record<string, string>, run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-catalog-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    clearCatalogCache();
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    clearCatalogCache();
  }
}

test('a valid override directory loads', (t) => {
  withCatalog({ 'SQ49999.yaml': GOOD, 'README.md': 'not yaml' }, (dir) => {
    const e = loadCatalog(dir).get('SQ49999');
    t.is(e?.remediation, 'Do this.');
    t.is(e?.severity, 'low');
  });
});

const BAD: Array<[string, string, RegExp]> = [
  ['bad severity', GOOD.replace('severity: low', 'severity: hgh'), /SQ49999\.yaml: "severity" must be one of critical, high, medium, low \(got "hgh"\)/],
  ['missing title', GOOD.replace('title: A test policy\n', ''), /SQ49999\.yaml: missing field "title"/],
  ['unknown field', `${GOOD}sevrity: high\n`, /SQ49999\.yaml: unknown field sevrity/],
  ['priority out of range', GOOD.replace('priority: P3', 'priority: P7'), /"priority" must be one of P0, P1, P2, P3, P4 \(got "P7"\)/],
  ['numeric title', GOOD.replace('title: A test policy', 'title: 42'), /"title" must be a non-empty string \(got number 42\)/],
  ['references not a list', GOOD.replace(/references:\n.*\n/, 'references: https://x\n'), /"references" must be a non-empty list of URLs/],
  ['reference not a URL', GOOD.replace('  - https://docs', '  - docs'), /references\[0\] must be an http\(s\) URL/],
  ['id not matching file name', GOOD.replace('id: SQ49999', 'id: SQ49998'), /"id" is SQ49998 but the file is named SQ49999\.yaml/],
  ['not a mapping', '- a\n- b\n', /SQ49999\.yaml: expected a mapping/],
  ['invalid YAML', 'id: SQ49999\ntitle: [unclosed\n', /SQ49999\.yaml:\d+: invalid YAML/],
  ['bad scope', `${GOOD}scope: host\n`, /SQ49999\.yaml: "scope" must be one of image, container, daemon \(got "host"\)/],
  ['id outside our namespaces', GOOD.replace('id: SQ49999', 'id: XX49999'), /"id" must look like SQ40101 or DSP20101 \(got "XX49999"\)/],
];

test('a runtime policy in our own namespace with a scope loads', (t) => {
  const text = GOOD.replace(/SQ49999/g, 'DSP29999') + 'scope: container\n';
  withCatalog({ 'DSP29999.yaml': text, 'SQ49999.yaml': GOOD }, (dir) => {
    const catalog = loadCatalog(dir);
    t.is(catalog.get('DSP29999')?.scope, 'container');
    t.is(catalog.get('SQ49999')?.scope, 'image');
    t.deepEqual([...policiesInScope(catalog, 'container').keys()], ['DSP29999']);
    t.is(scopeOf({ ...catalog.get('DSP29999')!, scope: undefined }), 'image');
  });
});

for (const [what, text, message] of BAD) {
  test(`a catalog file with ${what} is rejected, naming the file and the problem`, (t) => {
    withCatalog({ 'SQ49999.yaml': text }, (dir) => {
      const err = t.throws(() => loadCatalog(dir), { instanceOf: CatalogError, message });
      t.true(err!.file.includes('SQ49999.yaml'));
    });
  });
}

test('an empty or missing catalog directory is an error', (t) => {
  withCatalog({}, (dir) => {
    t.throws(() => loadCatalog(dir), { instanceOf: CatalogError, message: /no policy files/ });
    t.throws(() => loadCatalog(join(dir, 'nope')), { instanceOf: CatalogError, message: /cannot read the policy catalog directory \(ENOENT\)/ });
  });
});

test('the compiled catalog the build writes (start-up reads it, not the YAML) equals the YAML; an edited YAML file is read, never shadowed by it', (t) => {
  if (!existsSync(compiledCatalogFile)) return t.pass('not built with npm run build (no compiled catalog): the YAML is parsed');
  const compiled = JSON.parse(readFileSync(compiledCatalogFile, 'utf8')) as { entries: PolicyEntry[] };
  const copy = mkdtempSync(join(tmpdir(), 'dsp-catalog-'));
  cpSync(fileURLToPath(defaultCatalogDir), copy, { recursive: true });
  clearCatalogCache();
  t.deepEqual(compiled.entries, [...loadCatalog(copy).values()], 'the same entries as parsing the YAML');
  // Compile the copy, then tamper with the compiled entries: while the YAML files are unchanged they are what is loaded…
  const marked = pathToFileURL(join(copy, 'compiled.json'));
  t.false(compiledCatalogIsCurrent(copy, marked), 'not compiled yet');
  compileCatalog(copy, marked);
  t.true(compiledCatalogIsCurrent(copy, marked));
  const own = JSON.parse(readFileSync(marked, 'utf8')) as { entries: PolicyEntry[] };
  writeFileSync(marked, JSON.stringify({ ...own, entries: own.entries.map((e) => (e.id === 'SQ40101' ? { ...e, title: 'From the compiled file' } : e)) }));
  clearCatalogCache();
  t.is(loadCatalog(copy, marked).get('SQ40101')?.title, 'From the compiled file');
  // …and once a YAML file changes, the YAML is.
  const file = join(copy, 'SQ40101.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Edited'));
  t.false(compiledCatalogIsCurrent(copy, marked), 'a YAML file changed since');
  clearCatalogCache();
  t.is(loadCatalog(copy, marked).get('SQ40101')?.title, 'Edited');
  rmSync(copy, { recursive: true, force: true });
  clearCatalogCache();
});
