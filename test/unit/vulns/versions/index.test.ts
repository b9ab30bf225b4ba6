import test from 'ava';
import { APK, DPKG, GO, MAVEN, PEP440, RPM, SEMVER, schemeFor, type VersionScheme } from '../../../../src/vulns/versions/index.js';

test('each OSV ecosystem, with or without a release suffix, gets its version order', (t) => {
  const expected: Array<[string, VersionScheme]> = [
    ['Debian', DPKG], ['Debian:12', DPKG], ['Ubuntu', DPKG], ['Ubuntu:22.04:LTS', DPKG], ['Ubuntu:Pro:18.04:LTS', DPKG],
    ['Alpine', APK], ['Alpine:v3.19', APK], ['Wolfi', APK], ['Chainguard', APK],
    ['Red Hat', RPM], ['Red Hat:enterprise_linux:9::appstream', RPM], ['Rocky Linux:9', RPM], ['AlmaLinux:8', RPM], ['openSUSE:Leap 15.5', RPM],
    ['SUSE:Linux Enterprise Server 15 SP5', RPM], ['Mageia:9', RPM], ['Photon OS:5.0', RPM], ['Azure Linux:3', RPM],
    ['npm', SEMVER], ['crates.io', SEMVER], ['PyPI', PEP440], ['Go', GO], ['Maven', MAVEN],
  ];
  for (const [ecosystem, scheme] of expected) t.is(schemeFor(ecosystem), scheme, ecosystem);
});

test('ecosystems without an order of ours get none, so nothing is guessed', (t) => {
  for (const ecosystem of ['NuGet', 'Packagist', 'RubyGems', 'Hex', 'Pub', 'GIT', '']) t.is(schemeFor(ecosystem), undefined, ecosystem);
});
