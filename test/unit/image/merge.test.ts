import test from 'ava';
import { readLayer, NO_CONTENT, type ContentRequest, type LayerContents } from '../../../src/image/layer-reader.js';
import { mergeLayers } from '../../../src/image/merge.js';
import { chunked, dir, file, layerTar, opaque, sortedFacts, symlink, whiteout, type EntrySpec } from '../helpers/archives.js';

async function layers(specs: EntrySpec[][], request: ContentRequest = NO_CONTENT): Promise<LayerContents[]> {
  const out: LayerContents[] = [];
  for (const s of specs) out.push(await readLayer(chunked(await layerTar(s), 1000), request));
  return out;
}

async function merged(specs: EntrySpec[][]): Promise<Array<[string, number]>> {
  return sortedFacts(mergeLayers(await layers(specs)).files.values()).map((f) => [f.path, f.layerIndex]);
}

test('a whiteout deletes a file from lower layers', async (t) => {
  t.deepEqual(
    await merged([
      [dir('etc'), file('etc/secret', 's'), file('etc/keep', 'k')],
      [whiteout('etc/secret')],
    ]),
    [['/etc', 0], ['/etc/keep', 0]],
  );
});

test('a whiteout of a directory deletes its whole subtree from lower layers', async (t) => {
  t.deepEqual(
    await merged([
      [dir('var'), dir('var/lib'), dir('var/lib/apt'), dir('var/lib/apt/lists'), file('var/lib/apt/lists/a', 'a'), file('var/lib/keep', 'k')],
      [dir('var/lib/apt/lists'), file('var/lib/apt/lists/b', 'b')],
      [dir('var/lib'), whiteout('var/lib/apt')],
    ]),
    [['/var', 0], ['/var/lib', 2], ['/var/lib/keep', 0]],
  );
});

test('an opaque directory hides the lower layers\' children but keeps its own layer\'s children and the directory itself', async (t) => {
  t.deepEqual(
    await merged([
      [dir('opt'), dir('opt/app'), file('opt/app/old', 'o'), dir('opt/app/lib'), file('opt/app/lib/x.so', 'x'), file('opt/other', 'o')],
      [dir('opt/app', { mode: 0o700 }), opaque('opt/app'), file('opt/app/new', 'n')],
    ]),
    [['/opt', 0], ['/opt/app', 1], ['/opt/app/new', 1], ['/opt/other', 0]],
  );
  const [top] = sortedFacts(mergeLayers(await layers([[dir('d'), file('d/a')], [dir('d', { mode: 0o700 }), opaque('d')]])).files.values());
  t.like(top, { path: '/d', mode: 0o700, layerIndex: 1 });
});

test('an opaque marker at the root hides every lower path', async (t) => {
  t.deepEqual(await merged([[dir('etc'), file('etc/a')], [opaque(''), file('b')]]), [['/b', 1]]);
});

test('a file in an upper layer replacing a directory hides the lower subtree', async (t) => {
  t.deepEqual(
    await merged([
      [dir('srv'), dir('srv/data'), file('srv/data/a', 'a'), dir('srv/data/sub'), file('srv/data/sub/b', 'b')],
      [dir('srv'), file('srv/data', 'now a file')],
    ]),
    [['/srv', 1], ['/srv/data', 1]],
  );
  // A symlink replacing a directory hides it just as well.
  t.deepEqual(await merged([[dir('lib'), file('lib/a')], [symlink('lib', 'usr/lib')]]), [['/lib', 1]]);
});

test('a directory re-created above a file that replaced a directory does not bring back the old subtree', async (t) => {
  // Layer 1 turns /d into a file (the engine's unpacking removes /d/a), layer 2 makes /d a directory again.
  t.deepEqual(
    await merged([
      [dir('d'), file('d/a', 'a')],
      [file('d', 'file')],
      [dir('d'), file('d/b', 'b')],
    ]),
    [['/d', 2], ['/d/b', 2]],
  );
});

test('re-creating a deleted path in a higher layer shows it again (only the new content)', async (t) => {
  t.deepEqual(
    await merged([
      [dir('etc'), dir('etc/app'), file('etc/app/old.conf'), file('etc/motd', 'v1')],
      [whiteout('etc/app'), whiteout('etc/motd')],
      [dir('etc/app'), file('etc/app/new.conf'), file('etc/motd', 'v3')],
    ]),
    [['/etc', 0], ['/etc/app', 2], ['/etc/app/new.conf', 2], ['/etc/motd', 2]],
  );
});

test('a whiteout does not delete entries of its own layer', async (t) => {
  t.deepEqual(
    await merged([
      [dir('tmp'), file('tmp/x', 'lower'), file('tmp/y', 'lower')],
      [file('tmp/x', 'same layer'), whiteout('tmp/x'), whiteout('tmp/y')],
    ]),
    [['/tmp', 0], ['/tmp/x', 1]],
  );
  // In either order within the tar.
  t.deepEqual(await merged([[file('x', '0')], [whiteout('x'), file('x', '1')]]), [['/x', 1]]);
});

test('a whiteout deletes only the named path, not siblings sharing its prefix', async (t) => {
  t.deepEqual(
    await merged([[dir('a'), file('a/lib', '1'), file('a/lib64', '2'), dir('a/lib.d'), file('a/lib.d/x', '3')], [whiteout('a/lib')]]),
    [['/a', 0], ['/a/lib.d', 0], ['/a/lib.d/x', 0], ['/a/lib64', 0]],
  );
});

test('the merged view keeps the captured content of the winning entry only', async (t) => {
  const request: ContentRequest = { wants: (p) => p.startsWith('/etc/'), maxBytes: 100 };
  const ls = await layers(
    [
      [dir('etc'), file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n'), file('etc/shadow', 'root:*:1::::::\n'), file('etc/big', 'small')],
      [file('etc/passwd', 'root:x:0:0::/root:/bin/sh\nu:x:1:1::/:/bin/sh\n'), whiteout('etc/shadow'), file('etc/big', 'B'.repeat(101))],
    ],
    request,
  );
  // Each layer captured its own copy…
  t.deepEqual([...ls[0].contents.keys()].sort(), ['/etc/big', '/etc/passwd', '/etc/shadow']);
  t.deepEqual([...ls[1].contents.keys()], ['/etc/passwd']);
  // …the merged view has the topmost one, nothing for a deleted file, nothing stale below an uncaptured (too large) file.
  const { contents } = mergeLayers(ls);
  t.deepEqual([...contents.keys()], ['/etc/passwd']);
  t.is(contents.get('/etc/passwd')?.toString(), 'root:x:0:0::/root:/bin/sh\nu:x:1:1::/:/bin/sh\n');
});
