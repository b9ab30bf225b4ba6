import test from 'ava';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { licensesOf, renderCycloneDx } from '../../../src/sbom/formats/cyclonedx.js';
import { sampleInput } from './fixtures.js';

interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  group?: string;
  purl?: string;
  'bom-ref'?: string;
  licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
  properties?: Array<{ name: string; value: string }>;
}
interface CdxBom {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; component: CdxComponent; tools: { components: CdxComponent[] }; properties?: Array<{ name: string; value: string }> };
  components: CdxComponent[];
}

const text = renderCycloneDx(sampleInput());
const bom = JSON.parse(text) as CdxBom;
const byName = (name: string) => bom.components.find((c) => c.name === name)!;
const prop = (c: CdxComponent, name: string) => c.properties?.filter((p) => p.name === name).map((p) => p.value);

test('the document is valid CycloneDX 1.6 by the library’s own strict validator', async (t) => {
  const errors = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text);
  t.is(errors, null, JSON.stringify(errors, null, 2));
  t.is(bom.specVersion, '1.6');
});

test('metadata names the image (container, repo:tag, version = image ID), the tool and the time', (t) => {
  t.like(bom.metadata.component, { type: 'container', name: 'shop/api:1.4', version: `sha256:${'c0ffee'.repeat(10)}abcd` });
  t.like(bom.metadata.tools.components[0], { type: 'application', name: 'docker-security-policy', version: '0.1.0' });
  t.is(bom.metadata.timestamp, '2024-05-01T12:00:00.000Z');
  t.regex(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.deepEqual(prop(bom.metadata as unknown as CdxComponent, 'docker-security-policy:note'), ['/app/other.jar: archive not read: truncated zip']);
});

test('each component has its purl as a unique bom-ref, the OS is a component of its own', (t) => {
  const refs = bom.components.map((c) => c['bom-ref']);
  t.is(new Set(refs).size, refs.length);
  t.like(byName('curl'), { type: 'library', version: '7.88.1-10+deb12u5', purl: 'pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12', 'bom-ref': 'pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12' });
  t.like(byName('debian'), { type: 'operating-system', version: '12' });
  t.like(byName('commons-lang3'), { group: 'org.apache.commons', purl: 'pkg:maven/org.apache.commons/commons-lang3@3.12.0' });
  t.like(byName('node'), { group: '@types', purl: 'pkg:npm/%40types/node@20.1.0' });
});

test('licences: SPDX IDs as id, free text as name, compound expressions as expression', (t) => {
  t.deepEqual(byName('node').licenses, [{ license: { id: 'MIT' } }]);
  t.deepEqual(byName('commons-lang3').licenses, [{ license: { id: 'Apache-2.0' } }]);
  t.deepEqual(byName('tzdata').licenses, [{ license: { name: 'public-domain' } }]);
  t.deepEqual(byName('dual').licenses, [{ expression: '(MIT OR Apache-2.0)' }]);
  t.deepEqual(byName('libc6').licenses, [{ expression: 'LGPL-2.1-or-later AND GPL-2.0-or-later' }]);
  t.is(byName('curl').licenses, undefined);
});

test('several declarations: IDs and names side by side, or one ANDed expression when one is compound', (t) => {
  const names = (repo: ReturnType<typeof licensesOf>) => [...repo].map((l) => ('expression' in l ? `expr:${l.expression}` : 'id' in l ? `id:${l.id}` : `name:${l.name}`));
  t.deepEqual(names(licensesOf(['MIT', 'BSD'])), ['id:MIT', 'name:BSD']);
  t.deepEqual(names(licensesOf(['MIT OR ISC', 'Zlib'])), ['expr:(MIT OR ISC) AND Zlib']);
  t.deepEqual(names(licensesOf(['MIT OR ISC', 'BSD'])), ['name:MIT OR ISC', 'name:BSD']);
});

test('where a component was found: path, layer index, diffID, history step and inheritance as properties', (t) => {
  const libc = byName('libc6');
  t.deepEqual(prop(libc, 'docker-security-policy:path'), ['/var/lib/dpkg/status']);
  t.deepEqual(prop(libc, 'docker-security-policy:layer-index'), ['0']);
  t.deepEqual(prop(libc, 'docker-security-policy:layer-diff-id'), [`sha256:${'1'.padStart(64, '0')}`]);
  t.deepEqual(prop(libc, 'docker-security-policy:history-index'), ['0']);
  t.deepEqual(prop(libc, 'docker-security-policy:inherited'), ['true']);
  t.deepEqual(prop(libc, 'docker-security-policy:osv-ecosystem'), ['Debian:12']);
  t.deepEqual(prop(byName('commons-lang3'), 'docker-security-policy:path'), ['/app/app.jar!/BOOT-INF/lib/commons-lang3-3.12.0.jar']);
  const node = byName('node');
  t.deepEqual(prop(node, 'docker-security-policy:path'), ['/app/node_modules/@types/node/package.json']);
  t.deepEqual(prop(node, 'docker-security-policy:location:1:path'), ['/srv/node_modules/@types/node/package.json']);
});

test('the same inputs give the same document', (t) => {
  t.is(renderCycloneDx(sampleInput()), text);
});
