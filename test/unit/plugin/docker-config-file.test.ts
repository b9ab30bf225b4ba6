// Read-modify-write of config.json: other keys kept, style kept, atomic
// rename, a backup, and a broken file never touched.
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKUP_SUFFIX, DockerConfigFileError, editDockerConfig, formatLike, jsonErrorOffset, keyFor, readDockerConfig } from '../../../src/plugin/docker-config-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'dsp-dcfg-'));

test('an edit keeps every other key, in order, with the file\'s indentation and final newline', (t) => {
  const d = dir();
  const original = '{\n  "auths": {\n    "r.example": { "auth": "dTpw" }\n  },\n  "currentContext": "prod",\n  "x-unknown": [1, 2.5, null, true]\n}\n';
  writeFileSync(join(d, 'config.json'), original, { mode: 0o640 });
  const r = editDockerConfig(d, (c) => {
    c.plugins = { p: { hooks: 'build' } };
    return true;
  });
  t.true(r.changed);
  const text = readFileSync(join(d, 'config.json'), 'utf8');
  t.is(
    text,
    '{\n  "auths": {\n    "r.example": {\n      "auth": "dTpw"\n    }\n  },\n  "currentContext": "prod",\n  "x-unknown": [\n    1,\n    2.5,\n    null,\n    true\n  ],\n  "plugins": {\n    "p": {\n      "hooks": "build"\n    }\n  }\n}\n',
  );
  t.is(statSync(join(d, 'config.json')).mode & 0o777, 0o640);
  t.is(r.backup, join(d, 'config.json' + BACKUP_SUFFIX));
  t.is(readFileSync(r.backup!, 'utf8'), original);
  t.is(statSync(r.backup!).mode & 0o777, 0o600);
  // no temporary files left behind
  t.deepEqual(readdirSync(d).sort(), ['config.json', 'config.json' + BACKUP_SUFFIX]);
});

test('an edit that changes nothing writes nothing', (t) => {
  const d = dir();
  writeFileSync(join(d, 'config.json'), '{"a":1}');
  const r = editDockerConfig(d, () => false);
  t.false(r.changed);
  t.deepEqual(readdirSync(d), ['config.json']);
});

test('a missing file is created 0600 with a tab indent, as docker writes it; no backup', (t) => {
  const d = join(dir(), 'nested');
  const r = editDockerConfig(d, (c) => {
    c.features = { hooks: 'true' };
    return true;
  });
  t.is(readFileSync(join(d, 'config.json'), 'utf8'), '{\n\t"features": {\n\t\t"hooks": "true"\n\t}\n}\n');
  t.is(statSync(join(d, 'config.json')).mode & 0o777, 0o600);
  t.is(r.backup, undefined);
});

test('an empty file is an empty configuration', (t) => {
  const d = dir();
  writeFileSync(join(d, 'config.json'), '  \n');
  t.deepEqual(readDockerConfig(d).content, {});
});

test('invalid JSON: exit-2 error naming the file and the place, and the file is not touched', (t) => {
  const d = dir();
  const broken = '{\n  "auths": {},\n  "x": ,\n}\n';
  writeFileSync(join(d, 'config.json'), broken);
  const err = t.throws(() => editDockerConfig(d, () => true), { instanceOf: DockerConfigFileError });
  t.is(err?.exitCode, 2);
  t.is(err!.message, `${join(d, 'config.json')}:3:8: not valid JSON; fix it, then run this again (the file was not changed)`);
  t.is(readFileSync(join(d, 'config.json'), 'utf8'), broken);
  t.deepEqual(readdirSync(d), ['config.json']);
  writeFileSync(join(d, 'config.json'), '["not", "an object"]');
  t.throws(() => editDockerConfig(d, () => true), { message: /expected a JSON object/ });
});

test('a symlinked config.json is edited through the link, as docker does', (t) => {
  const d = dir();
  mkdirSync(join(d, 'real'));
  writeFileSync(join(d, 'real', 'config.json'), '{"a":"b"}');
  mkdirSync(join(d, 'cfg'));
  symlinkSync(join(d, 'real', 'config.json'), join(d, 'cfg', 'config.json'));
  editDockerConfig(join(d, 'cfg'), (c) => {
    c.n = 'm';
    return true;
  });
  t.deepEqual(JSON.parse(readFileSync(join(d, 'real', 'config.json'), 'utf8')), { a: 'b', n: 'm' });
  t.true(statSync(join(d, 'cfg', 'config.json')).isFile());
  t.true(existsSync(join(d, 'real', 'config.json' + BACKUP_SUFFIX)));
});

test('the place of a JSON syntax error', (t) => {
  t.is(jsonErrorOffset('{"a": 1}'), undefined);
  t.is(jsonErrorOffset('{"a": [1, 2.5e3, true, null, "x\\u00e9"], "b": {}}'), undefined);
  t.is(jsonErrorOffset('{"a": 1,}'), 8);
  t.is(jsonErrorOffset('{"a" 1}'), 5);
  t.is(jsonErrorOffset('{"a": 01}'), 7);
  t.is(jsonErrorOffset('{"a": "b"} x'), 11);
  t.is(jsonErrorOffset('{"a": "b'), 8);
  t.is(jsonErrorOffset(''), 0);
  for (const bad of ['{"a": 1,}', '{"a" 1}', '[1 2]', '{"a": tru}', '{"a":"\\q"}']) t.throws(() => JSON.parse(bad), undefined, bad);
});

test('style: one-line files get a tab indent; no final newline stays so', (t) => {
  t.is(formatLike({ a: 'b' }, '{"a":"c"}'), '{\n\t"a": "b"\n}');
  t.is(formatLike({ a: 'b' }, '{\n    "a": "c"\n}\n'), '{\n    "a": "b"\n}\n');
});

test('keys match case-insensitively, as Go decodes them', (t) => {
  t.is(keyFor({ Plugins: {} }, 'plugins'), 'Plugins');
  t.is(keyFor({ plugins: {} }, 'plugins'), 'plugins');
  t.is(keyFor({}, 'plugins'), undefined);
});
