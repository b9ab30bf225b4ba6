// `check --vulns` (DSP10501, DSP10502) on the real fixture images
// (scripts/sbom-fixtures.sh) against OSV advisories this file writes: for each
// ecosystem, versions on both sides of the boundary (fixed above, at and below
// the installed version; introduced after it; no fix at all), so exactly the
// affected packages are reported. Debian advisories are made from what dpkg
// says the base has (dpkg.tsv), so they stay right as bookworm's point
// releases move.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../src/policies/engine.js';
import type { JsonReport } from '../../src/report/json.js';
import { checkJson, integrationTest, run } from './cli.js';
import { ALPINE_APP, ALPINE_BASE, PLANTED, dpkgTruth, goTruth } from './sbom-truth.js';

const test = integrationTest('vulns');
/** Binary packages of the Debian base by source package: name and the source version advisories compare. */
function debianBinaries(source: string): Array<{ name: string; sourceVersion: string }> {
  return dpkgTruth()
    .filter((p) => p.source === source)
    .map((p) => ({ name: p.name, sourceVersion: p.sourceVersion }));
}
function sourceVersion(source: string): string {
  const [first] = debianBinaries(source);
  if (!first) throw new Error(`the Debian base has no package built from ${source} (dpkg.tsv)`);
  return first.sourceVersion;
}
// --- the advisories ------------------------------------------------------------------

const CVSS = {
  critical10: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', // 10.0
  critical: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', // 9.8
  high: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', // 7.5
  medium: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', // 6.1
  medium59: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', // 5.9
  low: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N', // 3.3
} as const;
const SCORE: Record<string, number> = { [CVSS.critical10]: 10, [CVSS.critical]: 9.8, [CVSS.high]: 7.5, [CVSS.medium]: 6.1, [CVSS.medium59]: 5.9, [CVSS.low]: 3.3 };

interface Advisory {
  id: string;
  ecosystem: string;
  name: string;
  events: Array<{ introduced?: string; fixed?: string }>;
  rangeType?: 'SEMVER' | 'ECOSYSTEM';
  cvss?: string;
  aliases?: string[];
}

