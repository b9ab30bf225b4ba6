import test from 'ava';
import { PackageURL } from 'packageurl-js';
import { distroOf, purlOf } from '../../../src/sbom/purl.js';

// Expected strings follow the purl-spec type definitions and test-suite examples
// (https://github.com/package-url/purl-spec): qualifiers sorted by key.

test('deb: distribution as namespace, arch and distro qualifiers', (t) => {
  const os = { id: 'debian', versionId: '12' };
  t.is(purlOf({ type: 'deb', name: 'curl', version: '7.88.1-10+deb12u5', arch: 'amd64' }, os), 'pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12');
  t.is(purlOf({ type: 'deb', name: 'bash', version: '5.1-6ubuntu1', arch: 'arm64' }, { id: 'ubuntu', versionId: '22.04', versionCodename: 'jammy' }), 'pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=arm64&distro=ubuntu-22.04');
});

test('deb without os-release (distroless) defaults to the debian namespace and no distro', (t) => {
  t.is(purlOf({ type: 'deb', name: 'libc6', version: '2.36-9', arch: 'amd64' }), 'pkg:deb/debian/libc6@2.36-9?arch=amd64');
});

test('Debian testing has no VERSION_ID: the codename names the distro', (t) => {
  t.is(distroOf({ id: 'debian', versionId: '', versionCodename: 'trixie' }), 'debian-trixie');
  t.is(distroOf({ id: 'debian', versionId: '' }), undefined);
});

test('apk: alpine namespace, arch and full-release distro', (t) => {
  t.is(purlOf({ type: 'apk', name: 'musl', version: '1.2.4-r2', arch: 'x86_64' }, { id: 'alpine', versionId: '3.19.1' }), 'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1');
});

test('rpm: version-release as version, epoch as a qualifier (canonical order: arch, distro, epoch)', (t) => {
  const purl = purlOf({ type: 'rpm', name: 'bash', version: '5.2.15', release: '5.fc39', epoch: '1', arch: 'x86_64' }, { id: 'fedora', versionId: '39' });
  t.is(purl, 'pkg:rpm/fedora/bash@5.2.15-5.fc39?arch=x86_64&distro=fedora-39&epoch=1');
  const parsed = PackageURL.fromString(purl);
  t.deepEqual(parsed.qualifiers, { arch: 'x86_64', distro: 'fedora-39', epoch: '1' });
  t.is(purlOf({ type: 'rpm', name: 'bash', version: '5.2.15-5.fc39', release: '5.fc39', epoch: '0' }, { id: 'fedora', versionId: '39' }), 'pkg:rpm/fedora/bash@5.2.15-5.fc39?distro=fedora-39', 'a zero epoch is left out');
});

test('npm: the scope is the namespace, its @ percent-encoded', (t) => {
  t.is(purlOf({ type: 'npm', name: '@types/node', version: '20.1.0' }), 'pkg:npm/%40types/node@20.1.0');
  t.is(purlOf({ type: 'npm', name: 'express', version: '4.19.2' }), 'pkg:npm/express@4.19.2');
});

test('pypi: name lowercased, underscores as dashes', (t) => {
  t.is(purlOf({ type: 'pypi', name: 'Django_Rest_Framework', version: '3.15.1' }), 'pkg:pypi/django-rest-framework@3.15.1');
  t.is(purlOf({ type: 'pypi', name: 'zope.interface', version: '6.2' }), 'pkg:pypi/zope.interface@6.2');
});

test('golang: the module path minus its last segment is the namespace', (t) => {
  t.is(purlOf({ type: 'golang', name: 'github.com/x/y', version: 'v1.2.3' }), 'pkg:golang/github.com/x/y@v1.2.3');
  t.is(purlOf({ type: 'golang', name: 'golang.org/x/net', version: 'v0.23.0' }), 'pkg:golang/golang.org/x/net@v0.23.0');
  t.is(purlOf({ type: 'golang', name: 'stdlib', version: '1.22.1' }), 'pkg:golang/stdlib@1.22.1');
});

test('maven: groupId as namespace', (t) => {
  t.is(purlOf({ type: 'maven', namespace: 'org.apache', name: 'commons-lang3', version: '3.12.0' }), 'pkg:maven/org.apache/commons-lang3@3.12.0');
});

test('a record the purl rules reject still gets a well-formed purl', (t) => {
  const purl = purlOf({ type: 'maven', name: 'orphan', version: '1.0' });
  t.is(purl, 'pkg:maven/orphan@1.0');
});
