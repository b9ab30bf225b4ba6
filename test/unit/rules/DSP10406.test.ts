import test from 'ava';
import { findingsOf } from '../helpers/facts.js';
import { tagOf } from '../../../src/policies/rules/hygiene/DSP10406-latest-tag.js';

test('DSP10406 fires when the checked reference is app:latest, at RepoTags', (t) => {
  const [f, ...rest] = findingsOf('DSP10406', { reference: 'app:latest', repoTags: ['app:latest'] });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    'Checked as app:latest: latest moves with every push, so what runs later may not be what was checked; ' +
      'tag each build with a version and deploy that tag or the digest',
  );
  t.deepEqual(f!.location, { kind: 'config', field: 'RepoTags' });
  t.false(f!.inherited);
});

test('DSP10406 fires on a name without a tag, including a registry with a port, and names a version tag the image also has', (t) => {
  const [f] = findingsOf('DSP10406', { reference: 'localhost:5000/app', repoTags: ['localhost:5000/app:latest', 'localhost:5000/app:1.4.2'] });
  t.is(
    f!.message,
    'Checked as localhost:5000/app (no tag, so :latest): latest moves with every push, so what runs later may not be what was checked; ' +
      'tag each build with a version and deploy that tag or the digest; this image is also tagged localhost:5000/app:1.4.2: deploy that',
  );
  t.is(findingsOf('DSP10406', { reference: 'docker.io/library/nginx' }).length, 1);
});

test('DSP10406 does not fire on a version tag, a digest, an image ID, or when no reference is known', (t) => {
  for (const reference of ['app:1.4.2', 'localhost:5000/app:2024-01', 'app@sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64), 'abcdef012345']) {
    t.deepEqual(findingsOf('DSP10406', { reference }), [], reference);
  }
  t.deepEqual(findingsOf('DSP10406', { repoTags: ['app:latest'] }), []);
});

test('tagOf reads the tag after the last path component, not the registry port', (t) => {
  t.is(tagOf('registry.example.com:443/team/app:v2'), 'v2');
  t.is(tagOf('registry.example.com:443/team/app'), 'latest');
  t.is(tagOf('app:LATEST'), 'LATEST');
  t.is(tagOf('app:1@sha256:' + 'c'.repeat(64)), undefined);
});
