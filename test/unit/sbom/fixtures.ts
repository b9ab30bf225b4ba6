// Synthetic scanner hits and a three-layer Debian image for the bill-of-materials tests.
import { inventoryOf } from '../../../src/sbom/inventory.js';
import type { LayerScanHit } from '../../../src/image/file-scanner.js';
import type { ImageFacts } from '../../../src/image/facts.js';
import { osReleaseHit, packageHit, type OsRelease, type PackageRecord } from '../../../src/sbom/package-record.js';
import { DEBIAN_BASE, makeFacts, type FactsSpec } from '../helpers/facts.js';

export const BOOKWORM: OsRelease = { id: 'debian', versionId: '12', versionCodename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' };

export function pkg(layerIndex: number, path: string, record: PackageRecord, scanner = 'test'): LayerScanHit {
  return { scanner, layerIndex, ...packageHit(path, record) };
}

export function osHit(layerIndex: number, os: OsRelease, path = '/etc/os-release'): LayerScanHit {
  return { scanner: 'os-release', layerIndex, ...osReleaseHit(path, os) };
}

export function hit(layerIndex: number, path: string, kind: string, data: Record<string, string>): LayerScanHit {
  return { scanner: 'test', layerIndex, kind, path, data };
}

export function deb(name: string, version: string, extra: Partial<PackageRecord> = {}): PackageRecord {
  return { type: 'deb', name, version, arch: 'amd64', origin: 'installed', ...extra };
}

/** Layer 0: the Debian base (step 0, inherited); layer 1: step 2 installs curl; layer 2: step 3 upgrades. */
export const THREE_LAYERS: FactsSpec['history'] = [
  ...DEBIAN_BASE,
  'RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit',
  'RUN /bin/sh -c apt-get upgrade -y # buildkit',
];

export const STATUS = '/var/lib/dpkg/status';

/** facts whose merged view has each given path last written by the given layer. */
export function factsWith(hits: LayerScanHit[], lastWriters: Record<string, number>, spec: FactsSpec = {}): ImageFacts {
  return makeFacts({
    history: THREE_LAYERS,
    ...spec,
    files: Object.entries(lastWriters).map(([path, layerIndex]) => ({ path, layerIndex })),
    scanHits: hits,
  });
}

/** A small image with one of each kind of component, licence shape and note, for the formats. */
export function sampleInput(): import('../../../src/sbom/formats/input.js').SbomInput {
  const jar = '/app/app.jar';
  const hits: LayerScanHit[] = [
    osHit(0, BOOKWORM),
    pkg(0, STATUS, deb('libc6', '2.36-9+deb12u4', { sourceName: 'glibc' })),
    pkg(1, STATUS, deb('libc6', '2.36-9+deb12u4', { sourceName: 'glibc' })),
    pkg(1, STATUS, deb('tzdata', '2024a-0+deb12u1')),
    pkg(2, STATUS, deb('libc6', '2.36-9+deb12u4', { sourceName: 'glibc' })),
    pkg(2, STATUS, deb('tzdata', '2024a-0+deb12u1')),
    pkg(2, STATUS, deb('curl', '7.88.1-10+deb12u5')),
    hit(0, '/usr/share/doc/libc6/copyright', 'package-license', { package: 'libc6', license: 'LGPL-2.1-or-later AND GPL-2.0-or-later' }),
    hit(1, '/usr/share/doc/tzdata/copyright', 'package-license', { package: 'tzdata', license: 'public-domain' }),
    pkg(2, '/app/node_modules/@types/node/package.json', { type: 'npm', name: '@types/node', version: '20.1.0', license: 'MIT' }),
    pkg(2, '/srv/node_modules/@types/node/package.json', { type: 'npm', name: '@types/node', version: '20.1.0', license: 'MIT' }),
    pkg(2, '/app/node_modules/dual/package.json', { type: 'npm', name: 'dual', version: '1.0.0', license: '(MIT OR Apache-2.0)' }),
    pkg(2, jar, { type: 'maven', namespace: 'org.apache.commons', name: 'commons-lang3', version: '3.12.0', license: 'Apache License, Version 2.0', innerPath: 'BOOT-INF/lib/commons-lang3-3.12.0.jar', origin: 'archive' }),
    pkg(2, '/usr/lib/python3/dist-packages/Jinja2-3.1.2.dist-info/METADATA', { type: 'pypi', name: 'Jinja2', version: '3.1.2', license: 'BSD' }),
    pkg(2, '/usr/local/bin/app', { type: 'golang', name: 'golang.org/x/net', version: 'v0.23.0', origin: 'binary' }),
    hit(2, '/app/other.jar', 'archive-unread', { reason: 'truncated zip' }),
  ];
  const paths = [...new Set(hits.map((h) => h.path))];
  const last = Object.fromEntries(paths.map((p) => [p, Math.max(...hits.filter((h) => h.path === p).map((h) => h.layerIndex))]));
  const facts = factsWith(hits, last, { repoTags: ['shop/api:1.4'], id: `sha256:${'c0ffee'.repeat(10)}abcd` });
  return { facts, inventory: inventoryOf(facts), toolVersion: '0.1.0', created: new Date('2024-05-01T12:00:00.000Z') };
}
