// The docker CLI's hook call: the request JSON, the answer, and the build
// command line read from the process that ran us.
import test from 'ava';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookResponse, parseBuildInvocation, parseHookRequest, readInvokingProcess } from '../../../src/plugin/hook-protocol.js';

test('the request as docker 28 sends it after `docker build --network=none -t x .`', (t) => {
  t.deepEqual(parseHookRequest('{"RootCmd":"build","Flags":{"network":"","tag":""},"CommandError":""}'), {
    rootCmd: 'build',
    flags: { network: '', tag: '' },
    commandError: '',
  });
});

test('newer CLIs omit empty fields; keys match case-insensitively as in Go', (t) => {
  t.deepEqual(parseHookRequest('{"RootCmd":"buildx build"}'), { rootCmd: 'buildx build', flags: {}, commandError: '' });
  t.deepEqual(parseHookRequest('{"rootcmd":"build","flags":{"quiet":"true"},"commanderror":"exit status 1"}'), {
    rootCmd: 'build',
    flags: { quiet: 'true' },
    commandError: 'exit status 1',
  });
});

test('anything that is not a request is no request', (t) => {
  for (const text of [undefined, '', 'nope', '[]', 'null', '{"Flags":{}}', '{"RootCmd":7}']) t.is(parseHookRequest(text), undefined, String(text));
});

test('the answer is a NextSteps message with the lines as one template', (t) => {
  t.deepEqual(JSON.parse(hookResponse(['a', 'b'])), { Type: 0, Template: 'a\nb' });
});

const argv = (line: string) => ['/usr/local/bin/docker', ...line.split(' ')];

test('docker build: tags, Dockerfile, context and global options', (t) => {
  const b = parseBuildInvocation(argv('-H unix:///tmp/d.sock build --network=none -t app:1 --tag=app:latest -f sub/Dockerfile.prod --build-arg X=1 --no-cache ctx'));
  t.like(b, { command: 'build', tags: ['app:1', 'app:latest'], file: 'sub/Dockerfile.prod', context: 'ctx', loads: false, exportsElsewhere: false });
  t.deepEqual(b?.global.hosts, ['unix:///tmp/d.sock']);
});

test('shorthand groups, --, and the long forms of the command', (t) => {
  t.like(parseBuildInvocation(argv('image build -qt app -fDockerfile .')), { command: 'image build', tags: ['app'], file: 'Dockerfile', context: '.' });
  t.like(parseBuildInvocation(argv('builder build -t=app -- -')), { command: 'builder build', tags: ['app'], context: '-' });
  t.like(parseBuildInvocation(argv('--context prod buildx build --load --target final .')), { command: 'buildx build', loads: true, target: 'final' });
  t.is(parseBuildInvocation(argv('--context prod buildx build .'))?.global.context, 'prod');
});

test('--push or -o without a load may leave the image outside the daemon', (t) => {
  t.like(parseBuildInvocation(argv('buildx build --push -t r/app .')), { loads: false, exportsElsewhere: true });
  t.like(parseBuildInvocation(argv('buildx build -o type=docker,name=x .')), { loads: true, exportsElsewhere: false });
  t.like(parseBuildInvocation(argv('buildx build --load=false .')), { loads: false });
});

test("not a build, or not docker's grammar: undefined", (t) => {
  t.is(parseBuildInvocation(argv('run -it alpine')), undefined);
  t.is(parseBuildInvocation(argv('--bogus build .')), undefined);
  t.is(parseBuildInvocation(argv('build -Z .')), undefined);
  t.is(parseBuildInvocation(argv('build -t')), undefined);
  t.is(parseBuildInvocation(['node']), undefined);
});

test('the invoking process: argv and start time from a /proc tree', (t) => {
  const proc = mkdtempSync(join(tmpdir(), 'dsp-proc-'));
  mkdirSync(join(proc, '4242'));
  writeFileSync(join(proc, '4242', 'cmdline'), 'docker\0build\0-t\0my app\0.\0');
  // comm with a space and a parenthesis; starttime (field 22) = 12345 ticks
  const fields = ['S', ...Array.from({ length: 18 }, (_, i) => String(i)), '12345', '0'];
  writeFileSync(join(proc, '4242', 'stat'), `4242 (dock er) ${fields.join(' ')}\n`);
  writeFileSync(join(proc, 'stat'), 'cpu  1 2 3\nbtime 1700000000\nprocesses 9\n');
  t.deepEqual(readInvokingProcess(4242, proc), { argv: ['docker', 'build', '-t', 'my app', '.'], startedAtMs: 1700000000000 + 123450 });
  t.is(readInvokingProcess(1, proc), undefined);
});

test('on Linux, this very process reads back with its start time', (t) => {
  if (process.platform !== 'linux') return t.pass();
  const me = readInvokingProcess(process.pid);
  t.true((me?.argv.length ?? 0) > 0);
  // /proc counts from boot in ticks, the boot time in whole seconds.
  t.true(Math.abs((me?.startedAtMs ?? 0) - performance.timeOrigin) < 3000, `${me?.startedAtMs} vs ${performance.timeOrigin}`);
});
