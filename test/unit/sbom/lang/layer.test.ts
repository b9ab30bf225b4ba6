import test from 'ava';
import { readLayer } from '../../../../src/image/layer-reader.js';
import { npmScanner } from '../../../../src/sbom/scanners/npm.js';
import { pythonScanner } from '../../../../src/sbom/scanners/python.js';
import { goBuildinfoScanner } from '../../../../src/sbom/scanners/go-buildinfo.js';
import { javaScanner } from '../../../../src/sbom/scanners/java.js';
import { chunked, dir, file, layerTar } from '../../helpers/archives.js';
import { buildInfo, elfWith } from './go-buildinfo-writer.js';
import { zip } from './zip-writer.js';

const scanners = [npmScanner, pythonScanner, goBuildinfoScanner, javaScanner];

test('the four language scanners run through the real layer reader, each on its own files', async (t) => {
  const goBinary = elfWith(buildInfo('go1.22.1', ['path\tex.com/x', 'mod\tex.com/x\tv1.2.3\th1:x=', 'dep\tgolang.org/x/sys\tv0.18.0\th1:y=']), 700 * 1024, 200 * 1024);
  const jar = zip([
    { name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\n', method: 'deflated', descriptor: true },
    { name: 'META-INF/maven/org.slf4j/slf4j-api/pom.properties', content: 'groupId=org.slf4j\nartifactId=slf4j-api\nversion=2.0.9\n', method: 'deflated', descriptor: true },
  ]);
  const tar = await layerTar([
    dir('app/node_modules/left-pad'),
    file('app/node_modules/left-pad/package.json', JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' })),
    file('app/node_modules/left-pad/test/package.json', JSON.stringify({ name: 'fixture', version: '0.0.0' })),
    file('usr/lib/python3/dist-packages/idna-3.6.dist-info/METADATA', 'Metadata-Version: 2.1\nName: idna\nVersion: 3.6\nClassifier: License :: OSI Approved :: BSD License\n\n' + 'body\n'.repeat(50_000)),
    file('usr/local/bin/x', goBinary, { mode: 0o755 }),
    file('app/lib/slf4j-api-2.0.9.jar', jar),
    file('etc/hostname', 'box\n'),
  ]);
  const layer = await readLayer(chunked(tar, 8192), { wants: () => false, maxBytes: 0, paths: [], scanners });
  t.deepEqual(
    layer.hits.map((h) => `${h.scanner} ${h.kind} ${h.path} ${h.data?.type}:${h.data?.namespace ? h.data.namespace + '/' : ''}${h.data?.name}@${h.data?.version} ${h.data?.license ?? ''}`.trim()),
    [
      'npm package /app/node_modules/left-pad/package.json npm:left-pad@1.3.0 WTFPL',
      'python package /usr/lib/python3/dist-packages/idna-3.6.dist-info/METADATA pypi:idna@3.6 BSD-3-Clause',
      'go-buildinfo package /usr/local/bin/x golang:ex.com/x@v1.2.3',
      'go-buildinfo package /usr/local/bin/x golang:golang.org/x/sys@v0.18.0',
      'go-buildinfo package /usr/local/bin/x golang:stdlib@1.22.1',
      'java package /app/lib/slf4j-api-2.0.9.jar maven:org.slf4j/slf4j-api@2.0.9',
    ],
  );
  t.is(layer.contents.size, 0, 'nothing is captured');
});
