// `sbom IMAGE` on real images (scripts/sbom-fixtures.sh): a debootstrap'ed
// Debian bookworm minbase, whose bill of materials must be exactly what dpkg
// itself lists; the same base with an npm app, Python distributions, a Go
// binary and a fat jar planted in own build steps; an Alpine-like image whose
// own step rewrites the apk database; a Rocky Linux image with an rpm database
// rpm wrote. The ground truth (dpkg.tsv, go.txt, rpm.tsv) is in
// ${DSP_SBOM_FIXTURES}, written by the fixture script from the tools themselves.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { integrationTest, run } from './cli.js';
import { ALPINE_APP, ALPINE_BASE, PLANTED, dpkgTruth, goTruth, tsv } from './sbom-truth.js';

const test = integrationTest('sbom');
const BASE = 'dsp-bench/debian:bookworm';
const RPM = 'dsp-sbom/rpm';
const PROP = 'docker-security-policy:';

// --- CycloneDX reading ------------------------------------------------------------

interface CdxComponent {
  type: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
  properties?: Array<{ name: string; value: string }>;
}
interface CdxBom {
  bomFormat: string;
  specVersion: string;
  components: CdxComponent[];
  metadata: { component: { type: string; name: string } };
}

const prop = (c: CdxComponent, name: string) => c.properties?.find((p) => p.name === `${PROP}${name}`)?.value;
const licencesOf = (c: CdxComponent) => (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name ?? '');
/** Packages only: not the operating-system component. */
const packagesOf = (bom: CdxBom) => bom.components.filter((c) => c.type !== 'operating-system');
const purlOf = (c: { purl?: string }) => PackageURL.fromString(c.purl!);
const key = (c: CdxComponent) => `${c.group ? `${c.group}:` : ''}${c.name}@${c.version}`;

