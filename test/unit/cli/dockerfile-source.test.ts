import test from 'ava';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerfileSource } from '../../../src/cli/dockerfile-source.js';
import { UsageError } from '../../../src/cli/usage-error.js';

const MULTI_STAGE = ['FROM alpine:3.19 AS builder', 'RUN make', 'FROM builder', 'CMD ["app"]', ''].join('\n');

function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-dockerfile-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('an explicit file: read relative to cwd, its path kept as given, the final stage resolved through FROM builder', (t) => {
  const dir = workdir({ 'build/app.Dockerfile': MULTI_STAGE });
  const known = dockerfileSource('build/app.Dockerfile', dir);
  t.is(known?.path, 'build/app.Dockerfile');
  t.falsy(known?.auto);
  t.is(known?.stage.from, 'alpine:3.19');
  t.deepEqual(known?.stage.instructions.map((i) => [i.keyword, i.line]), [['RUN', 2], ['CMD', 4]]);
  rmSync(dir, { recursive: true });
});

test('an explicit directory means its Dockerfile, as with `docker build -f` / a build context', (t) => {
  const dir = workdir({ 'ctx/Dockerfile': MULTI_STAGE });
  t.is(dockerfileSource('ctx', dir)?.path, join('ctx', 'Dockerfile'));
  t.is(dockerfileSource(join(dir, 'ctx'), '/')?.path, join(dir, 'ctx', 'Dockerfile'), 'an absolute path too');
  const empty = workdir({ 'nothing/README': 'x' });
  const err = t.throws(() => dockerfileSource('nothing', empty), { instanceOf: UsageError });
  t.is(err?.message, '--dockerfile nothing is a directory with no Dockerfile in it');
  rmSync(dir, { recursive: true });
  rmSync(empty, { recursive: true });
});

test('an explicit file that is missing, unreadable or has no FROM is a usage error naming it', (t) => {
  const dir = workdir({ 'NoFrom.Dockerfile': '# only a comment\nARG X=1\nRUN true\n', 'Locked.Dockerfile': 'FROM a\n' });
  t.throws(() => dockerfileSource('missing/Dockerfile', dir), {
    instanceOf: UsageError,
    message: 'cannot read --dockerfile missing/Dockerfile: no such file',
  });
  t.throws(() => dockerfileSource('NoFrom.Dockerfile', dir), {
    instanceOf: UsageError,
    message: '--dockerfile NoFrom.Dockerfile has no FROM instruction',
  });
  t.throws(() => dockerfileSource('', dir), { instanceOf: UsageError, message: '--dockerfile needs a path' });
  chmodSync(join(dir, 'Locked.Dockerfile'), 0o000);
  if (process.getuid?.() !== 0) {
    // (root reads it anyway)
    t.throws(() => dockerfileSource('Locked.Dockerfile', dir), {
      instanceOf: UsageError,
      message: 'cannot read --dockerfile Locked.Dockerfile: EACCES',
    });
  }
  rmSync(dir, { recursive: true });
});

test('without --dockerfile: ./Dockerfile when it is there and has a FROM, marked auto', (t) => {
  const dir = workdir({ Dockerfile: MULTI_STAGE });
  const known = dockerfileSource(undefined, dir);
  t.is(known?.path, 'Dockerfile');
  t.true(known?.auto);
  t.is(known?.stage.instructions.length, 2);
  rmSync(dir, { recursive: true });
});

test('without --dockerfile: nothing when there is no ./Dockerfile, it has no FROM, or it is a directory', (t) => {
  const none = workdir({ 'other.txt': 'x' });
  t.is(dockerfileSource(undefined, none), undefined);
  const noFrom = workdir({ Dockerfile: 'this is not a Dockerfile\n' });
  t.is(dockerfileSource(undefined, noFrom), undefined, 'an auto-found file that does not parse is ignored');
  const directory = workdir({ 'Dockerfile/inner': 'FROM a\n' });
  t.is(dockerfileSource(undefined, directory), undefined);
  for (const dir of [none, noFrom, directory]) rmSync(dir, { recursive: true });
});

test('--target picks the stage the image was built to, with the stages it is built FROM', (t) => {
  const dir = workdir({ Dockerfile: MULTI_STAGE });
  const builder = dockerfileSource('Dockerfile', dir, 'builder');
  t.deepEqual(builder?.stage.instructions.map((i) => [i.keyword, i.line]), [['RUN', 2]]);
  t.deepEqual(dockerfileSource(undefined, dir, 'BUILDER')?.stage.instructions.length, 1, 'stage names are case-insensitive, as the builders read them');
  const err = t.throws(() => dockerfileSource('Dockerfile', dir, 'tests'), { instanceOf: UsageError });
  t.is(err?.message, '--target tests: Dockerfile has no stage of that name or number');
  t.is(dockerfileSource(undefined, dir, 'tests'), undefined, 'a ./Dockerfile without that stage is not this image’s');
  rmSync(dir, { recursive: true });
});
