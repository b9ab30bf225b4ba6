import test from 'ava';
import { DEBIAN_BASE, contextWith, diffIdOf, makeFacts } from '../helpers/facts.js';
import { knownVulnerabilities } from '../../../src/policies/rules/vulns/DSP10501-02-known-vulnerabilities.js';
import type { LayerScanHit } from '../../../src/image/file-scanner.js';
import type { AdvisoryLookup, OsvAdvisory } from '../../../src/vulns/osv.js';
import type { PolicySetting } from '../../../src/config/model.js';
import type { ImageFacts } from '../../../src/image/facts.js';

// A Debian 12 base (layer 0: libssl3 from openssl, zlib1g) and an own COPY of an npm app (layer 1: lodash).
const HISTORY = [...DEBIAN_BASE, 'COPY app /app # buildkit'];
const STATUS = '/var/lib/dpkg/status';
const LODASH = '/app/node_modules/lodash/package.json';

function pkg(layerIndex: number, path: string, data: Record<string, string>): LayerScanHit {
  return { scanner: 'x', kind: 'package', path, layerIndex, data };
}

function imageFacts(): ImageFacts {
  return makeFacts({
    history: HISTORY,
    files: [
      { path: '/etc/os-release', layerIndex: 0 },
      { path: STATUS, layerIndex: 0 },
      { path: LODASH, layerIndex: 1 },
    ],
    scanHits: [
      { scanner: 'os-release', kind: 'os-release', path: '/etc/os-release', layerIndex: 0, data: { id: 'debian', versionId: '12' } },
      pkg(0, STATUS, { type: 'deb', name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64', sourceName: 'openssl', sourceVersion: '3.0.11-1~deb12u2' }),
      pkg(0, STATUS, { type: 'deb', name: 'zlib1g', version: '1:1.2.13.dfsg-1', arch: 'amd64', sourceName: 'zlib', sourceVersion: '1:1.2.13.dfsg-1' }),
      pkg(1, LODASH, { type: 'npm', name: 'lodash', version: '4.17.20', license: 'MIT' }),
    ],
  });
}

function advisory(id: string, ecosystem: string, name: string, events: Array<Record<string, string>>, extra: Partial<OsvAdvisory> = {}): OsvAdvisory {
  return {
    id,
    affected: [{ package: { ecosystem, name }, ranges: [{ type: ecosystem === 'npm' ? 'SEMVER' : 'ECOSYSTEM', events }] }],
    ...extra,
  };
}

function lookupOf(advisories: OsvAdvisory[]): AdvisoryLookup {
  return {
    advisoriesFor(ecosystem, name) {
      const base = ecosystem.split(':')[0];
      return advisories.filter((a) => a.affected?.some((x) => x.package?.name === name && (x.package.ecosystem === ecosystem || x.package.ecosystem === base)));
    },
  };
}

function run(advisories: OsvAdvisory[], settings: Record<string, PolicySetting> = {}, facts = imageFacts()) {
  return knownVulnerabilities.evaluate(facts, { ...contextWith(settings), advisories: lookupOf(advisories) });
}

const CVSS_HIGH = 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H'; // 7.2
const CVSS_MEDIUM = 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H'; // 5.5

test('an own npm package below the fixed version fails as DSP10501 with package, installed and fixed version, advisory, CVSS and its layer', (t) => {
  const [f, ...rest] = run([
    advisory('GHSA-35jh-r3h4-6jhm', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }], {
      aliases: ['CVE-2021-23337'],
      summary: 'Command Injection in lodash',
      severity: [{ type: 'CVSS_V3', score: CVSS_HIGH }],
    }),
  ]);
  t.is(rest.length, 0);
  t.is(f!.policy, 'DSP10501');
  t.is(f!.severity, 'high');
  t.false(f!.inherited);
  t.is(f!.message, 'lodash 4.17.20 has CVE-2021-23337 (high, CVSS 7.2): fixed in 4.17.21 — Command Injection in lodash');
  t.deepEqual(f!.location, { kind: 'file', path: LODASH, layer: diffIdOf(1), layerIndex: 1, historyIndex: 2, instruction: 'COPY app /app' });
  t.like(f!.vulnerability, { advisory: 'CVE-2021-23337', aliases: ['GHSA-35jh-r3h4-6jhm'], package: 'lodash', purl: 'pkg:npm/lodash@4.17.20', installed: '4.17.20', fixed: '4.17.21', ecosystem: 'npm', score: 7.2 });
  t.like(f!.subject, { package: 'lodash', advisory: 'CVE-2021-23337', aliases: ['GHSA-35jh-r3h4-6jhm'] });
});

