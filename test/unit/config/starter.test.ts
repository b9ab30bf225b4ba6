// `policies init`: the starter file lists every policy with its defaults,
// loads as a no-op, and every example in it is valid once uncommented.
import test from 'ava';
import { parseConfig } from '../../../src/config/load.js';
import { starterConfig } from '../../../src/config/starter.js';
import { loadCatalog } from '../../../src/policies/catalog.js';
import { optionSpecsOf, resolveOptions } from '../../../src/policies/options.js';

const catalog = loadCatalog();
const IDS = [...catalog.keys()];
const OPTIONS = optionSpecsOf(catalog);
const text = starterConfig(catalog, 'docker securitypolicy', '9.9.9');

test('the starter lists every policy with its default severity and action', (t) => {
  for (const entry of catalog.values()) {
    const action = entry.severity === 'high' || entry.severity === 'critical' ? 'fail' : 'warn';
    const options = Object.entries(entry.options ?? {}).map(([name, spec]) => `${name}: ${JSON.stringify(spec.default)}`);
    const optionText = options.length > 0 ? `, options: { ${options.join(', ')} }` : '';
    t.true(text.includes(`# ${entry.id}: { severity: ${entry.severity}, action: ${action}${optionText} }`), entry.id);
    t.true(text.includes(entry.title), entry.id);
  }
});

test('as written, the starter changes nothing', (t) => {
  const c = parseConfig(text, 'starter.yaml', IDS, OPTIONS);
  t.deepEqual(c.policies, {});
  t.deepEqual(c.exceptions, []);
  t.is(c.failOn, undefined);
});

test('uncommenting every setting and example gives a valid configuration', (t) => {
  const uncommented = text
    .split('\n')
    .map((l) => l.replace(/^(\s*)# (failOn|inherited|hook:|  budgetSeconds|  showClean|SQ\d{5}|DSP\d{5}|- policy|  image|  port|  path|  advisory|  package|  reason|  expires|vulnerabilities:|  enabled|  db)/, '$1$2'))
    .join('\n');
  const c = parseConfig(uncommented, 'starter.yaml', IDS, OPTIONS);
  t.is(c.failOn, 'high');
  t.is(Object.keys(c.policies).length, IDS.length);
  for (const [id, setting] of Object.entries(c.policies)) {
    t.deepEqual(resolveOptions(catalog.get(id), setting), resolveOptions(catalog.get(id), undefined), `${id}'s options are its defaults`);
  }
  t.is(c.exceptions.length, 3);
  t.is(c.exceptions[0].expires, '2027-06-30');
  t.like(c.exceptions[2], { advisory: 'CVE-2024-3094', package: 'xz*' });
  t.deepEqual(c.hook, { budgetSeconds: 10, showClean: false });
  t.like(c.vulnerabilities, { enabled: false });
});
