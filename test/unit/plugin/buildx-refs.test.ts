// Buildx's local build records, read from a directory laid out as buildx
// writes it: refs/<builder>/<node>/<ref>, refs/__group__/, refs/version.
import test from 'ava';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildxDir, latestBuildxRecord, recordDockerfile } from '../../../src/plugin/buildx-refs.js';

function write(dir: string, rel: string, text: string, mtimeMs: number): void {
  const file = join(dir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
}

const T = Date.UTC(2026, 10, 23, 12, 0, 0);

function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-buildx-'));
  write(dir, 'refs/version', '2', T + 50_000);
  write(dir, 'refs/__group__/g1', '{"Refs":["a"]}', T + 60_000);
  write(dir, 'refs/default/default/old1', '{"Target":"default","LocalPath":"/src/old","DockerfilePath":""}', T - 3_600_000);
  write(dir, 'refs/default/default/new1', '{"Target":"default","LocalPath":"/src/app","DockerfilePath":"/src/app/build/Dockerfile"}', T + 10_000);
  write(dir, 'refs/ci/ci0/other', '{"Target":"default","LocalPath":"/src/ci","DockerfilePath":""}', T + 5_000);
  write(dir, 'refs/ci/ci0/broken', 'not json', T - 7_200_000);
  return dir;
}

test('the newest record since the build started, whatever the builder', (t) => {
  const rec = latestBuildxRecord(fixture(), T);
  t.like(rec, { builder: 'default', node: 'default', ref: 'new1', localPath: '/src/app', dockerfilePath: '/src/app/build/Dockerfile', target: 'default' });
  t.is(Math.round(rec!.writtenAtMs), T + 10_000);
});

test('no record in the window, or no buildx directory: none', (t) => {
  t.is(latestBuildxRecord(fixture(), T + 20_000), undefined);
  t.is(latestBuildxRecord(join(tmpdir(), 'dsp-no-such-buildx'), 0), undefined);
});

test('an unreadable newest record is no record', (t) => {
  const dir = fixture();
  write(dir, 'refs/ci/ci0/broken', 'not json', T + 30_000);
  t.is(latestBuildxRecord(dir, T), undefined);
});

test('which Dockerfile a record names', (t) => {
  t.is(recordDockerfile({ localPath: '/src/app', dockerfilePath: '' }), '/src/app');
  t.is(recordDockerfile({ localPath: '/src/app', dockerfilePath: '/src/app/Dockerfile.dev' }), '/src/app/Dockerfile.dev');
  t.is(recordDockerfile({ localPath: '/src/app', dockerfilePath: '-' }), undefined);
  t.is(recordDockerfile({ localPath: 'https://github.com/x/y.git', dockerfilePath: '' }), undefined);
  t.is(recordDockerfile({ localPath: 'https://github.com/x/y.git', dockerfilePath: 'Dockerfile' }), undefined);
});

test('BUILDX_CONFIG, else <docker config>/buildx', (t) => {
  t.is(buildxDir('/home/u/.docker', {}), '/home/u/.docker/buildx');
  t.is(buildxDir('/home/u/.docker', { BUILDX_CONFIG: '/b' }), '/b');
  t.is(buildxDir('/home/u/.docker', { BUILDX_CONFIG: '' }), '/home/u/.docker/buildx');
});
