// A name that cannot be an image is not asked of the daemon: its router would
// redirect the cleaned path, and docker-modem would follow the redirect to a
// host named after the path (the process died on an unhandled 'error').
import test from 'ava';
import type Docker from 'dockerode';
import { inspectImage, type DaemonContext } from '../../../src/daemon/inspect.js';
import { NoSuchImageError } from '../../../src/daemon/errors.js';

const asked: string[] = [];
const ctx: DaemonContext = {
  docker: { getImage: (ref: string) => ({ inspect: () => (asked.push(ref), Promise.reject(new Error('not here'))) }) } as unknown as Docker,
  endpoint: 'unix:///test.sock',
  timeoutMs: 0,
};

for (const name of ['/nonexistent.tar', 'a//b', 'app/', './app', 'a/../b', '']) {
  test(`"${name}" is no such image, and the daemon is not asked`, async (t) => {
    const err = await t.throwsAsync(inspectImage(ctx, name), { instanceOf: NoSuchImageError });
    t.regex(err!.message, /not an image name/);
    t.false(asked.includes(name));
  });
}

test('an image name, a tagged path name, a digest and an ID are asked', async (t) => {
  for (const name of ['app', 'registry.local:5000/team/app:1.2', 'app@sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64)]) {
    await t.throwsAsync(inspectImage(ctx, name), { message: /not here/ });
    t.true(asked.includes(name), name);
  }
});
