import test from 'ava';
import { advisoryNameOf, osvEcosystemOf } from '../../../src/sbom/ecosystem.js';
import type { OsRelease } from '../../../src/sbom/package-record.js';

const os = (id: string, versionId: string, prettyName?: string): OsRelease => ({ id, versionId, ...(prettyName ? { prettyName } : {}) });

test('Debian packages: Debian:<major>; testing and sid (no VERSION_ID) have no ecosystem', (t) => {
  t.is(osvEcosystemOf({ type: 'deb' }, os('debian', '12')), 'Debian:12');
  t.is(osvEcosystemOf({ type: 'deb' }, os('debian', '11')), 'Debian:11');
  t.is(osvEcosystemOf({ type: 'deb' }, os('debian', '')), undefined);
});

test('Ubuntu packages: LTS releases as OSV names them (Ubuntu:22.04:LTS), interim ones without the suffix', (t) => {
  t.is(osvEcosystemOf({ type: 'deb' }, os('ubuntu', '22.04', 'Ubuntu 22.04.4 LTS')), 'Ubuntu:22.04:LTS');
  t.is(osvEcosystemOf({ type: 'deb' }, os('ubuntu', '24.04')), 'Ubuntu:24.04:LTS');
  t.is(osvEcosystemOf({ type: 'deb' }, os('ubuntu', '23.10', 'Ubuntu 23.10')), 'Ubuntu:23.10');
});

test('Alpine packages: Alpine:v<major.minor>', (t) => {
  t.is(osvEcosystemOf({ type: 'apk' }, os('alpine', '3.19.1')), 'Alpine:v3.19');
  t.is(osvEcosystemOf({ type: 'apk' }, os('debian', '12')), undefined, 'an apk database on another OS matches nothing');
});

test('rpm packages: Rocky Linux, AlmaLinux by major; RHEL as Red Hat; Fedora has no OSV ecosystem', (t) => {
  t.is(osvEcosystemOf({ type: 'rpm' }, os('rocky', '9.3')), 'Rocky Linux:9');
  t.is(osvEcosystemOf({ type: 'rpm' }, os('almalinux', '8.9')), 'AlmaLinux:8');
  t.is(osvEcosystemOf({ type: 'rpm' }, os('rhel', '9.4')), 'Red Hat');
  t.is(osvEcosystemOf({ type: 'rpm' }, os('fedora', '39')), undefined);
});

test('OS packages without an os-release have no ecosystem', (t) => {
  t.is(osvEcosystemOf({ type: 'deb' }, undefined), undefined);
});

test('language packages: npm, PyPI, Go, Maven whatever the OS', (t) => {
  t.is(osvEcosystemOf({ type: 'npm' }, undefined), 'npm');
  t.is(osvEcosystemOf({ type: 'pypi' }, os('alpine', '3.19.1')), 'PyPI');
  t.is(osvEcosystemOf({ type: 'golang' }, undefined), 'Go');
  t.is(osvEcosystemOf({ type: 'maven' }, undefined), 'Maven');
});

test('advisories are filed under the source package (Debian), the origin (Alpine), group:artifact (Maven), else the name', (t) => {
  t.is(advisoryNameOf({ type: 'deb', name: 'libssl3', source: { name: 'openssl', version: '3.0.11-1' } }), 'openssl');
  t.is(advisoryNameOf({ type: 'deb', name: 'curl' }), 'curl');
  t.is(advisoryNameOf({ type: 'apk', name: 'libcrypto3', source: { name: 'openssl', version: '3.1.4-r5' } }), 'openssl');
  t.is(advisoryNameOf({ type: 'maven', namespace: 'org.apache.logging.log4j', name: 'log4j-core' }), 'org.apache.logging.log4j:log4j-core');
  t.is(advisoryNameOf({ type: 'golang', name: 'golang.org/x/net' }), 'golang.org/x/net');
  t.is(advisoryNameOf({ type: 'golang', name: 'stdlib' }), 'stdlib');
  t.is(advisoryNameOf({ type: 'npm', name: '@types/node' }), '@types/node');
});
