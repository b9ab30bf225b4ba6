import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogError, clearCatalogCache, loadCatalog } from '../../../src/policies/catalog.js';
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

test('the catalog has exactly the 14 container policies with the reference severity, priority and effort', (t) => {
  const catalog = loadCatalog();
  t.deepEqual([...catalog.keys()].sort(), Object.keys(TABLE).sort());
  for (const [id, [severity, priority, effort]] of Object.entries(TABLE)) {
    const e = catalog.get(id)!;
    t.deepEqual([e.severity, e.priority, e.effort], [severity, priority, effort], id);
    t.is(e.category, 'Container Security', id);
    t.true(e.references.includes(`https://docs.secure.software/policies/container-security/${id}`), `${id} links its docs page`);
    t.true(e.title.length > 10 && e.description.length > 80 && e.remediation.length > 40, `${id} has words`);
  }
});

test('every rule id has a catalog entry and every catalog entry has a rule, exactly once', (t) => {
  const catalog = loadCatalog();
  const ruleIds = allRules.flatMap((r) => r.ids);
  t.deepEqual([...new Set(ruleIds)].length, ruleIds.length, 'no policy is evaluated by two rules');
  t.deepEqual([...ruleIds].sort(), [...catalog.keys()].sort());
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
];

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