async function cyclonedx(image: string): Promise<CdxBom> {
  const r = await run(['sbom', image, '--format', 'cyclonedx']);
  if (r.code !== 0) throw new Error(`sbom ${image} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as CdxBom;
}

function one(t: { fail(m: string): void }, bom: CdxBom, purlPrefix: string): CdxComponent {
  const found = packagesOf(bom).filter((c) => c.purl?.startsWith(purlPrefix));
  if (found.length !== 1) t.fail(`expected one component ${purlPrefix}, found ${found.map((c) => c.purl).join(', ') || 'none'}`);
  return found[0] ?? ({ type: 'missing', name: purlPrefix } as CdxComponent);
}

// --- the Debian base: exactly dpkg's packages --------------------------------------

test('the Debian base in CycloneDX 1.6 lists exactly the packages, versions and architectures dpkg-query lists, with well-formed purls', async (t) => {
  const truth = dpkgTruth();
  const bom = await cyclonedx(BASE);
  t.is(bom.bomFormat, 'CycloneDX');
  t.is(bom.specVersion, '1.6');
  t.is(bom.metadata.component.type, 'container');
  const debs = packagesOf(bom);
  t.deepEqual(
    debs.map((c) => `${c.name} ${c.version} ${purlOf(c).qualifiers?.arch}`).sort(),
    truth.map((p) => `${p.name} ${p.version} ${p.arch}`).sort(),
  );
  for (const c of debs) {
    const p = purlOf(c);
    const want = truth.find((d) => d.name === c.name);
    t.is(c.purl, p.toString(), `${c.purl} is in canonical form`);
    t.like(p, { type: 'deb', namespace: 'debian', name: c.name, version: c.version }, c.purl);
    t.deepEqual({ ...p.qualifiers }, { arch: want?.arch, distro: 'debian-12' }, c.purl);
    // Advisories are filed under the source package: the BOM says which it is.
    t.is(prop(c, 'source-package'), `${want?.source} ${want?.sourceVersion}`, c.name);
    t.is(prop(c, 'path'), '/var/lib/dpkg/status', c.name);
    // The image is the imported root filesystem: one layer, no base of its own.
    t.is(prop(c, 'layer-index'), '0', c.name);
    t.is(prop(c, 'inherited'), 'false', c.name);
  }
  t.is(bom.components.find((c) => c.type === 'operating-system')?.version, '12');
  // Licences come from /usr/share/doc/*/copyright: a minbase has them for most packages.
  t.true(debs.filter((c) => licencesOf(c).length > 0).length >= debs.length / 2, 'most Debian packages carry a licence');
  t.deepEqual(licencesOf(debs.find((c) => c.name === 'zlib1g')!), ['Zlib']);
});

test('the Debian base in SPDX 2.3 lists exactly the packages dpkg-query lists, each contained in the image', async (t) => {
  const truth = dpkgTruth();
  const r = await run(['sbom', BASE, '--format', 'spdx']);
  t.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    spdxVersion: string;
    documentDescribes: string[];
    packages: Array<{ SPDXID: string; name: string; versionInfo?: string; primaryPackagePurpose?: string; externalRefs?: Array<{ referenceType: string; referenceLocator: string }> }>;
    relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }>;
  };
  t.is(doc.spdxVersion, 'SPDX-2.3');
  const image = doc.packages.find((p) => p.primaryPackagePurpose === 'CONTAINER')!;
  t.deepEqual(doc.documentDescribes, [image.SPDXID]);
  const libs = doc.packages.filter((p) => p.primaryPackagePurpose === 'LIBRARY');
  const purls = libs.map((p) => p.externalRefs?.find((e) => e.referenceType === 'purl')?.referenceLocator ?? '');
  t.deepEqual(
    purls.map((u) => {
      const p = PackageURL.fromString(u);
      return `${p.name} ${p.version} ${p.qualifiers?.arch}`;
    }).sort(),
    truth.map((p) => `${p.name} ${p.version} ${p.arch}`).sort(),
  );
  t.deepEqual(libs.map((p) => `${p.name} ${p.versionInfo}`).sort(), truth.map((p) => `${p.name} ${p.version}`).sort());
  const contained = new Set(doc.relationships.filter((x) => x.spdxElementId === image.SPDXID && x.relationshipType === 'CONTAINS').map((x) => x.relatedSpdxElement));
  t.true(libs.every((p) => contained.has(p.SPDXID)), 'the image CONTAINS every package');
  t.is(new Set(doc.packages.map((p) => p.SPDXID)).size, doc.packages.length, 'SPDX IDs are unique');
});

// --- the planted image: every kind of package, where and by which step ------------------

// Layers of dsp-sbom/planted (scripts/sbom-fixtures/planted/Dockerfile): the
// imported base is layer 0 (history step 0); each own step after it makes one
// layer, so layer and history step numbers coincide.
const STEP = { base: 0, app: 1, python: 2, bin: 3, opt: 4 } as const;

interface Planted {
  purl: string;
  /** CycloneDX name and group: Maven's groupId and npm's scope are the group. */
  name: string;
  group?: string;
  /** As the table shows it: `@scope/name`, `groupId:artifactId`. */
  display: string;
  version: string;
  licence?: RegExp;
  path: string;
  step: number;
}

function plantedComponents(): Planted[] {
  const go = goTruth();
  return [
    { purl: 'pkg:npm/lodash@4.17.20', name: 'lodash', display: 'lodash', version: '4.17.20', licence: /^MIT$/, path: '/app/node_modules/lodash/package.json', step: STEP.app },
    {
      purl: 'pkg:npm/%40babel/traverse@7.23.0',
      name: 'traverse',
      group: '@babel',
      display: '@babel/traverse',
      version: '7.23.0',
      licence: /^MIT$/,
      path: '/app/node_modules/@babel/traverse/package.json',
      step: STEP.app,
    },
    {
      purl: 'pkg:pypi/requests@2.25.0',
      name: 'requests',
      display: 'requests',
      version: '2.25.0',
      licence: /^Apache[- ]2\.0$/,
      path: '/usr/lib/python3/dist-packages/requests-2.25.0.dist-info/METADATA',
      step: STEP.python,
    },
    // purl-spec: PyPI names are lowercased in the purl; the component keeps the declared name.
    { purl: 'pkg:pypi/pyyaml@5.3.1', name: 'PyYAML', display: 'PyYAML', version: '5.3.1', licence: /^MIT$/, path: '/usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info/PKG-INFO', step: STEP.python },
    // Debian builds its Go programs without module information: the toolchain (`stdlib`) is what the binary records.
    { purl: `pkg:golang/stdlib@${go.go}`, name: 'stdlib', display: 'stdlib', version: go.go, path: go.path, step: STEP.bin },
    { purl: 'pkg:maven/org.apache.commons/commons-text@1.9', name: 'commons-text', group: 'org.apache.commons', display: 'org.apache.commons:commons-text', version: '1.9', path: '/opt/app/app.jar', step: STEP.opt },
    {
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      name: 'log4j-core',
      group: 'org.apache.logging.log4j',
      display: 'org.apache.logging.log4j:log4j-core',
      version: '2.14.1',
      path: '/opt/app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar',
      step: STEP.opt,
    },
  ];
}

test('dsp-sbom/planted: each planted npm, PyPI, Go and Maven package is listed once with its purl, version, licence, path and own build step', async (t) => {
  const bom = await cyclonedx(PLANTED);
  for (const want of plantedComponents()) {
    const c = one(t, bom, want.purl);
    t.is(c.purl, want.purl);
    t.is(c.name, want.name, want.purl);
    t.is(c.group, want.group, want.purl);
    t.is(c.version, want.version, want.purl);
    if (want.licence) t.regex(licencesOf(c).join(' AND '), want.licence, want.purl);
    t.is(prop(c, 'path'), want.path, want.purl);
    t.is(prop(c, 'layer-index'), String(want.step), want.purl);
    t.is(prop(c, 'history-index'), String(want.step), want.purl);
    t.is(prop(c, 'inherited'), 'false', `${want.purl} came from an own step`);
  }
});

test('dsp-sbom/planted: the Debian packages are the base’s, inherited from layer 0, and nothing else is listed (no lock-file duplicates, no uninstalled package)', async (t) => {
  const truth = dpkgTruth();
  const bom = await cyclonedx(PLANTED);
  const debs = packagesOf(bom).filter((c) => c.purl?.startsWith('pkg:deb/'));
  t.deepEqual(debs.map((c) => `${c.name}@${c.version}`).sort(), truth.map((p) => `${p.name}@${p.version}`).sort());
  for (const c of debs) {
    t.is(prop(c, 'layer-index'), String(STEP.base), c.name);
    t.is(prop(c, 'inherited'), 'true', c.name);
  }
  const planted = plantedComponents();
  t.deepEqual(
    packagesOf(bom)
      .filter((c) => !c.purl?.startsWith('pkg:deb/'))
      .map((c) => c.purl)
      .sort(),
    planted.map((p) => p.purl).sort(),
    'six was uninstalled by the last step; package-lock.json names only what node_modules has',
  );
  t.false(JSON.stringify(bom).includes('six-1.16.0'), 'nothing points at the uninstalled egg-info');
});

test('dsp-sbom/planted in SPDX: the planted packages carry their purls and say where they were found and whether the base brought them', async (t) => {
  const r = await run(['sbom', PLANTED, '--format', 'spdx']);
  t.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { packages: Array<{ name: string; versionInfo?: string; sourceInfo?: string; externalRefs?: Array<{ referenceLocator: string }> }> };
  const byPurl = (purl: string) => doc.packages.find((p) => p.externalRefs?.some((e) => e.referenceLocator === purl));
  for (const want of plantedComponents()) {
    const p = byPurl(want.purl);
    t.truthy(p, want.purl);
    t.is(p?.versionInfo, want.version, want.purl);
    t.true(p?.sourceInfo?.includes(want.path), `${want.purl}: ${p?.sourceInfo}`);
    t.false(/base image/.test(p?.sourceInfo ?? ''), `${want.purl} is not the base's: ${p?.sourceInfo}`);
  }
  const zlib = doc.packages.find((p) => p.name === 'zlib1g');
  t.regex(zlib?.sourceInfo ?? '', /\/var\/lib\/dpkg\/status in layer 0 .*base image/);
});

