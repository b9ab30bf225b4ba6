import test from 'ava';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSbom, writeAtomically, type SbomArgs } from '../../../src/cli/sbom.js';
import type { GlobalOptions } from '../../../src/plugin/argv.js';
import { UsageError } from '../../../src/cli/usage-error.js';
import { file, imageConfig, layerTar, legacyArchive } from '../helpers/archives.js';

const GLOBAL: GlobalOptions = { hosts: [], debug: false };
const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n';
const stanza = (name: string, version: string) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`;

/** A two-layer Debian-like image: the base has libc6, the own step adds curl. */
async function archiveFile(dir: string): Promise<string> {
  const l0 = await layerTar([file('etc/os-release', OS_RELEASE), file('var/lib/dpkg/status', stanza('libc6', '2.36-9') + '\n')]);
  const l1 = await layerTar([file('var/lib/dpkg/status', [stanza('libc6', '2.36-9'), stanza('curl', '7.88.1-10')].join('\n'))]);
  const config = imageConfig([l0, l1], {
    history: [{ created_by: '/bin/sh -c #(nop) ADD file:abc in / ' }, { created_by: 'RUN /bin/sh -c apt-get install -y curl # buildkit' }],
  });
  const target = path.join(dir, 'image.tar');
  await writeFile(target, await legacyArchive({ config, layers: [l0, l1], repoTags: ['demo:1'] }));
  return target;
}

const args = (over: Partial<SbomArgs>): SbomArgs => ({ format: 'table', cache: false, timeout: 120, debug: false, ...over });

test('sbom --archive writes a CycloneDX document of the archive’s image to --output', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sbom-'));
  const out = path.join(dir, 'bom.json');
  const code = await runSbom(args({ archive: await archiveFile(dir), format: 'cyclonedx', output: out }), GLOBAL);
  t.is(code, 0);
  const bom = JSON.parse(await readFile(out, 'utf8')) as { metadata: { component: { name: string } }; components: Array<{ name: string; purl?: string; properties?: Array<{ name: string; value: string }> }> };
  t.is(bom.metadata.component.name, 'demo:1');
  const curl = bom.components.find((c) => c.name === 'curl');
  t.is(curl?.purl, 'pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12');
  t.deepEqual(curl?.properties?.find((p) => p.name === 'docker-security-policy:layer-index')?.value, '1');
  const libc = bom.components.find((c) => c.name === 'libc6');
  t.deepEqual(libc?.properties?.find((p) => p.name === 'docker-security-policy:layer-index')?.value, '0');
  t.deepEqual(await readdir(dir), ['bom.json', 'image.tar'], 'no temporary file is left behind');
});

test('sbom --archive with a name the archive does not hold is a usage error naming what it holds', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sbom-'));
  const archive = await archiveFile(dir);
  const err = await t.throwsAsync(runSbom(args({ archive, images: ['other:2'] }), GLOBAL), { instanceOf: UsageError });
  t.regex(err!.message, /has no image other:2 \(it holds: demo:1\)/);
});

test('sbom takes exactly one image', async (t) => {
  await t.throwsAsync(runSbom(args({ images: ['a', 'b'] }), GLOBAL), { instanceOf: UsageError, message: /one image/ });
  await t.throwsAsync(runSbom(args({ images: [] }), GLOBAL), { instanceOf: UsageError, message: /needs an image/ });
});

test('writeAtomically replaces the file whole', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sbom-'));
  const target = path.join(dir, 'x.json');
  await writeFile(target, 'old');
  await writeAtomically(target, 'new');
  t.is(await readFile(target, 'utf8'), 'new');
  t.deepEqual(await readdir(dir), ['x.json']);
});
