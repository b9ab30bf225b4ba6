// hook install / uninstall never lose a user's config.json: every kind of
// content docker 28 writes, odd formatting, broken and protected files,
// links, and another process writing the file while we edit it.
import test from 'ava';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHook } from '../../../src/cli/hook.js';
import { emptyGlobalOptions } from '../../../src/plugin/argv.js';
import { BACKUP_SUFFIX, DockerConfigFileError, editDockerConfig, type JsonObject } from '../../../src/plugin/docker-config-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'dsp-keep-'));
const quiet = () => {};
const install = (d: string) => runHook({ action: 'install' }, { ...emptyGlobalOptions(), configDir: d }, quiet);
const uninstall = (d: string) => runHook({ action: 'uninstall' }, { ...emptyGlobalOptions(), configDir: d }, quiet);

/** As docker 28 writes it, with another plugin's hooks and keys we never heard of. */
const BASE = {
  auths: { 'https://index.docker.io/v1/': { auth: 'dTpwYXNz' }, 'ghcr.io': {}, 'registry.example:5000': { identitytoken: 'tok' } },
  credsStore: 'desktop',
  credHelpers: { 'gcr.io': 'gcloud', '123456789012.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
  proxies: { default: { httpProxy: 'http://proxy:3128', httpsProxy: 'http://proxy:3128', noProxy: 'localhost,127.0.0.1' } },
  currentContext: 'remote',
  plugins: { scout: { hooks: 'pull,build' }, debug: { hooks: 'exec' } },
  cliPluginsExtraDirs: ['/opt/docker/plugins'],
  detachKeys: 'ctrl-e,e',
  'x-unknown': [1, 2.5, null, true, { nested: 'é' }],
};

interface Case {
  name: string;
  text: string;
  /** Literals that must survive install exactly (numbers JavaScript would change). */
  literals?: string[];
}

const withFeatures = (features: JsonObject | undefined): JsonObject => (features ? { ...BASE, features } : { ...BASE });
const CASES: Case[] = [
  { name: 'tabs, features unset', text: JSON.stringify(withFeatures(undefined), null, '\t') + '\n' },
  { name: 'tabs, hooks "false"', text: JSON.stringify(withFeatures({ hooks: 'false', containerd: 'true' }), null, '\t') },
  { name: '2 spaces, hooks already "true"', text: JSON.stringify(withFeatures({ hooks: 'true' }), null, 2) + '\n' },
  { name: 'one line, no final newline', text: JSON.stringify(withFeatures({ hooks: '0' })) },
  { name: 'CRLF', text: JSON.stringify(withFeatures(undefined), null, '    ').replace(/\n/g, '\r\n') + '\r\n' },
  { name: 'odd spacing', text: '{ "auths" :{"r.example":{ "auth":"dTpw" } } ,\n\n   "plugins":{"scout" : {"hooks":"pull"}},"currentContext":"c"   }\n\n' },
  { name: 'unicode escapes', text: '{"auths":{"r\\u00e9.example":{"auth":"\\u0064Tpw"}},"psFormat":"\\ud83d\\ude00 {{.ID}}\\t\\u2028","x":"\\"\\\\\\/"}' },
  { name: 'plugins first, features in the middle', text: '{"plugins":{"scout":{"hooks":"build"}},"features":{"hooks":"false"},"auths":{}}' },
  {
    name: 'big and odd numbers, integer-like keys',
    text: '{\n\t"x-big": 12345678901234567890,\n\t"x-float": 1.50,\n\t"x-exp": 1E3,\n\t"x-neg": -0,\n\t"x-ints": {"10": 1, "2": 2, "a": 3},\n\t"auths": {}\n}\n',
    literals: ['12345678901234567890', '1.50', '1E3', '-0'],
  },
  { name: 'empty file', text: '' },
  { name: 'whitespace only', text: '\n  \n' },
];

const parse = (text: string): unknown => (text.trim() === '' ? {} : JSON.parse(text));

/** The content without our keys (and features.hooks back as it was): what must equal the original. */
function withoutOurs(content: JsonObject, original: JsonObject): JsonObject {
  const copy = structuredClone(content);
  const plugins = copy.plugins as JsonObject | undefined;
  if (plugins) {
    delete plugins['securitypolicy'];
    if (Object.keys(plugins).length === 0 && !('plugins' in original)) delete copy.plugins;
  }
  const features = copy.features as JsonObject | undefined;
  const before = (original.features as JsonObject | undefined)?.hooks;
  if (features) {
    if (before === undefined) delete features.hooks;
    else features.hooks = before;
    if (Object.keys(features).length === 0 && !('features' in original)) delete copy.features;
  }
  return copy;
}

for (const c of CASES) {
  test(`install keeps every key, uninstall gives back the exact bytes: ${c.name}`, (t) => {
    const d = dir();
    const file = join(d, 'config.json');
    writeFileSync(file, c.text, { mode: 0o600 });
    t.is(install(d), 0);
    const installedText = readFileSync(file, 'utf8');
    const installed = JSON.parse(installedText) as JsonObject;
    t.is(((installed.plugins as JsonObject).securitypolicy as JsonObject).hooks !== undefined, true);
    t.is((installed.features as JsonObject).hooks, 'true');
    t.deepEqual(withoutOurs(installed, parse(c.text) as JsonObject), parse(c.text) as JsonObject, 'every key and value the user had');
    for (const literal of c.literals ?? []) t.true(installedText.includes(literal), `${literal} written as it was`);
    if (c.text.includes('\r\n')) t.false(/[^\r]\n/.test(installedText), 'CRLF stays CRLF');
    t.is(statSync(file).mode & 0o777, 0o600);
    t.is(uninstall(d), 0);
    t.is(readFileSync(file, 'utf8'), c.text, 'byte-identical after uninstall');
    t.deepEqual(readdirSync(d).sort(), ['config.json', 'config.json' + BACKUP_SUFFIX], 'no temporary file left');
  });
}

test('a change the user made between install and uninstall is kept; the rest is as before, numbers as written', (t) => {
  const d = dir();
  const file = join(d, 'config.json');
  const original = CASES.find((c) => c.literals)!.text;
  writeFileSync(file, original);
  install(d);
  // docker login elsewhere: a new registry (written here as text, so the test itself keeps the literals)
  writeFileSync(file, readFileSync(file, 'utf8').replace('"auths": {}', '"auths": {"new.example": {"auth": "eDp5"}}'));
  uninstall(d);
  const text = readFileSync(file, 'utf8');
  const expected = parse(original) as JsonObject;
  (expected.auths as JsonObject)['new.example'] = { auth: 'eDp5' };
  t.deepEqual(JSON.parse(text), expected);
  for (const literal of ['12345678901234567890', '1.50', '1E3', '-0']) t.true(text.includes(literal), literal);
});

test('invalid JSON: one-line error naming the place, exit code 2, file byte-identical, no backup', (t) => {
  const d = dir();
  const file = join(d, 'config.json');
  const bad = '{\n\t"auths": {},\n\t"credsStore": "desktop",,\n}\n';
  writeFileSync(file, bad);
  const err = t.throws(() => install(d), { instanceOf: DockerConfigFileError });
  t.is(err?.exitCode, 2);
  t.regex(err!.message, /config\.json:3:\d+: not valid JSON.*not changed/);
  t.false(err!.message.includes('\n'));
  t.is(readFileSync(file, 'utf8'), bad);
  t.deepEqual(readdirSync(d), ['config.json']);
});

test('a read-only config.json: one-line error, exit code 2, bytes and mode unchanged (even for root)', (t) => {
  const d = dir();
  const file = join(d, 'config.json');
  const text = JSON.stringify(BASE, null, '\t');
  writeFileSync(file, text);
  chmodSync(file, 0o444);
  const err = t.throws(() => install(d), { instanceOf: DockerConfigFileError });
  t.is(err?.exitCode, 2);
  t.regex(err!.message, /config\.json is read-only; .*not changed/);
  t.false(err!.message.includes('\n'));
  t.is(readFileSync(file, 'utf8'), text);
  t.is(statSync(file).mode & 0o777, 0o444);
  t.deepEqual(readdirSync(d), ['config.json']);
});

test('a read-only directory: one-line error, exit code 2, nothing changed (even for root)', (t) => {
  const d = dir();
  const file = join(d, 'config.json');
  const text = JSON.stringify(BASE, null, '\t');
  writeFileSync(file, text);
  chmodSync(d, 0o555);
  try {
    const err = t.throws(() => install(d), { instanceOf: DockerConfigFileError });
    t.is(err?.exitCode, 2);
    t.regex(err!.message, /directory .* is read-only/);
    t.is(readFileSync(file, 'utf8'), text);
    t.deepEqual(readdirSync(d), ['config.json']);
  } finally {
    chmodSync(d, 0o700);
  }
});

test('a symlinked config.json: the target is edited, the link stays a link; uninstall restores the target', (t) => {
  const d = dir();
  mkdirSync(join(d, 'dotfiles'));
  const target = join(d, 'dotfiles', 'docker-config.json');
  const text = JSON.stringify(BASE, null, 2) + '\n';
  writeFileSync(target, text, { mode: 0o640 });
  const cfg = join(d, 'docker');
  mkdirSync(cfg);
  symlinkSync('../dotfiles/docker-config.json', join(cfg, 'config.json'));
  install(cfg);
  t.true(lstatSync(join(cfg, 'config.json')).isSymbolicLink());
  t.truthy(((JSON.parse(readFileSync(target, 'utf8')) as JsonObject).plugins as JsonObject).securitypolicy);
  t.is(statSync(target).mode & 0o777, 0o640);
  uninstall(cfg);
  t.true(lstatSync(join(cfg, 'config.json')).isSymbolicLink());
  t.is(readFileSync(target, 'utf8'), text);
});

test('another writer changes the file during our edit: the edit starts again on their content, their change is kept', (t) => {
  const d = dir();
  const file = join(d, 'config.json');
  writeFileSync(file, JSON.stringify(BASE, null, '\t'));
  let raced = 0;
  const r = editDockerConfig(
    d,
    (c) => {
      c['x-ours'] = 'yes';
      return true;
    },
    {
      beforeCommit: () => {
        if (raced++ > 0) return;
        // as docker login does: a new file renamed over the old one
        const theirs = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
        (theirs.auths as JsonObject)['login.example'] = { auth: 'bjpw' };
        writeFileSync(file + '.login', JSON.stringify(theirs, null, '\t'));
        renameSync(file + '.login', file);
      },
    },
  );
  t.true(r.changed);
  t.is(raced, 2, 'one retry');
  const final = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  t.is(final['x-ours'], 'yes');
  t.deepEqual((final.auths as JsonObject)['login.example'], { auth: 'bjpw' });
});

test('a writer that never stops: the edit gives up with a one-line error and changes nothing', (t) => {
  const d = dir();
  const file = join(d, 'config.json');
  writeFileSync(file, '{"n":0}');
  let n = 0;
  const err = t.throws(() => editDockerConfig(d, (c) => ((c.x = 1), true), { beforeCommit: () => writeFileSync(file, `{"n":${++n}}`) }), { instanceOf: DockerConfigFileError });
  t.regex(err!.message, /kept changing/);
  t.is(readFileSync(file, 'utf8'), `{"n":${n}}`);
});

// A docker-login-like writer in another process: read, change its key, write a temp file, rename; every 10 ms (docker login writes far less often).
const WRITER = `
const fs = require('fs');
const [file, id, count] = [process.argv[1], process.argv[2], Number(process.argv[3])];
let lost = 0;
for (let i = 1; i <= count; i++) {
  const c = JSON.parse(fs.readFileSync(file, 'utf8'));
  if ((c['x-writer-' + id] ?? 0) !== i - 1) lost++;
  c['x-writer-' + id] = i;
  fs.writeFileSync(file + '.' + id, JSON.stringify(c, null, '\\t'));
  fs.renameSync(file + '.' + id, file);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
}
process.stdout.write(String(lost));
`;

test('racing writers in other processes: none of their changes is lost to our edits', async (t) => {
  const d = dir();
  const file = join(d, 'config.json');
  writeFileSync(file, JSON.stringify(BASE, null, '\t'));
  const COUNT = 60;
  const writer = spawn(process.execPath, ['-e', WRITER, file, 'a', String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lost = '';
  writer.stdout.on('data', (b: Buffer) => (lost += b.toString()));
  const done = new Promise<number>((resolve) => writer.on('exit', (code) => resolve(code ?? 1)));
  await new Promise((resolve) => setTimeout(resolve, 20));
  let edits = 0;
  while (writer.exitCode === null && edits < 400) {
    editDockerConfig(d, (c) => {
      c['x-ours'] = edits;
      return true;
    });
    edits++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.is(await done, 0);
  t.true(edits > 10, `${edits} edits raced the writer`);
  // Re-reading right before the rename leaves only the microseconds between that read and the rename
  // (POSIX has no conditional rename): without it, about every other edit here would undo a write.
  t.true(Number(lost) <= Math.max(3, edits / 40), `the writer found its last change gone ${lost} times in ${COUNT} writes, against ${edits} edits`);
  t.log(`${edits} edits against ${COUNT} writes: ${lost} writes lost`);
  t.false(existsSync(file + '.a'));
});
