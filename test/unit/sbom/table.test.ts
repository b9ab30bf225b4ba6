import test from 'ava';
import { countLine, renderSbomTable } from '../../../src/sbom/formats/table.js';
import { sampleInput } from './fixtures.js';

const plain = renderSbomTable(sampleInput(), { width: 160, color: false });
const rowOf = (name: string) => plain.split('\n').find((l) => l.includes(` ${name} `))!;

test('the header names the image, its OS, the count by type and the notes', (t) => {
  const [title, counts, note] = plain.split('\n');
  t.is(title, `shop/api:1.4 c0ffeec0ffee  OS: Debian GNU/Linux 12 (bookworm)`);
  t.is(counts, '8 components: 3 deb, 2 npm, 1 golang, 1 maven, 1 pypi');
  t.is(note, 'note: /app/other.jar: archive not read: truncated zip');
});

test('a row: type, name, version, licence, layer with own/base, the step and the path', (t) => {
  const libc = rowOf('libc6');
  for (const cell of ['deb', 'libc6', '2.36-9+deb12u4', 'LGPL-2.1-or-later', '0 base', 'ADD file:', '/var/lib/dpkg/status']) t.true(libc.includes(cell), `${cell} in ${libc}`);
  const curl = rowOf('curl');
  for (const cell of ['7.88.1-10+deb12u5', '2 own', 'RUN apt-get upgrade -y']) t.true(curl.includes(cell), `${cell} in ${curl}`);
});

test('a component found at several places says how many more', (t) => {
  t.regex(plain, /\(\+1 more\)/);
});

test('no escape codes without colour; bold names with it', (t) => {
  // eslint-disable-next-line no-control-regex
  t.false(/\u001b\[/.test(plain));
  t.true(renderSbomTable(sampleInput(), { width: 160, color: true }).includes('\u001b[1mshop/api:1.4\u001b[0m'));
});

test('the table fits the terminal width', (t) => {
  const narrow = renderSbomTable(sampleInput(), { width: 100, color: false });
  for (const line of narrow.split('\n').slice(3)) t.true(line.length <= 100, `${line.length}: ${line}`);
});

test('an empty inventory says so', (t) => {
  t.is(countLine([]), 'no components found');
});
