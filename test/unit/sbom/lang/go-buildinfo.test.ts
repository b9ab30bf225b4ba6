import { existsSync, readFileSync } from 'node:fs';
import test from 'ava';
import { goBuildinfoScanner } from '../../../../src/sbom/scanners/go-buildinfo.js';
import { buildInfo, elfWith } from './go-buildinfo-writer.js';
import { dataOf, feed } from './stream.js';

const MOD_LINES = [
  'path\texample.com/app/cmd/server',
  'mod\texample.com/app\t(devel)\t',
  'dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=',
  'dep\tgolang.org/x/net\tv0.17.0\th1:abc=',
  '=>\tgithub.com/fork/net\tv0.17.1-fork\th1:def=',
  'dep\texample.com/local\tv1.0.0',
  '=>\t../local\t',
  'build\t-compiler=gc',
  'build\tGOOS=linux',
];
const INFO = buildInfo('go1.21.5', MOD_LINES);
const EXPECTED = [
  { type: 'golang', name: 'example.com/app', version: '(devel)', origin: 'binary' },
  { type: 'golang', name: 'github.com/pkg/errors', version: 'v0.9.1', origin: 'binary' },
  { type: 'golang', name: 'github.com/fork/net', version: 'v0.17.1-fork', origin: 'binary' },
  { type: 'golang', name: 'example.com/local', version: 'v1.0.0', origin: 'binary' },
  { type: 'golang', name: 'stdlib', version: '1.21.5', origin: 'binary' },
];
const PATH = '/usr/local/bin/server';
const BINARY = elfWith(INFO, 600 * 1024, 300 * 1024);
const MAGIC_AT = 8 + 600 * 1024;

test('a Go binary yields its main module, its deps with replacements applied, and stdlib at the Go version', (t) => {
  const fed = feed(goBuildinfoScanner, PATH, BINARY);
  t.true(fed.wanted);
  t.deepEqual(dataOf(fed), EXPECTED);
  t.true(fed.hits.every((h) => h.kind === 'package' && h.path === PATH));
  t.true(fed.read < BINARY.length, 'the rest of the binary is not read once the build info is parsed');
});

test('the magic split across two chunks at every position is still found', (t) => {
  for (let k = 0; k <= 14; k++) {
    const fed = feed(goBuildinfoScanner, PATH, BINARY, [MAGIC_AT + k, 64 * 1024]);
    t.deepEqual(dataOf(fed), EXPECTED, `split ${k} bytes into the magic`);
  }
});

test('tiny chunks (the build info arriving a few bytes at a time) parse the same', (t) => {
  const small = elfWith(INFO, 1000);
  for (const size of [1, 3, 13, 31]) {
    t.deepEqual(dataOf(feed({ ...goBuildinfoScanner, wants: () => true }, PATH, small, [size])), EXPECTED, `chunks of ${size}`);
  }
});

test('a file that is not ELF is let go at its first chunk', (t) => {
  const script = Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.alloc(700 * 1024, 0x20), INFO]);
  const fed = feed(goBuildinfoScanner, '/usr/local/bin/tool', script);
  t.true(fed.wanted);
  t.is(fed.read, 64 * 1024, 'one chunk');
  t.deepEqual(fed.hits, []);
});

test('a stray copy of the magic (a literal in code) is skipped and the search goes on', (t) => {
  const stray = Buffer.concat([Buffer.from('\xff Go buildinf:', 'latin1'), Buffer.from('not a header, just some string data')]);
  const bytes = Buffer.concat([elfWith(stray, 100, 100), INFO]);
  t.deepEqual(dataOf(feed({ ...goBuildinfoScanner, wants: () => true }, PATH, bytes, [50])), EXPECTED);
});

test('pre-1.18 pointer-format build info yields nothing', (t) => {
  const old = elfWith(buildInfo('go1.16', MOD_LINES, { flags: 0 }), 1000);
  t.deepEqual(feed({ ...goBuildinfoScanner, wants: () => true }, PATH, old).hits, []);
});

test('a binary without a main module (GOPATH build) still yields stdlib; a devel toolchain no stdlib version', (t) => {
  const gopath = elfWith(buildInfo('go1.19.8 X:boringcrypto', ['path\tcommand-line-arguments']), 10);
  t.deepEqual(dataOf(feed({ ...goBuildinfoScanner, wants: () => true }, PATH, gopath)), [
    { type: 'golang', name: 'stdlib', version: '1.19.8', origin: 'binary' },
  ]);
  const devel = elfWith(buildInfo('devel go1.23-abc123', ['path\tx', 'mod\tx\t(devel)\t']), 10);
  t.deepEqual(dataOf(feed({ ...goBuildinfoScanner, wants: () => true }, PATH, devel)), [
    { type: 'golang', name: 'x', version: '(devel)', origin: 'binary' },
  ]);
});

test('wants(): large files that are not shared libraries', (t) => {
  t.true(goBuildinfoScanner.wants('/usr/local/bin/app', 2 << 20));
  t.true(goBuildinfoScanner.wants('/app/server.bin', 2 << 20));
  t.false(goBuildinfoScanner.wants('/usr/local/bin/app', 100 * 1024), 'smaller than any Go binary');
  t.false(goBuildinfoScanner.wants('/usr/lib/x86_64-linux-gnu/libLLVM.so.15', 100 << 20));
  t.false(goBuildinfoScanner.wants('/usr/lib/libfoo.so', 100 << 20));
});

// A Go binary from the machine, when there is one (Debian's docker.io / runc / containerd).
for (const path of ['/usr/sbin/runc', '/usr/bin/containerd', '/usr/bin/dockerd', '/usr/bin/docker']) {
  const present = existsSync(path);
  (present ? test : test.skip)(`a real Go binary: ${path}`, (t) => {
    const bytes = readFileSync(path);
    const fed = feed(goBuildinfoScanner, path, bytes);
    const hits = dataOf(fed);
    const stdlib = hits.find((d) => d?.name === 'stdlib');
    t.truthy(stdlib, 'stdlib is reported');
    // `strings`-level checks: the Go version and every module line are in the file as written.
    t.true(bytes.includes(`go${stdlib!.version}`), `go${stdlib!.version} is in the binary`);
    for (const d of hits) {
      if (d?.name === 'stdlib') continue;
      t.true(bytes.includes(`\t${d!.name}\t${d!.version}`), `${d!.name} ${d!.version} is in the binary`);
    }
    t.log(`${path}: ${hits.length} packages (${stdlib!.version}), read ${(fed.read / 1e6).toFixed(1)} of ${(bytes.length / 1e6).toFixed(1)} MB`);
  });
}
