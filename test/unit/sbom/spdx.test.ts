import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { licenseRefOf, renderSpdx, spdxDocument, type SpdxDocument } from '../../../src/sbom/formats/spdx.js';
import { repoRoot } from '../helpers/sarif-schema.js';
import { sampleInput } from './fixtures.js';

// The official SPDX 2.3 JSON schema, vendored unchanged from
// https://github.com/spdx/spdx-spec/blob/v2.3/schemas/spdx-schema.json (see test/fixtures/sbom/README.md).
const schema = JSON.parse(readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'sbom', 'spdx-2.3.schema.json'), 'utf8')) as object;
const validate = new Ajv.default({ allErrors: true, strict: false }).compile(schema);

const text = renderSpdx(sampleInput());
const doc = JSON.parse(text) as SpdxDocument;
const byName = (name: string) => doc.packages.find((p) => p.name === name)!;

test('the document is valid by the official SPDX 2.3 JSON schema', (t) => {
  t.true(validate(doc), JSON.stringify(validate.errors, null, 2));
});

test('IDs follow the spec’s idstring rule (letters, digits, . and -) and are unique', (t) => {
  const ids = doc.packages.map((p) => p.SPDXID);
  t.is(new Set(ids).size, ids.length);
  for (const id of ids) t.regex(id, /^SPDXRef-[A-Za-z0-9.-]+$/);
  for (const l of doc.hasExtractedLicensingInfos ?? []) t.regex(l.licenseId, /^LicenseRef-[A-Za-z0-9.-]+$/);
});

test('the header: version, data licence, deterministic namespace URL, tool and creation time', (t) => {
  t.like(doc, { spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT', name: 'shop/api:1.4' });
  t.deepEqual(doc.creationInfo.creators, ['Tool: docker-security-policy-0.1.0']);
  t.is(doc.creationInfo.created, '2024-05-01T12:00:00Z');
  t.true(URL.canParse(doc.documentNamespace));
  const later = { ...sampleInput(), created: new Date('2025-01-01T00:00:00Z') };
  t.is(spdxDocument(later).documentNamespace, doc.documentNamespace, 'same image and tool version, same namespace');
  t.not(spdxDocument({ ...later, toolVersion: '0.2.0' }).documentNamespace, doc.documentNamespace);
});

test('the image is the root package the document DESCRIBES and that CONTAINS every component', (t) => {
  t.like(byName('shop/api:1.4'), { SPDXID: 'SPDXRef-Image', primaryPackagePurpose: 'CONTAINER', versionInfo: `sha256:${'c0ffee'.repeat(10)}abcd` });
  t.deepEqual(doc.documentDescribes, ['SPDXRef-Image']);
  t.deepEqual(doc.relationships[0], { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' });
  const contained = doc.relationships.filter((r) => r.relationshipType === 'CONTAINS').map((r) => r.relatedSpdxElement);
  t.deepEqual(contained, doc.packages.slice(1).map((p) => p.SPDXID));
});

test('a component: purl reference, no assertions it cannot make, and where it came from', (t) => {
  const curl = byName('curl');
  t.regex(curl.SPDXID, /^SPDXRef-Package-deb-curl-\d+$/);
  t.like(curl, { versionInfo: '7.88.1-10+deb12u5', downloadLocation: 'NOASSERTION', filesAnalyzed: false, licenseConcluded: 'NOASSERTION', copyrightText: 'NOASSERTION', licenseDeclared: 'NOASSERTION' });
  t.deepEqual(curl.externalRefs, [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12' }]);
  t.is(curl.sourceInfo, `found in /var/lib/dpkg/status in layer 2 (sha256:${'3'.padStart(64, '0')}), step 3: RUN apt-get upgrade -y`);
  t.regex(byName('libc6').sourceInfo!, /layer 0 \(sha256:0+1\), base image, step 0: ADD file:/);
  t.is(byName('org.apache.commons:commons-lang3').licenseDeclared, 'Apache-2.0');
});

test('licences: SPDX expressions as they are, free text as LicenseRefs with the text extracted', (t) => {
  t.is(byName('libc6').licenseDeclared, 'LGPL-2.1-or-later AND GPL-2.0-or-later');
  t.is(byName('dual').licenseDeclared, '(MIT OR Apache-2.0)');
  const ref = licenseRefOf('public-domain');
  t.is(byName('tzdata').licenseDeclared, ref);
  t.deepEqual(doc.hasExtractedLicensingInfos?.find((l) => l.licenseId === ref), { licenseId: ref, extractedText: 'public-domain', name: 'public-domain' });
  t.regex(ref, /^LicenseRef-public-domain-[0-9a-f]{8}$/);
});

test('notes travel in the creation comment', (t) => {
  t.is(doc.creationInfo.comment, '/app/other.jar: archive not read: truncated zip');
});
