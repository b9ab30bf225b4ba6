import test from 'ava';
import { parseDockerfile } from '../../../src/image/dockerfile.js';
import {
  boundaryFromTimestamps,
  isStrictPrefix,
  matchDockerfile,
  nearestLocalBase,
  type ImageOutline,
} from '../../../src/image/boundary.js';
import { buildSteps, type HistoryEntry } from '../../../src/image/history.js';
import type { HistoryStep } from '../../../src/image/facts.js';

const MULTI_STAGE = [
  '# syntax=docker/dockerfile:1', //                       1
  'ARG BASE=alpine:3.19', //                                2
  'FROM golang:1.22 AS build', //                           3
  'WORKDIR /src', //                                        4
  'COPY . .', //                                            5
  'RUN go build -o /out/app ./cmd/app', //                  6
  '', //                                                    7
  'FROM ${BASE}', //                                        8
  'ARG VERSION', //                                         9
  'RUN apk add --no-cache ca-certificates \\', //           10
  '    # a comment inside the continuation', //            11
  '    curl \\', //                                         12
  '    tzdata', //                                          13
  'COPY --from=build /out/app /usr/local/bin/app', //       14
  'RUN <<EOF', //                                           15
  'set -e', //                                              16
  'echo "FROM nowhere" > /etc/motd', //                     17
  'EOF', //                                                 18
  'expose 8080', //                                         19
  'USER app', //                                            20
  'CMD ["app"]', //                                         21
].join('\n');

test('parseDockerfile: stages, continuations with comments inside, heredocs skipped, line numbers', (t) => {
  const stages = parseDockerfile(MULTI_STAGE);
  t.is(stages.length, 2);
  t.is(stages[0].from, 'golang:1.22 AS build');
  t.deepEqual(stages[0].instructions.map((i) => [i.keyword, i.line]), [['WORKDIR', 4], ['COPY', 5], ['RUN', 6]]);
  t.is(stages[1].from, '${BASE}');
  t.deepEqual(
    stages[1].instructions.map((i) => [i.keyword, i.line]),
    [['ARG', 9], ['RUN', 10], ['COPY', 14], ['RUN', 15], ['EXPOSE', 19], ['USER', 20], ['CMD', 21]],
  );
  const run = stages[1].instructions[1];
  t.regex(run.args, /^apk add --no-cache ca-certificates\s+curl\s+tzdata$/);
  t.false(run.args.includes('comment'));
  t.is(stages[1].instructions[3].args, '<<EOF');
});

test('parseDockerfile: `# escape=`` makes the backtick the continuation and a trailing backslash plain text', (t) => {
  const text = [
    '# escape=`', //                                          1
    '', //                                                    2
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022', //  3
    'RUN powershell -Command `', //                           4
    '    $ErrorActionPreference = \'Stop\'; `', //            5
    '    Write-Host hi', //                                   6
    'WORKDIR C:\\app\\', //                                   7
    'COPY . C:\\app\\', //                                    8
    'CMD ["app.exe"]', //                                     9
  ].join('\r\n');
  const [stage] = parseDockerfile(text);
  t.deepEqual(stage.instructions.map((i) => [i.keyword, i.line]), [['RUN', 4], ['WORKDIR', 7], ['COPY', 8], ['CMD', 9]]);
  t.regex(stage.instructions[0].args, /^powershell -Command\s+\$ErrorActionPreference = 'Stop';\s+Write-Host hi$/);
  t.is(stage.instructions[1].args, 'C:\\app\\');
});

test('parseDockerfile: an empty line inside a continuation does not end the instruction', (t) => {
  // Docker accepts (with a warning) blank lines inside a continued instruction.
  const text = ['FROM alpine', 'RUN apk add \\', '', '    curl', 'CMD ["sh"]'].join('\n');
  const [stage] = parseDockerfile(text);
  t.deepEqual(stage.instructions.map((i) => [i.keyword, i.line]), [['RUN', 2], ['CMD', 5]]);
});

test('parseDockerfile: a trailing continuation at the end of the file and heredocs with quotes and `<<-`', (t) => {
  // `<<-` strips leading tabs, so the tab-indented END closes the heredoc.
  const text = ['FROM scratch', 'COPY <<-"END" /etc/conf', '\tkey=value', '\tEND', 'LABEL a=b \\'].join('\n');
  const [stage] = parseDockerfile(text);
  t.deepEqual(stage.instructions.map((i) => [i.keyword, i.line]), [['COPY', 2], ['LABEL', 5]]);
});