/** The table's logical rows (cells wrap over several lines), each cell with its whitespace removed. */
function tableRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('│')) continue;
    const cells = line.split('│').slice(1, -1).map((c) => c.replace(/\s+/g, ''));
    if (cells[0] !== '' || rows.length === 0) rows.push(cells);
    else rows[rows.length - 1] = rows[rows.length - 1]!.map((c, i) => c + (cells[i] ?? ''));
  }
  return rows;
}

test('dsp-sbom/planted as a table: a row per package with type, version, licence, layer (base or own), step and path; a count per type on top', async (t) => {
  const r = await run(['sbom', PLANTED]);
  t.is(r.code, 0, r.stderr);
  const rows = tableRows(r.stdout);
  t.deepEqual(rows[0], ['Type', 'Name', 'Version', 'Licence', 'Layer', 'Step', 'Path']);
  const debs = dpkgTruth().length;
  t.regex(r.stdout, new RegExp(`^${debs + 7} components: ${debs} deb, 2 maven, 2 npm, 2 pypi, 1 golang$`, 'm'));
  const types: Record<string, string> = { npm: 'npm', pypi: 'pypi', golang: 'golang', maven: 'maven' };
  for (const want of plantedComponents()) {
    const type = types[PackageURL.fromString(want.purl).type]!;
    const name = want.display;
    const row = rows.find((x) => x[0] === type && x[1] === name);
    t.truthy(row, `${type} ${name}\n${r.stdout}`);
    t.is(row?.[2], want.version, name);
    t.is(row?.[4], `${want.step}own`, name);
    t.is(row?.[6], want.path.replace(/\s+/g, ''), name);
  }
  t.regex(rows.find((x) => x[1] === 'lodash')?.[5] ?? '', /^COPYapp\/\/app\//);
  const debRows = rows.filter((x) => x[0] === 'deb');
  t.is(debRows.length, debs);
  t.true(debRows.every((x) => x[4] === '0base'), 'every Debian package is the base image’s');
});

test('--output FILE writes the document there and nothing to stdout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-sbom-out-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'planted.cdx.json');
  const r = await run(['sbom', PLANTED, '--format', 'cyclonedx', '--output', file]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '');
  const written = JSON.parse(readFileSync(file, 'utf8')) as CdxBom;
  t.is(written.bomFormat, 'CycloneDX');
  const fromStdout = await cyclonedx(PLANTED);
  t.deepEqual(packagesOf(written).map(key).sort(), packagesOf(fromStdout).map(key).sort());

  const table = join(dir, 'planted.txt');
  const rt = await run(['sbom', PLANTED, '--format', 'table', '-o', table]);
  t.is(rt.code, 0, rt.stderr);
  t.is(rt.stdout, '');
  t.regex(readFileSync(table, 'utf8'), /lodash/);
});

