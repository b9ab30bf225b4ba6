// What the tools themselves say the bill-of-materials fixture images hold
// (scripts/sbom-fixtures.sh writes it to ${DSP_SBOM_FIXTURES}): the ground
// truth the sbom and vulns integration tests compare against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PLANTED = 'dsp-sbom/planted';
export const ALPINE_BASE = 'dsp-sbom/alpine:3.19';
export const ALPINE_APP = 'dsp-sbom/alpine-app';

const fixturesDir = () => process.env.DSP_SBOM_FIXTURES ?? '/tmp/dsp-test-daemon/sbom-fixtures';

/** A tab-separated fixture file, one array per line. */
export function tsv(file: string): string[][] {
  return readFileSync(join(fixturesDir(), file), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

export interface DpkgPackage {
  name: string;
  version: string;
  arch: string;
  source: string;
  sourceVersion: string;
}

/** What `dpkg-query -W` says the Debian base has installed. */
export function dpkgTruth(): DpkgPackage[] {
  return tsv('dpkg.tsv').map(([name, version, arch, source, sourceVersion]) => ({
    name: name!,
    version: version!,
    arch: arch!,
    source: source!,
    sourceVersion: sourceVersion!,
  }));
}

/** The planted Go binary's path and toolchain (`1.19.8`), as its build info says. */
export function goTruth(): { path: string; go: string; lines: string[][] } {
  const lines = tsv('go.txt');
  const path = lines.find((l) => l[0] === 'binary')![1]!;
  const go = lines.find((l) => l[0] === 'go')![1]!.replace(/^go/, '');
  return { path, go, lines };
}
