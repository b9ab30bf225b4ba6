import test from 'ava';
import { findBoundary, type KnownDockerfile } from '../../../src/cli/find-boundary.js';
import { parseDockerfile, resolveStage } from '../../../src/image/dockerfile.js';
import { buildSteps } from '../../../src/image/history.js';
import type { ImageOutline } from '../../../src/image/boundary.js';

// A base step from long ago, then a BuildKit build of DOCKERFILE.
const CREATED_BY = [
  '/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / ',
  'RUN /bin/sh -c apk add --no-cache curl  && rm -rf /var/cache/apk # buildkit',
  'USER app',
];
const STEPS = buildSteps(
  CREATED_BY.map((createdBy, i) => ({ createdBy, created: i === 0 ? '2024-01-01T00:00:00Z' : '2024-03-01T00:00:00Z', comment: '' })),
  [],
).history;
const IMAGE: ImageOutline = { id: 'sha256:img', createdBy: CREATED_BY, diffIds: [] };

function known(text: string, path = 'Dockerfile'): KnownDockerfile {
  const stage = resolveStage(parseDockerfile(text));
  if (!stage) throw new Error('no FROM');
  return { path, stage };
}

test('a matching Dockerfile gives the boundary and a line per own step (endLine only when it spans several)', async (t) => {
  const dockerfile = known('FROM alpine\nRUN apk add --no-cache curl \\\n && rm -rf /var/cache/apk\nUSER app\n', 'app/Dockerfile');
  const result = await findBoundary(undefined, IMAGE, STEPS, { dockerfile, localScan: false });
  t.like(result.boundary, { source: 'dockerfile', ownFrom: 1, base: 'alpine' });
  t.deepEqual([...(result.dockerfileLines ?? [])], [
    [2, { path: 'app/Dockerfile', line: 4 }],
    [1, { path: 'app/Dockerfile', line: 2, endLine: 3 }],
  ]);
  t.deepEqual(result.dockerfile, { path: 'app/Dockerfile', matched: true });
});

test('a Dockerfile that does not match: reported with its reason, no lines, the boundary from the next source', async (t) => {
  const dockerfile = known('FROM alpine\nRUN apk add --no-cache wget\nUSER app\n');
  const result = await findBoundary(undefined, IMAGE, STEPS, { dockerfile, localScan: false });
  t.is(result.boundary.source, 'timestamps');
  t.is(result.dockerfileLines, undefined);
  t.deepEqual(result.dockerfile, {
    path: 'Dockerfile',
    matched: false,
    reason: 'line 2 RUN does not match step 1 (RUN apk add --no-cache curl && rm -rf /var/cache/apk)',
  });
});

test('no Dockerfile: no Dockerfile result at all', async (t) => {
  const result = await findBoundary(undefined, IMAGE, STEPS, { localScan: false });
  t.is(result.boundary.source, 'timestamps');
  t.false('dockerfile' in result);
  t.false('dockerfileLines' in result);
});