// --- matching a Dockerfile to the history ------------------------------------

function history(entries: Array<[createdBy: string, created?: string, emptyLayer?: boolean]>): HistoryStep[] {
  const list: HistoryEntry[] = entries.map(([createdBy, created, emptyLayer]) => ({
    createdBy,
    created: created ?? '2024-03-01T10:00:00Z',
    comment: '',
    emptyLayer: emptyLayer ?? false,
  }));
  return buildSteps(list, []).history;
}

// alpine's two steps, then the final stage of MULTI_STAGE as BuildKit records it (no ARG step).
const BUILDKIT_HISTORY = history([
  ['/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / ', '2024-01-27T00:30:48Z'],
  ['/bin/sh -c #(nop)  CMD ["/bin/sh"]', '2024-01-27T00:30:48Z', true],
  ['RUN |1 VERSION=1.2 /bin/sh -c apk add --no-cache ca-certificates curl tzdata # buildkit'],
  ['COPY /out/app /usr/local/bin/app # buildkit'],
  ['RUN |1 VERSION=1.2 /bin/sh -c set -e\necho "FROM nowhere" > /etc/motd # buildkit'],
  ['EXPOSE map[8080/tcp:{}]', undefined, true],
  ['USER app', undefined, true],
  ['CMD ["app"]', undefined, true],
]);

test('matchDockerfile lines the final stage up with the end of the history (ARG absent from it)', (t) => {
  const stages = parseDockerfile(MULTI_STAGE);
  const match = matchDockerfile(BUILDKIT_HISTORY, stages[stages.length - 1], 'Dockerfile');
  t.truthy(match);
  t.deepEqual(match!.boundary, { source: 'dockerfile', ownFrom: 2, base: '${BASE}', note: 'from Dockerfile' });
  t.deepEqual([...match!.lines.entries()].sort((a, b) => a[0] - b[0]), [[2, 10], [3, 14], [4, 15], [5, 19], [6, 20], [7, 21]]);
});

test('matchDockerfile also matches a classic history that records ARG', (t) => {
  const classic = history([
    ['/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / '],
    ['/bin/sh -c #(nop)  CMD ["/bin/sh"]', undefined, true],
    ['/bin/sh -c #(nop)  ARG VERSION', undefined, true],
    ['|1 VERSION=1.2 /bin/sh -c apk add --no-cache ca-certificates curl tzdata'],
    ['/bin/sh -c #(nop) COPY file:aaaa in /usr/local/bin/app '],
    ['|1 VERSION=1.2 /bin/sh -c set -e'],
    ['/bin/sh -c #(nop)  EXPOSE 8080', undefined, true],
    ['/bin/sh -c #(nop)  USER app', undefined, true],
    ['/bin/sh -c #(nop)  CMD ["app"]', undefined, true],
  ]);
  const stages = parseDockerfile(MULTI_STAGE);
  const match = matchDockerfile(classic, stages[1], 'Dockerfile');
  t.is(match?.boundary.ownFrom, 2);
  t.is(match?.lines.get(2), 9);
});

test('matchDockerfile returns null for a Dockerfile this image was not built from', (t) => {
  const other = parseDockerfile(['FROM alpine', 'RUN true', 'ENTRYPOINT ["app"]'].join('\n'));
  t.is(matchDockerfile(BUILDKIT_HISTORY, other[0], 'Dockerfile'), null);
  const longer = parseDockerfile(['FROM alpine', 'WORKDIR /x', 'RUN a', 'RUN b', 'COPY a b', 'RUN c', 'EXPOSE 1', 'USER u', 'CMD ["x"]'].join('\n'));
  t.is(matchDockerfile(BUILDKIT_HISTORY, longer[0], 'Dockerfile'), null, 'more instructions than the history has');
});

