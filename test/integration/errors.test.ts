import { integrationTest, run } from './cli.js';

const test = integrationTest('errors');

test('an image the daemon does not have: exit 2 and one line that suggests docker images', async (t) => {
  const r = await run(['check', 'no-such-image:never']);
  t.is(r.code, 2);
  t.regex(r.stderr, /no such image: no-such-image:never; see `docker images`/);
  t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
});

test('a daemon that is not there: exit 2 naming the endpoint', async (t) => {
  const r = await run(['check', 'whatever:1'], { DOCKER_HOST: 'unix:///tmp/dsp-no-daemon-here.sock' });
  t.is(r.code, 2);
  t.regex(r.stderr, /cannot reach the Docker daemon at unix:\/\/\/tmp\/dsp-no-daemon-here\.sock/);
});

test('--debug adds the stack trace', async (t) => {
  const r = await run(['check', '--debug', 'no-such-image:never']);
  t.is(r.code, 2);
  t.regex(r.stderr, /\n\s+at /);
});

test('no image named: exit 2 with a usage line', async (t) => {
  const r = await run(['check']);
  t.is(r.code, 2);
  t.regex(r.stderr, /check needs at least one image/);
});

test('an unknown policy ID in --policy: exit 2', async (t) => {
  const r = await run(['check', '--policy', 'SQ99999', 'dsp-fixture/busybox:base']);
  t.is(r.code, 2);
  t.regex(r.stderr, /unknown policy ID SQ99999/);
});

test('a path given where an image goes: exit 2 and one line, not a crash', async (t) => {
  const r = await run(['check', '/nonexistent.tar']);
  t.is(r.code, 2);
  t.regex(r.stderr, /no such image: \/nonexistent\.tar \(not an image name\)/);
  t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
});