function advisories(): Advisory[] {
  const go = goTruth();
  const [major, minor, patch] = go.go.split('.').map(Number) as [number, number, number];
  const systemd = sourceVersion('systemd');
  if (!systemd.includes('~')) throw new Error(`systemd ${systemd} has no ~ (the tilde case needs one; pick another source package)`);
  return [
    // npm (SEMVER ranges, as GitHub's advisories are)
    { id: 'DSPTEST-NPM-0001', ecosystem: 'npm', name: 'lodash', rangeType: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }], cvss: CVSS.high, aliases: ['CVE-2099-1001'] },
    { id: 'DSPTEST-NPM-0002', ecosystem: 'npm', name: 'lodash', rangeType: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.20' }], cvss: CVSS.critical }, // fixed at the installed version
    { id: 'DSPTEST-NPM-0003', ecosystem: 'npm', name: 'lodash', rangeType: 'SEMVER', events: [{ introduced: '4.17.22' }, { fixed: '4.17.23' }], cvss: CVSS.critical }, // introduced later
    { id: 'DSPTEST-NPM-0004', ecosystem: 'npm', name: '@babel/traverse', rangeType: 'SEMVER', events: [{ introduced: '0' }], cvss: CVSS.medium }, // no fix
    // PyPI (PEP 440 order; names compared as PEP 503 normalises them)
    { id: 'DSPTEST-PYPI-0001', ecosystem: 'PyPI', name: 'requests', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }], cvss: CVSS.medium },
    { id: 'DSPTEST-PYPI-0002', ecosystem: 'PyPI', name: 'pyyaml', events: [{ introduced: '0' }, { fixed: '5.4' }], cvss: CVSS.critical },
    { id: 'DSPTEST-PYPI-0003', ecosystem: 'PyPI', name: 'six', events: [{ introduced: '0' }], cvss: CVSS.critical }, // uninstalled by a later step
    // Go: the toolchain the binary was built with (no severity: Go's advisories carry none)
    { id: 'DSPTEST-GO-0001', ecosystem: 'Go', name: 'stdlib', rangeType: 'SEMVER', events: [{ introduced: '0' }, { fixed: `${major}.${minor}.${patch + 1}` }] },
    { id: 'DSPTEST-GO-0002', ecosystem: 'Go', name: 'stdlib', rangeType: 'SEMVER', events: [{ introduced: `${major}.${minor + 1}.0` }, { fixed: `${major}.${minor + 1}.5` }] },
    // Maven (groupId:artifactId; Maven's order, where 1.9 < 1.10.0)
    { id: 'DSPTEST-MAVEN-0001', ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', events: [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }], cvss: CVSS.critical10, aliases: ['CVE-2099-4001'] },
    { id: 'DSPTEST-MAVEN-0002', ecosystem: 'Maven', name: 'org.apache.commons:commons-text', events: [{ introduced: '1.5' }, { fixed: '1.10.0' }], cvss: CVSS.critical },
    // Debian 12, filed under source packages, in dpkg's order (epochs, ~, +)
    { id: 'DSPTEST-DEB-0001', ecosystem: 'Debian:12', name: 'zlib', events: [{ introduced: '0' }, { fixed: `${sourceVersion('zlib')}+dsp1` }], cvss: CVSS.critical },
    // bsdutils' own version has an epoch (1:2.38…) its source's lacks: the source version is what counts
    { id: 'DSPTEST-DEB-0002', ecosystem: 'Debian:12', name: 'util-linux', events: [{ introduced: '0' }, { fixed: `${sourceVersion('util-linux')}+dsp1` }], cvss: CVSS.low },
    { id: 'DSPTEST-DEB-0003', ecosystem: 'Debian:12', name: 'glibc', events: [{ introduced: '0' }, { fixed: sourceVersion('glibc') }], cvss: CVSS.critical }, // fixed = installed
    { id: 'DSPTEST-DEB-0004', ecosystem: 'Debian:12', name: 'e2fsprogs', events: [{ introduced: '0' }, { fixed: `${sourceVersion('e2fsprogs')}~dsp1` }], cvss: CVSS.critical }, // ~ sorts before: fixed below installed
    { id: 'DSPTEST-DEB-0005', ecosystem: 'Debian:12', name: 'systemd', events: [{ introduced: '0' }, { fixed: systemd.replace(/~.*$/, '') }], cvss: CVSS.high }, // 252.39-1~deb12u2 < 252.39-1
    { id: 'DSPTEST-DEB-0006', ecosystem: 'Debian:12', name: 'perl', events: [{ introduced: '0' }] }, // no fix, no rating
    { id: 'DSPTEST-DEB-0007', ecosystem: 'Debian:11', name: 'zlib', events: [{ introduced: '0' }], cvss: CVSS.critical }, // another release
    // Alpine 3.19, filed under origin (aports) names, in apk's order
    { id: 'DSPTEST-APK-0001', ecosystem: 'Alpine:v3.19', name: 'openssl', events: [{ introduced: '0' }, { fixed: '3.1.4-r3' }], cvss: CVSS.high },
    { id: 'DSPTEST-APK-0002', ecosystem: 'Alpine:v3.19', name: 'busybox', events: [{ introduced: '0' }, { fixed: '1.36.1-r17' }], cvss: CVSS.medium },
    { id: 'DSPTEST-APK-0003', ecosystem: 'Alpine:v3.19', name: 'musl', events: [{ introduced: '0' }, { fixed: '1.2.4-r5' }], cvss: CVSS.critical }, // _git snapshots come after the release
    { id: 'DSPTEST-APK-0004', ecosystem: 'Alpine:v3.19', name: 'zlib', events: [{ introduced: '0' }, { fixed: '1.3.1-r0' }], cvss: CVSS.medium59 },
  ];
}

function osvJson(a: Advisory): object {
  return {
    schema_version: '1.6.0',
    id: a.id,
    modified: '2024-06-01T00:00:00Z',
    published: '2024-01-01T00:00:00Z',
    ...(a.aliases ? { aliases: a.aliases } : {}),
    summary: `fixture advisory for ${a.name}`,
    ...(a.cvss ? { severity: [{ type: 'CVSS_V3', score: a.cvss }] } : {}),
    affected: [{ package: { ecosystem: a.ecosystem, name: a.name }, ranges: [{ type: a.rangeType ?? 'ECOSYSTEM', events: a.events }] }],
  };
}