test('boundaryFromTimestamps finds a multi-day gap, and returns null without one', (t) => {
  const b = boundaryFromTimestamps(BUILDKIT_HISTORY);
  t.is(b?.source, 'timestamps');
  t.is(b?.ownFrom, 2);
  t.regex(b?.note ?? '', /34-day gap/);
  const sameDay = history([
    ['/bin/sh -c #(nop) ADD file:x in / ', '2024-03-01T10:00:00Z'],
    ['RUN a # buildkit', '2024-03-01T10:20:00Z'],
    ['RUN b # buildkit', '2024-03-01T10:59:00Z'],
  ]);
  t.is(boundaryFromTimestamps(sameDay), null);
  t.is(boundaryFromTimestamps(history([['RUN a # buildkit', ''], ['RUN b # buildkit', '']])), null, 'no times at all');
  const hours = boundaryFromTimestamps(history([['a', '2024-03-01T01:00:00Z'], ['RUN b # buildkit', '2024-03-01T05:00:00Z']]));
  t.is(hours?.ownFrom, 1);
  t.regex(hours?.note ?? '', /multi-hour/);
});

test('boundaryFromTimestamps picks the largest gap', (t) => {
  const b = boundaryFromTimestamps(history([
    ['a', '2023-01-01T00:00:00Z'],
    ['b', '2023-01-03T00:00:00Z'],
    ['c', '2023-06-01T00:00:00Z'],
    ['d', '2023-06-01T00:05:00Z'],
  ]));
  t.is(b?.ownFrom, 2);
});

// --- local images as bases ------------------------------------------------------

const IMAGE: ImageOutline = { id: 'sha256:img', createdBy: ['a', 'b', 'c', 'd'], diffIds: ['l1', 'l2', 'l3'] };

test('isStrictPrefix: same first steps and layers, fewer steps; not equal, not diverging', (t) => {
  t.true(isStrictPrefix({ id: 'b1', createdBy: ['a'], diffIds: ['l1'] }, IMAGE));
  t.true(isStrictPrefix({ id: 'b2', createdBy: ['a', 'b', 'c'], diffIds: ['l1', 'l2'] }, IMAGE));
  t.false(isStrictPrefix({ ...IMAGE }, IMAGE), 'the image itself');
  t.false(isStrictPrefix({ id: 'other', createdBy: [...IMAGE.createdBy], diffIds: [...IMAGE.diffIds] }, IMAGE), 'an equal image under another ID');
  t.false(isStrictPrefix({ id: 'x', createdBy: ['a', 'x'], diffIds: ['l1'] }, IMAGE), 'diverging history');
  t.false(isStrictPrefix({ id: 'y', createdBy: ['a', 'b'], diffIds: ['l1', 'other'] }, IMAGE), 'diverging layers');
  t.false(isStrictPrefix({ id: 'z', createdBy: ['a', 'b', 'c', 'd', 'e'], diffIds: ['l1'] }, IMAGE), 'longer');
});

test('nearestLocalBase picks the longest strict prefix', (t) => {
  const candidates: ImageOutline[] = [
    { id: 'b1', ref: 'alpine:3.19', createdBy: ['a'], diffIds: ['l1'] },
    { id: 'b2', ref: 'mybase:1', createdBy: ['a', 'b', 'c'], diffIds: ['l1', 'l2'] },
    { id: 'same', createdBy: [...IMAGE.createdBy], diffIds: [...IMAGE.diffIds] },
    { id: 'div', createdBy: ['a', 'b', 'x'], diffIds: ['l1', 'l2'] },
    IMAGE,
  ];
  t.is(nearestLocalBase(IMAGE, candidates)?.id, 'b2');
  t.is(nearestLocalBase(IMAGE, candidates.slice(2)), undefined);
});

test('matchDockerfile skips the trailing LABEL steps that `docker build --label` adds (classic builder)', (t) => {
  const steps = buildSteps(
    [
      { created: '', createdBy: '', comment: 'Imported from -', emptyLayer: false },
      { created: '', createdBy: '/bin/sh -c #(nop) WORKDIR /app', comment: '', emptyLayer: true },
      { created: '', createdBy: '/bin/sh -c #(nop)  CMD ["app"]', comment: '', emptyLayer: true },
      { created: '', createdBy: '/bin/sh -c #(nop)  LABEL build=42', comment: '', emptyLayer: true },
    ],
    ['sha256:' + '0'.repeat(64)],
  ).history;
  const [stage] = parseDockerfile('FROM base\nWORKDIR /app\nCMD ["app"]\n');
  const match = matchDockerfile(steps, stage, 'Dockerfile');
  t.is(match?.boundary.ownFrom, 1);
  t.deepEqual([...(match?.lines ?? new Map())].sort(), [[1, 2], [2, 3]]);
});
