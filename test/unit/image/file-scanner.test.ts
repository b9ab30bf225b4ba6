import test from 'ava';
import { readLayer } from '../../../src/image/layer-reader.js';
import type { FileScanner } from '../../../src/image/file-scanner.js';
import { chunked, factsOfLayers, file, layerTar, whiteout } from '../helpers/archives.js';

/** Reports every file containing TOKEN, by line; records what it was shown. */
function tokenScanner(seen: string[] = []): FileScanner {
  return {
    id: 'token',
    version: 1,
    maxBytes: 64,
    wants: (path) => !path.startsWith('/usr/share/'),
    sniff: (head) => !head.includes(0),
    scan(path, bytes) {
      seen.push(path);
      if (!bytes) return [{ kind: 'too-big', path }];
      return bytes
        .toString('utf8')
        .split('\n')
        .flatMap((line, i) => (line.includes('TOKEN') ? [{ kind: 'token', path, line: i + 1, excerpt: 'TOK***' }] : []));
    },
  };
}

const request = (scanners: FileScanner[]) => ({ wants: () => false, maxBytes: 0, paths: [], scanners });

test('a scanner sees each file it wants once, whole, and its hits carry the line and the scanner id', async (t) => {
  const seen: string[] = [];
  const tar = await layerTar([
    file('app/config', 'a=1\nkey=TOKEN\n'),
    file('usr/share/doc/readme', 'TOKEN'),
    file('app/clean', 'nothing here'),
  ]);
  const layer = await readLayer(chunked(tar, 7), request([tokenScanner(seen)]));
  t.deepEqual(seen, ['/app/config', '/app/clean'], 'wants() decides before any byte is read');
  t.deepEqual(layer.hits, [{ scanner: 'token', kind: 'token', path: '/app/config', line: 2, excerpt: 'TOK***' }]);
  t.is(layer.contents.size, 0, 'scanned bytes are not kept');
});

test('a binary is let go after its first bytes, and a file over the cap is judged by name alone', async (t) => {
  const seen: string[] = [];
  const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from('TOKEN')]);
  const tar = await layerTar([file('app/bin', binary), file('app/big', 'TOKEN'.repeat(20))]);
  const layer = await readLayer(chunked(tar, 3), request([tokenScanner(seen)]));
  t.deepEqual(seen, ['/app/big']);
  t.deepEqual(layer.hits, [{ scanner: 'token', kind: 'too-big', path: '/app/big' }]);
});

test('a hit in a file a later layer deletes stays in the facts, on the layer that carries it', async (t) => {
  const scanners = [tokenScanner()];
  const lower = await readLayer(chunked(await layerTar([file('root/.netrc', 'password TOKEN\n')]), 512), request(scanners));
  const upper = await readLayer(chunked(await layerTar([whiteout('root/.netrc')]), 512), request(scanners));
  const facts = factsOfLayers([lower, upper], 'app:1');
  t.is(facts.files.get('/root/.netrc'), undefined, 'the merged view no longer has the file');
  t.deepEqual(facts.scanHits, [{ scanner: 'token', kind: 'token', path: '/root/.netrc', line: 1, excerpt: 'TOK***', layerIndex: 0 }]);
  t.is(facts.reference, 'app:1');
});