let work = '';
let osvDir = '';
let osvZip = '';
const ADVISORY_BY_ID = new Map<string, Advisory>();

test.before(() => {
  work = mkdtempSync(join(tmpdir(), 'dsp-vulns-it-'));
  osvDir = join(work, 'osv');
  for (const a of advisories()) {
    ADVISORY_BY_ID.set(a.id, a);
    const folder = join(osvDir, a.ecosystem.split(':')[0]!);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${a.id}.json`), JSON.stringify(osvJson(a), null, 2));
  }
  osvZip = join(work, 'osv.zip');
  // The same files as one zip, as OSV's all.zip is (python3 is a fixture-script prerequisite anyway).
  execFileSync('python3', ['-m', 'zipfile', '-c', osvZip, ...advisories().map((a) => join(osvDir, a.ecosystem.split(':')[0]!, `${a.id}.json`))]);
});
test.after.always(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// --- reading the findings ----------------------------------------------------------

const vulnFindings = (fs: Finding[]) => fs.filter((f) => f.policy === 'DSP10501' || f.policy === 'DSP10502');
/** Which of our advisories a finding is for (the report may lead with a CVE alias). */
const fixtureIdOf = (f: Finding) => [f.vulnerability?.advisory, ...(f.vulnerability?.aliases ?? [])].find((id) => id?.startsWith('DSPTEST-')) ?? '?';
const layerOf = (f: Finding) => (f.location.kind === 'file' ? f.location.layerIndex : undefined);
const pathOf = (f: Finding) => (f.location.kind === 'file' ? f.location.path : undefined);

/** `POLICY package installed→fixed ADVISORY own|inherited layer N`: one line per finding, the report's whole answer. */
const line = (f: Finding) =>
  `${f.policy} ${f.vulnerability?.package} ${f.vulnerability?.installed}→${f.vulnerability?.fixed ?? 'none'} ${fixtureIdOf(f)} ${f.inherited ? 'inherited' : 'own'} layer ${layerOf(f)}`;

interface Expected {
  policy: 'DSP10501' | 'DSP10502';
  pkg: string;
  installed: string;
  fixed?: string;
  advisory: string;
  inherited: boolean;
  layer: number;
  path: string;
}
const expectedLine = (e: Expected) => `${e.policy} ${e.pkg} ${e.installed}→${e.fixed ?? 'none'} ${e.advisory} ${e.inherited ? 'inherited' : 'own'} layer ${e.layer}`;

function plantedExpected(): Expected[] {
  const go = goTruth();
  const debs = (source: string, advisory: string, fixed: string | undefined): Expected[] =>
    debianBinaries(source).map((b) => ({
      policy: fixed === undefined ? 'DSP10502' : 'DSP10501',
      pkg: b.name,
      installed: b.sourceVersion, // Debian's advisories compare the source version
      ...(fixed !== undefined ? { fixed } : {}),
      advisory,
      inherited: true,
      layer: 0,
      path: '/var/lib/dpkg/status',
    }));
  const fixedOf = (id: string) => ADVISORY_BY_ID.get(id)!.events.find((e) => e.fixed)?.fixed;
  return [
    { policy: 'DSP10501', pkg: 'lodash', installed: '4.17.20', fixed: '4.17.21', advisory: 'DSPTEST-NPM-0001', inherited: false, layer: 1, path: '/app/node_modules/lodash/package.json' },
    { policy: 'DSP10502', pkg: '@babel/traverse', installed: '7.23.0', advisory: 'DSPTEST-NPM-0004', inherited: false, layer: 1, path: '/app/node_modules/@babel/traverse/package.json' },
    { policy: 'DSP10501', pkg: 'requests', installed: '2.25.0', fixed: '2.31.0', advisory: 'DSPTEST-PYPI-0001', inherited: false, layer: 2, path: '/usr/lib/python3/dist-packages/requests-2.25.0.dist-info/METADATA' },
    { policy: 'DSP10501', pkg: 'PyYAML', installed: '5.3.1', fixed: '5.4', advisory: 'DSPTEST-PYPI-0002', inherited: false, layer: 2, path: '/usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info/PKG-INFO' },
    { policy: 'DSP10501', pkg: 'stdlib', installed: go.go, fixed: fixedOf('DSPTEST-GO-0001')!, advisory: 'DSPTEST-GO-0001', inherited: false, layer: 3, path: go.path },
    { policy: 'DSP10501', pkg: 'log4j-core', installed: '2.14.1', fixed: '2.15.0', advisory: 'DSPTEST-MAVEN-0001', inherited: false, layer: 4, path: '/opt/app/app.jar' },
    { policy: 'DSP10501', pkg: 'commons-text', installed: '1.9', fixed: '1.10.0', advisory: 'DSPTEST-MAVEN-0002', inherited: false, layer: 4, path: '/opt/app/app.jar' },
    ...debs('zlib', 'DSPTEST-DEB-0001', fixedOf('DSPTEST-DEB-0001')),
    ...debs('util-linux', 'DSPTEST-DEB-0002', fixedOf('DSPTEST-DEB-0002')),
    ...debs('systemd', 'DSPTEST-DEB-0005', fixedOf('DSPTEST-DEB-0005')),
    ...debs('perl', 'DSPTEST-DEB-0006', undefined),
  ];
}

const reports = new Map<string, Promise<{ code: number; report: JsonReport; stderr: string }>>();
/** One `check --vulns` per image and database form, shared by the cases that read it. */
function checkVulns(image: string, db: 'dir' | 'zip' = 'dir', extra: string[] = []): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const k = `${image} ${db} ${extra.join(' ')}`;
  if (!reports.has(k)) {
    reports.set(
      k,
      checkJson([image, '--vulns', '--vuln-db', db === 'dir' ? osvDir : osvZip, ...extra]).then(({ run: r, report }) => ({ code: r.code, report, stderr: r.stderr })),
    );
  }
  return reports.get(k)!;
}

// --- the cases ---------------------------------------------------------------------

test('dsp-sbom/planted: exactly the affected packages are reported, each with its advisory, installed and fixed version, own or inherited layer', async (t) => {
  const { code, report, stderr } = await checkVulns(PLANTED);
  const findings = vulnFindings(report.results[0]!.findings);
  t.deepEqual(findings.map(line).sort(), plantedExpected().map(expectedLine).sort(), stderr);
  t.is(code, 1, 'own critical findings (log4j-core, commons-text, PyYAML) fail at the default --fail-on high');
});

test('dsp-sbom/planted: each finding names package, versions and advisory, points at the file that declares the package, and rates it from the advisory’s CVSS vector', async (t) => {
  const { report } = await checkVulns(PLANTED);
  const findings = vulnFindings(report.results[0]!.findings);
  for (const want of plantedExpected()) {
    const f = findings.find((x) => x.vulnerability?.package === want.pkg && fixtureIdOf(x) === want.advisory);
    if (!f) {
      t.fail(`no finding for ${expectedLine(want)}`);
      continue;
    }
    const label = expectedLine(want);
    const advisory = ADVISORY_BY_ID.get(want.advisory)!;
    // The words a reader acts on.
    t.true(f.message.includes(want.pkg), `${label}: ${f.message}`);
    t.true(f.message.includes(want.installed), `${label}: ${f.message}`);
    t.true(f.message.includes(f.vulnerability!.advisory), `${label}: ${f.message}`);
    if (want.fixed) t.true(f.message.includes(want.fixed), `${label}: ${f.message}`);
    else t.regex(f.message, /no fix/, label);
    // Where: the database or metadata file, in the layer and step that brought the package in.
    t.like(f.location, { kind: 'file', path: want.path, layerIndex: want.layer, historyIndex: want.layer }, label);
    t.is(pathOf(f), want.path, label);
    // What exceptions match on.
    t.is(f.subject?.package, want.pkg, label);
    t.true([f.subject?.advisory, ...(f.subject?.aliases ?? [])].includes(want.advisory), label);
    t.deepEqual([f.vulnerability!.advisory, ...f.vulnerability!.aliases].sort(), [advisory.id, ...(advisory.aliases ?? [])].sort(), label);
    // How bad: the CVSS base score's rating, else the policy's rating for unrated advisories (medium).
    const score = advisory.cvss ? SCORE[advisory.cvss] : undefined;
    t.is(f.vulnerability!.score, score, label);
    const severity = score === undefined ? 'medium' : score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
    t.is(f.severity, severity, label);
    // Fails only when it is the image's own, has a fix, and is rated high or above.
    const fails = !want.inherited && want.policy === 'DSP10501' && (severity === 'critical' || severity === 'high');
    t.is(f.action, fails ? 'fail' : 'warn', label);
    t.is(f.inherited, want.inherited, label);
  }
});

test('the zip form of --vuln-db gives the same findings as the directory', async (t) => {
  const fromDir = await checkVulns(PLANTED, 'dir');
  const fromZip = await checkVulns(PLANTED, 'zip');
  t.is(fromZip.code, fromDir.code, fromZip.stderr);
  t.deepEqual(vulnFindings(fromZip.report.results[0]!.findings).map(line).sort(), vulnFindings(fromDir.report.results[0]!.findings).map(line).sort());
});

test('Alpine: the base’s old libcrypto3 is reported under its origin openssl, inherited; the own step’s upgraded busybox is not, its new zlib is', async (t) => {
  const app = await checkVulns(ALPINE_APP);
  t.deepEqual(vulnFindings(app.report.results[0]!.findings).map(line).sort(), [
    'DSP10501 libcrypto3 3.1.4-r1→3.1.4-r3 DSPTEST-APK-0001 inherited layer 0',
    'DSP10501 zlib 1.3-r2→1.3.1-r0 DSPTEST-APK-0004 own layer 1',
  ], app.stderr);
  for (const f of vulnFindings(app.report.results[0]!.findings)) t.like(f.location, { kind: 'file', path: '/lib/apk/db/installed' });
  // The inherited high warns; the own medium is below --fail-on high.
  t.is(app.code, 0, app.stderr);
  const strict = await checkVulns(ALPINE_APP, 'dir', ['--fail-on', 'medium']);
  t.is(strict.code, 1, 'the own medium zlib finding fails at --fail-on medium');

  const base = await checkVulns(ALPINE_BASE);
  t.deepEqual(vulnFindings(base.report.results[0]!.findings).map(line).sort(), [
    'DSP10501 busybox 1.36.1-r15→1.36.1-r17 DSPTEST-APK-0002 own layer 0',
    'DSP10501 libcrypto3 3.1.4-r1→3.1.4-r3 DSPTEST-APK-0001 own layer 0',
  ], base.stderr);
});

test('exceptions by advisory ID, by alias, by package glob and by purl prefix move exactly those findings to suppressed, with the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-vulns-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'policy.yaml');
  writeFileSync(
    config,
    `exceptions:
  - policy: DSP10501
    advisory: DSPTEST-NPM-0001
    reason: lodash merge is never called with user input
  - policy: DSP10501
    advisory: cve-2099-4001
    reason: JNDI lookups are disabled by the launcher
  - policy: DSP10502
    package: perl-*
    reason: perl runs no untrusted scripts here
  - policy: DSP10501-DSP10502
    package: pkg:pypi/requests
    reason: requests only talks to the internal API
`,
  );
  const { run: r, report } = await checkJson([PLANTED, '--vulns', '--vuln-db', osvDir, '--config', config]);
  const result = report.results[0]!;
  const suppressed = vulnFindings(result.suppressed ?? []);
  t.deepEqual(
    suppressed.map((f) => `${line(f)} — ${f.exception?.reason}`).sort(),
    [
      'DSP10501 lodash 4.17.20→4.17.21 DSPTEST-NPM-0001 own layer 1 — lodash merge is never called with user input',
      'DSP10501 log4j-core 2.14.1→2.15.0 DSPTEST-MAVEN-0001 own layer 4 — JNDI lookups are disabled by the launcher',
      'DSP10501 requests 2.25.0→2.31.0 DSPTEST-PYPI-0001 own layer 2 — requests only talks to the internal API',
      ...debianBinaries('perl').map((b) => `DSP10502 ${b.name} ${b.sourceVersion}→none DSPTEST-DEB-0006 inherited layer 0 — perl runs no untrusted scripts here`),
    ].sort(),
    r.stderr,
  );
  const gone = new Set(suppressed.map(line));
  t.deepEqual(
    vulnFindings(result.findings).map(line).sort(),
    plantedExpected()
      .map(expectedLine)
      .filter((l) => !gone.has(l))
      .sort(),
    'every other finding stays',
  );
  t.is(r.code, 1, 'commons-text and PyYAML still fail');
});

test('check without --vulns reports no DSP1050x finding', async (t) => {
  const { run: r, report } = await checkJson([PLANTED]);
  t.true(r.code < 2, r.stderr);
  t.deepEqual(vulnFindings(report.results[0]!.findings), []);
  t.deepEqual(vulnFindings(report.results[0]!.suppressed ?? []), []);
});

test('check --vulns without a database: exit 2 and one line that says how to get one', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'dsp-vulns-nodb-'));
  t.teardown(() => rmSync(empty, { recursive: true, force: true }));
  const r = await run(['check', PLANTED, '--vulns', '--format', 'json'], { DSP_CACHE_DIR: empty });
  t.is(r.code, 2);
  t.is(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0]!, /vulnerability database/);
  t.regex(lines[0]!, /db update/);
});

test('db update downloads <ecosystem>/all.zip from DSP_OSV_URL; db status shows it; check --vulns then uses it with no --vuln-db', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'dsp-vulns-update-'));
  t.teardown(() => rmSync(cache, { recursive: true, force: true }));
  // A mirror of OSV's bucket layout with the npm advisories only.
  const npmZip = join(cache, 'npm-all.zip');
  execFileSync('python3', ['-m', 'zipfile', '-c', npmZip, ...advisories().filter((a) => a.ecosystem === 'npm').map((a) => join(osvDir, 'npm', `${a.id}.json`))]);
  const requested: string[] = [];
  const server: Server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url === '/npm/all.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(readFileSync(npmZip));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = { DSP_CACHE_DIR: cache, DSP_OSV_URL: url };

  const update = await run(['db', 'update', '--ecosystem', 'npm'], env);
  t.is(update.code, 0, update.stderr);
  t.true(requested.includes('/npm/all.zip'), requested.join(', '));

  const status = await run(['db', 'status', '--format', 'json'], env);
  t.is(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout) as { source: string; ecosystems: Array<{ ecosystem: string; advisories: number }> };
  t.true(s.source.startsWith(url), s.source);
  t.deepEqual(s.ecosystems.map((e) => `${e.ecosystem} ${e.advisories}`), ['npm 4']);

  const { run: r, report } = await checkJson([PLANTED, '--vulns'], env);
  t.true(r.code < 2, r.stderr);
  t.deepEqual(vulnFindings(report.results[0]!.findings).map(line).sort(), [
    'DSP10501 lodash 4.17.20→4.17.21 DSPTEST-NPM-0001 own layer 1',
    'DSP10502 @babel/traverse 7.23.0→none DSPTEST-NPM-0004 own layer 1',
  ]);
});

test('db import DIR makes a local export the database', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'dsp-vulns-import-'));
  t.teardown(() => rmSync(cache, { recursive: true, force: true }));
  const env = { DSP_CACHE_DIR: cache };
  const imported = await run(['db', 'import', osvDir], env);
  t.is(imported.code, 0, imported.stderr);
  const status = await run(['db', 'status', '--format', 'json'], env);
  t.is(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout) as { advisories?: number };
  t.is(s.advisories, advisories().length);
  const { report } = await checkJson([ALPINE_APP, '--vulns'], env);
  t.deepEqual(vulnFindings(report.results[0]!.findings).map(line).sort(), [
    'DSP10501 libcrypto3 3.1.4-r1→3.1.4-r3 DSPTEST-APK-0001 inherited layer 0',
    'DSP10501 zlib 1.3-r2→1.3.1-r0 DSPTEST-APK-0004 own layer 1',
  ]);
});