test('an image that does not exist: exit 2, one line on stderr naming it, nothing on stdout', async (t) => {
  const r = await run(['sbom', 'dsp-sbom/no-such-image:nope', '--format', 'cyclonedx']);
  t.is(r.code, 2);
  t.is(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0]!, /dsp-sbom\/no-such-image:nope/);
});

// --- Alpine: the apk database, rewritten by an own step ----------------------------------

test('dsp-sbom/alpine-app: apk packages with Alpine purls; unchanged ones are the base’s, the upgraded and the added one the own step’s', async (t) => {
  const bom = await cyclonedx(ALPINE_APP);
  const apks = packagesOf(bom);
  t.deepEqual(apks.map(key).sort(), ['busybox@1.36.1-r19', 'libcrypto3@3.1.4-r1', 'musl@1.2.4_git20230717-r4', 'zlib@1.3-r2']);
  const expected: Record<string, { layer: number; inherited: boolean; source: string; licence: string }> = {
    musl: { layer: 0, inherited: true, source: 'musl 1.2.4_git20230717-r4', licence: 'MIT' },
    libcrypto3: { layer: 0, inherited: true, source: 'openssl 3.1.4-r1', licence: 'Apache-2.0' },
    busybox: { layer: 1, inherited: false, source: 'busybox 1.36.1-r19', licence: 'GPL-2.0-only' },
    zlib: { layer: 1, inherited: false, source: 'zlib 1.3-r2', licence: 'Zlib' },
  };
  for (const c of apks) {
    const want = expected[c.name]!;
    t.is(c.purl, `pkg:apk/alpine/${c.name}@${c.version}?arch=x86_64&distro=alpine-3.19.1`);
    t.is(c.purl, purlOf(c).toString(), 'canonical form');
    t.is(prop(c, 'path'), '/lib/apk/db/installed', c.name);
    t.is(prop(c, 'layer-index'), String(want.layer), c.name);
    t.is(prop(c, 'inherited'), String(want.inherited), c.name);
    t.is(prop(c, 'source-package'), want.source, c.name);
    t.deepEqual(licencesOf(c), [want.licence], c.name);
  }
  const base = await cyclonedx(ALPINE_BASE);
  t.deepEqual(packagesOf(base).map(key).sort(), ['busybox@1.36.1-r15', 'libcrypto3@3.1.4-r1', 'musl@1.2.4_git20230717-r4']);
});

// --- rpm: a sqlite rpmdb written by rpm ---------------------------------------------------

test('dsp-sbom/rpm: exactly the packages `rpm -qa` lists, as epoch:version-release with Rocky purls, source rpm and licence', async (t) => {
  const truth = tsv('rpm.tsv').map(([name, epoch, version, release, arch, srpm, licence]) => ({ name: name!, epoch: epoch === '(none)' ? undefined : epoch, version: version!, release: release!, arch: arch!, srpm: srpm!, licence: licence! }));
  t.true(truth.length >= 3, 'rpm.tsv lists the fixture packages');
  const bom = await cyclonedx(RPM);
  t.is(bom.components.find((c) => c.type === 'operating-system')?.name, 'rocky');
  const rpms = packagesOf(bom);
  t.is(rpms.length, truth.length);
  for (const want of truth) {
    const c = rpms.find((x) => x.name === want.name);
    t.truthy(c, want.name);
    if (!c) continue;
    // rpm compares epoch:version-release; the release is part of what is installed.
    t.is(c.version, `${want.epoch ? `${want.epoch}:` : ''}${want.version}-${want.release}`, want.name);
    const epoch = want.epoch ? `&epoch=${want.epoch}` : '';
    t.is(c.purl, `pkg:rpm/rocky/${want.name}@${want.version}-${want.release}?arch=${want.arch}&distro=rocky-9.3${epoch}`);
    t.is(prop(c, 'path'), '/var/lib/rpm/rpmdb.sqlite', want.name);
    t.is(prop(c, 'source-package')?.split(' ')[0], want.srpm.replace(/-[^-]+-[^-]+\.src\.rpm$/, ''), want.name);
    t.true(licencesOf(c).length === 1, `${want.name} declares ${want.licence}`);
  }
});