test('a Debian advisory is matched on the source package and version of the release, and is inherited from the base layer', (t) => {
  const [f, ...rest] = run([
    advisory('DEBIAN-CVE-2024-0727', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }], {
      severity: [{ type: 'CVSS_V3', score: CVSS_MEDIUM }],
    }),
  ]);
  t.is(rest.length, 0);
  t.is(f!.policy, 'DSP10501');
  t.true(f!.inherited);
  t.is(f!.severity, 'medium');
  t.is(f!.message, 'libssl3 3.0.11-1~deb12u2 (source openssl 3.0.11-1~deb12u2) has CVE-2024-0727 (medium, CVSS 5.5): fixed in 3.0.13-1~deb12u1');
  t.like(f!.location, { kind: 'file', path: STATUS, layerIndex: 0 });
  t.like(f!.vulnerability, { ecosystem: 'Debian:12', installed: '3.0.11-1~deb12u2', fixed: '3.0.13-1~deb12u1' });
});

test('no finding when the installed version is the fixed one, when the range starts after it, or for another Debian release', (t) => {
  t.deepEqual(
    run([
      advisory('DSA-1', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }]),
      advisory('GHSA-later', 'npm', 'lodash', [{ introduced: '4.17.21' }, { fixed: '4.17.22' }]),
      advisory('DSA-2', 'Debian:11', 'openssl', [{ introduced: '0' }, { fixed: '9.9' }]),
      advisory('GHSA-other', 'npm', 'underscore', [{ introduced: '0' }]),
    ]),
    [],
  );
});

test('the tilde sorts before the release: 3.0.11-1~deb12u2 is affected by a fix in 3.0.11-1 (dpkg order)', (t) => {
  const [f] = run([advisory('DSA-3', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.11-1' }])]);
  t.is(f!.policy, 'DSP10501');
});

test('an advisory without a fix is DSP10502, a warning unless failWithoutFix', (t) => {
  const open = advisory('GHSA-nofix', 'npm', 'lodash', [{ introduced: '0' }], { database_specific: { severity: 'HIGH' } });
  const [f] = run([open]);
  t.is(f!.policy, 'DSP10502');
  t.is(f!.severity, 'high');
  t.true(f!.warnOnly);
  t.regex(f!.message, /no fixed version released/);
  const [strict] = run([open], { DSP10502: { options: { failWithoutFix: true } } });
  t.falsy(strict!.warnOnly);
});

test('DSA, DLA and CVE entries for one CVE are one finding, the one that names a fix', (t) => {
  const findings = run([
    advisory('DEBIAN-CVE-2024-0727', 'Debian:12', 'openssl', [{ introduced: '0' }]),
    advisory('DSA-5600-1', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }], { aliases: ['CVE-2024-0727'] }),
  ]);
  t.is(findings.length, 1);
  t.is(findings[0]!.policy, 'DSP10501');
  t.like(findings[0]!.vulnerability, { advisory: 'CVE-2024-0727', fixed: '3.0.13-1~deb12u1' });
  t.deepEqual([...findings[0]!.vulnerability!.aliases].sort(), ['DEBIAN-CVE-2024-0727', 'DSA-5600-1']);
});

test('minSeverity drops lower-rated vulnerabilities; an unrated advisory takes unratedSeverity', (t) => {
  const unrated = advisory('GHSA-unrated', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '5.0.0' }]);
  t.is(run([unrated])[0]!.severity, 'medium');
  t.regex(run([unrated])[0]!.message, /medium, not rated/);
  t.is(run([unrated], { DSP10501: { options: { unratedSeverity: 'low' } } })[0]!.severity, 'low');
  t.deepEqual(run([unrated], { DSP10501: { options: { minSeverity: 'high' } } }), []);
});

test('without loaded advisories (check without --vulns) the rule reports nothing', (t) => {
  t.deepEqual(knownVulnerabilities.evaluate(imageFacts(), contextWith({})), []);
});
