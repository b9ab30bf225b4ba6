import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseDockerfile, resolveStage, type DockerfileStage } from '../../../src/image/dockerfile.js';
import {
  boundaryFromTimestamps,
  isStrictPrefix,
  matchDockerfile,
  nearestLocalBase,
  type DockerfileMatch,
  type ImageOutline,
  type LineSpan,
} from '../../../src/image/boundary.js';
import { buildSteps, type HistoryEntry } from '../../../src/image/history.js';
import type { HistoryStep } from '../../../src/image/facts.js';

// --- helpers ------------------------------------------------------------------

function history(entries: Array<string | [createdBy: string, created?: string, emptyLayer?: boolean]>): HistoryStep[] {
  const list: HistoryEntry[] = entries.map((e) => {
    const [createdBy, created, emptyLayer] = typeof e === 'string' ? [e] : e;
    return { createdBy, created: created ?? '2024-03-01T10:00:00Z', comment: '', emptyLayer: emptyLayer ?? false };
  });
  return buildSteps(list, []).history;
}

function chain(text: string): DockerfileStage {
  const stage = resolveStage(parseDockerfile(text));
  if (!stage) throw new Error('no FROM');
  return stage;
}

function fixture(name: string): DockerfileStage {
  return chain(readFileSync(new URL(`../../../../scripts/fixtures/${name}/Dockerfile`, import.meta.url), 'utf8'));
}

/** The matched lines, oldest step first: [historyIndex, line, endLine]. */
function linesOf(match: DockerfileMatch): Array<[number, number, number]> {
  if (!match.matched) throw new Error(`expected a match: ${match.reason}`);
  return [...match.lines.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, span]: [number, LineSpan]) => [i, span.line, span.endLine]);
}

function reasonOf(match: DockerfileMatch): string {
  if (match.matched) throw new Error('expected no match');
  return match.reason;
}

// The one step of dsp-fixture/busybox:base (`docker import`: no created_by).
const IMPORTED = '';
// Real histories of the fixture images (scripts/fixtures), oldest first, as
// `docker history --no-trunc` prints them for each builder.
const BASE_WITH_CMD = {
  classic: [
    IMPORTED,
    '/bin/sh -c #(nop) ADD file:597e751d7916a646b4e046ffe073ee3ca39817496dcc917658e862badd1e4a0c in /usr/local/bin/docker-entrypoint.sh ',
    "/bin/sh -c chmod 0755 /usr/local/bin/docker-entrypoint.sh  && printf '#!/bin/sh\\necho base-suid\\n' > /usr/local/bin/base-suid  && chmod 4755 /usr/local/bin/base-suid  && mkdir -p /opt/legacy  && printf '#!/bin/sh\\necho helper\\n' > /opt/legacy/suid-helper  && chmod 4755 /opt/legacy/suid-helper",
    '/bin/sh -c #(nop) WORKDIR /app',
    '/bin/sh -c #(nop)  EXPOSE 22',
    `/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "/bin/true"] "30s" "5s" "0s" '\\x00'}`,
    '/bin/sh -c #(nop)  ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]',
    '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "echo base"]',
    '/bin/sh -c #(nop)  LABEL dsp.fixture.hash=d840abc0a019837cc39df508ed5c261b8aae372386734899e7aed917eb0fded5',
  ],
  buildkit: [
    IMPORTED,
    'ADD docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh # buildkit',
    "RUN /bin/sh -c chmod 0755 /usr/local/bin/docker-entrypoint.sh  && printf '#!/bin/sh\\necho base-suid\\n' > /usr/local/bin/base-suid  && chmod 4755 /usr/local/bin/base-suid  && mkdir -p /opt/legacy  && printf '#!/bin/sh\\necho helper\\n' > /opt/legacy/suid-helper  && chmod 4755 /opt/legacy/suid-helper # buildkit",
    'WORKDIR /app',
    'EXPOSE map[22/tcp:{}]',
    `HEALTHCHECK &{["CMD" "/bin/true"] "30s" "5s" "0s" '\\x00'}`,
    'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]',
    'CMD ["/bin/sh" "-c" "echo base"]',
  ],
};

const CHILD_DUPES = {
  classic: [
    ...BASE_WITH_CMD.classic,
    '/bin/sh -c #(nop)  ENTRYPOINT ["/bin/sh" "-c"]',
    '/bin/sh -c #(nop)  CMD ["echo one"]',
    '/bin/sh -c #(nop)  CMD ["echo two"]',
    `/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" '\\x00'}`,
    '/bin/sh -c #(nop)  USER app',
    '/bin/sh -c #(nop)  LABEL dsp.fixture.hash=997ac34a9c572f45a9e875a8b5cb3052eb58bd667e0382499accddc4579c78bd',
  ],
  buildkit: [
    ...BASE_WITH_CMD.buildkit,
    'ENTRYPOINT ["/bin/sh" "-c"]',
    'CMD ["echo one"]',
    'CMD ["echo two"]',
    `HEALTHCHECK &{["NONE"] "0s" "0s" "0s" '\\x00'}`,
    'USER app',
  ],
};

const COPY_RELATIVE = {
  classic: [
    IMPORTED,
    '/bin/sh -c #(nop)  ENV DEST=/opt/dest REL=reldir',
    '/bin/sh -c #(nop) COPY file:adc7b3a1d97e0b9e20b334e53a4d4310919da49f27a567633dfce2d2d9e991ab in app.txt ',
    '/bin/sh -c #(nop) COPY --chown=app:appfile:8ea1761bc6243f87f76c07f76d9fc140e014b2dc6fb91ae57f3fda2054c8abb6 in conf/ ',
    '/bin/sh -c #(nop) COPY file:adc7b3a1d97e0b9e20b334e53a4d4310919da49f27a567633dfce2d2d9e991ab in /opt/dest/ ',
    '/bin/sh -c #(nop) COPY file:adc7b3a1d97e0b9e20b334e53a4d4310919da49f27a567633dfce2d2d9e991ab in reldir/ ',
    '/bin/sh -c #(nop) COPY file:adc7b3a1d97e0b9e20b334e53a4d4310919da49f27a567633dfce2d2d9e991ab in /abs/app.txt ',
    '/bin/sh -c #(nop) WORKDIR /srv',
    '/bin/sh -c #(nop) COPY file:adc7b3a1d97e0b9e20b334e53a4d4310919da49f27a567633dfce2d2d9e991ab in . ',
    '/bin/sh -c #(nop)  USER app',
    `/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "/bin/true"] "0s" "0s" "0s" '\\x00'}`,
    '/bin/sh -c #(nop)  CMD ["/bin/cat" "/srv/app.txt"]',
    '/bin/sh -c #(nop)  LABEL dsp.fixture.hash=f73d76a9c3544723c7d0b516f5bfab2873f80f5c7af5e459fcd997c3f021cd59',
  ],
  buildkit: [
    IMPORTED,
    'ENV DEST=/opt/dest REL=reldir',
    'COPY app.txt app.txt # buildkit',
    'COPY conf.txt conf/ # buildkit',
    'COPY app.txt /opt/dest/ # buildkit',
    'COPY app.txt reldir/ # buildkit',
    'COPY app.txt /abs/app.txt # buildkit',
    'WORKDIR /srv',
    'COPY app.txt . # buildkit',
    'USER app',
    `HEALTHCHECK &{["CMD" "/bin/true"] "0s" "0s" "0s" '\\x00'}`,
    'CMD ["/bin/cat" "/srv/app.txt"]',
  ],
};

const PORTS_REMOTE = {
  classic: [
    IMPORTED,
    '/bin/sh -c #(nop)  USER app',
    '/bin/sh -c #(nop)  EXPOSE 20-23 22 2222 3389/udp 513 513/udp 514/tcp 514/udp 8080',
    `/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "/bin/true"] "0s" "0s" "0s" '\\x00'}`,
    '/bin/sh -c #(nop)  CMD ["/bin/echo" "hello"]',
    '/bin/sh -c #(nop)  LABEL dsp.fixture.hash=5fb5bd9b48e83367c2240cfcccda8269fc4396b01c2daf51d0c3fd28b6a9781f',
  ],
  buildkit: [
    IMPORTED,
    'USER app',
    'EXPOSE map[20/tcp:{} 21/tcp:{} 22/tcp:{} 2222/tcp:{} 23/tcp:{} 3389/udp:{} 513/tcp:{} 513/udp:{} 514/tcp:{} 514/udp:{} 8080/tcp:{}]',
    `HEALTHCHECK &{["CMD" "/bin/true"] "0s" "0s" "0s" '\\x00'}`,
    'CMD ["/bin/echo" "hello"]',
  ],
};

const MULTISTAGE = {
  classic: [
    IMPORTED,
    '/bin/sh -c #(nop) COPY file:0be1d45a67ae1e9598400a6b6c444836adb4716e68722402a2ede4e2b5f0a12f in /srv/out.txt ',
    '/bin/sh -c #(nop) COPY file:e50cfed466b16406864b098d131891d3b3e078ea6e5e795edf37f544298956d3 in out-relative.txt ',
    '/bin/sh -c #(nop)  USER app',
    `/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "/bin/true"] "0s" "0s" "0s" '\\x00'}`,
    '/bin/sh -c #(nop)  CMD ["/bin/cat" "/srv/out.txt"]',
    '/bin/sh -c #(nop)  LABEL dsp.fixture.hash=1c38d50bbd892329cc9eade6a3cece5124c2561addf28ae45bac5a85c2d5e30f',
  ],
  buildkit: [
    IMPORTED,
    'COPY /build/out.txt /srv/out.txt # buildkit',
    'COPY /build/app.txt out-relative.txt # buildkit',
    'USER app',
    `HEALTHCHECK &{["CMD" "/bin/true"] "0s" "0s" "0s" '\\x00'}`,
    'CMD ["/bin/cat" "/srv/out.txt"]',
  ],
};

const BUILDERS = ['classic', 'buildkit'] as const;

// --- the fixture images, both builders ---------------------------------------

for (const builder of BUILDERS) {
  test(`matchDockerfile (${builder}): a multi-line RUN gets its first and last line; the boundary is after the import`, (t) => {
    const match = matchDockerfile(history(BASE_WITH_CMD[builder]), fixture('base-with-cmd'), 'base-with-cmd/Dockerfile');
    t.deepEqual(linesOf(match), [[1, 5, 5], [2, 6, 11], [3, 12, 12], [4, 13, 13], [5, 14, 14], [6, 15, 15], [7, 16, 16]]);
    t.like(match, { boundary: { source: 'dockerfile', ownFrom: 1, base: 'dsp-fixture/busybox:base', note: 'from base-with-cmd/Dockerfile' } });
  });

  test(`matchDockerfile (${builder}): a child's own steps after its base's (and the base's --label step)`, (t) => {
    const match = matchDockerfile(history(CHILD_DUPES[builder]), fixture('child-dupes'), 'Dockerfile');
    const first = BASE_WITH_CMD[builder].length;
    t.deepEqual(linesOf(match), [[first, 6, 6], [first + 1, 7, 7], [first + 2, 8, 8], [first + 3, 9, 9], [first + 4, 10, 10]]);
    t.like(match, { boundary: { ownFrom: first, base: 'dsp-fixture/base-with-cmd:${BUILDER}' } });
  });

  test(`matchDockerfile (${builder}): ENV names, COPY destinations (those with $VARIABLES by keyword), WORKDIR`, (t) => {
    const match = matchDockerfile(history(COPY_RELATIVE[builder]), fixture('copy-relative'), 'Dockerfile');
    t.deepEqual(linesOf(match).map(([i, line]) => [i, line]), [
      [1, 4], [2, 5], [3, 6], [4, 7], [5, 8], [6, 9], [7, 10], [8, 11], [9, 12], [10, 13], [11, 14],
    ]);
  });

  test(`matchDockerfile (${builder}): EXPOSE ports compared as sets, whatever way the builder wrote them`, (t) => {
    const steps = history(PORTS_REMOTE[builder]);
    t.deepEqual(linesOf(matchDockerfile(steps, fixture('ports-remote'), 'Dockerfile')), [[1, 6, 6], [2, 7, 7], [3, 8, 8], [4, 9, 9]]);
    const fewer = chain(['FROM b', 'USER app', 'EXPOSE 20-23 513 514/tcp 3389/udp 513/udp 514/udp 2222 8080', 'HEALTHCHECK CMD ["/bin/true"]', 'CMD ["/bin/echo", "hello"]'].join('\n'));
    t.deepEqual(linesOf(matchDockerfile(steps, fewer, 'Dockerfile')).length, 4, 'a repeated port changes nothing');
    const other = chain(['FROM b', 'USER app', 'EXPOSE 20-23 513 514 3389/udp 2222 8080', 'HEALTHCHECK CMD ["/bin/true"]', 'CMD ["/bin/echo", "hello"]'].join('\n'));
    t.regex(reasonOf(matchDockerfile(steps, other, 'Dockerfile')), /^line 3 EXPOSE does not match step 2 \(EXPOSE /);
  });

  test(`matchDockerfile (${builder}): the final stage of a multi-stage build, its COPY --from by destination`, (t) => {
    const match = matchDockerfile(history(MULTISTAGE[builder]), fixture('multistage'), 'Dockerfile');
    t.deepEqual(linesOf(match).map(([i, line]) => [i, line]), [[1, 14], [2, 15], [3, 16], [4, 17], [5, 18]]);
    t.like(match, { boundary: { ownFrom: 1, base: 'dsp-fixture/busybox:base' } });
  });

  test(`matchDockerfile (${builder}): another fixture's Dockerfile does not match, and says where`, (t) => {
    // Same shape as copy-relative's end (USER, HEALTHCHECK, CMD) but another CMD.
    t.is(
      reasonOf(matchDockerfile(history(COPY_RELATIVE[builder]), fixture('ports-remote'), 'Dockerfile')),
      `line 9 CMD does not match step 11 (CMD ["/bin/cat", "/srv/app.txt"])`,
    );
    t.regex(reasonOf(matchDockerfile(history(MULTISTAGE[builder]), fixture('add-files'), 'Dockerfile')), /^line 10 CMD does not match step 5 /);
    // base-with-cmd's steps are all in child-dupes, but not at its end.
    t.regex(reasonOf(matchDockerfile(history(CHILD_DUPES[builder]), fixture('base-with-cmd'), 'Dockerfile')), /^line 16 CMD does not match step /);
  });

  test(`matchDockerfile (${builder}): a RUN that differs in its command does not match, and names its line`, (t) => {
    const text = readFileSync(new URL('../../../../scripts/fixtures/base-with-cmd/Dockerfile', import.meta.url), 'utf8');
    const changed = chain(text.replace('chmod 4755 /opt/legacy/suid-helper', 'chmod 0755 /opt/legacy/suid-helper'));
    t.is(
      reasonOf(matchDockerfile(history(BASE_WITH_CMD[builder]), changed, 'Dockerfile')),
      'line 6 RUN does not match step 2 (RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh && print…)',
    );
    const reflowed = chain(text.replace(' \\\n && printf', '   &&    printf'));
    t.true(matchDockerfile(history(BASE_WITH_CMD[builder]), reflowed, 'Dockerfile').matched, 'whitespace is not compared');
  });

  test(`matchDockerfile (${builder}): shell-form CMD is the shell plus the command; exec form must be the same argv`, (t) => {
    const steps = history(BASE_WITH_CMD[builder]);
    const text = readFileSync(new URL('../../../../scripts/fixtures/base-with-cmd/Dockerfile', import.meta.url), 'utf8');
    t.true(matchDockerfile(steps, chain(text.replace(/^CMD echo base$/m, 'CMD ["/bin/sh", "-c", "echo base"]')), 'D').matched);
    t.false(matchDockerfile(steps, chain(text.replace(/^CMD echo base$/m, 'CMD ["echo", "base"]')), 'D').matched);
    t.false(matchDockerfile(steps, chain(text.replace(/^CMD echo base$/m, 'CMD echo other')), 'D').matched);
    t.false(matchDockerfile(steps, chain(text.replace(/^WORKDIR \/app$/m, 'WORKDIR /srv')), 'D').matched);
    t.false(matchDockerfile(steps, chain(text.replace(/^EXPOSE 22$/m, 'EXPOSE 2222')), 'D').matched);
    t.false(matchDockerfile(steps, chain(text.replace('HEALTHCHECK --interval=30s --timeout=5s CMD ["/bin/true"]', 'HEALTHCHECK NONE')), 'D').matched);
    t.false(
      matchDockerfile(steps, chain(text.replace('ADD docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh', 'ADD docker-entrypoint.sh /usr/bin/')), 'D').matched,
      'another ADD destination',
    );
  });
}

// --- written cases ------------------------------------------------------------

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

// alpine's two steps, then the final stage of MULTI_STAGE as BuildKit records it (no ARG step).
const BUILDKIT_HISTORY = history([
  ['/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / ', '2024-01-27T00:30:48Z'],
  ['/bin/sh -c #(nop)  CMD ["/bin/sh"]', '2024-01-27T00:30:48Z', true],
  'RUN |1 VERSION=1.2 /bin/sh -c apk add --no-cache ca-certificates     curl     tzdata # buildkit',
  'COPY /out/app /usr/local/bin/app # buildkit',
  'RUN |1 VERSION=1.2 /bin/sh -c set -e\necho "FROM nowhere" > /etc/motd\n # buildkit',
  ['EXPOSE map[8080/tcp:{}]', undefined, true],
  ['USER app', undefined, true],
  ['CMD ["app"]', undefined, true],
]);

test('matchDockerfile: BuildKit records no ARG step; a heredoc RUN matches by keyword and spans its lines', (t) => {
  const match = matchDockerfile(BUILDKIT_HISTORY, chain(MULTI_STAGE), 'Dockerfile');
  t.deepEqual(linesOf(match), [[2, 10, 13], [3, 14, 14], [4, 15, 18], [5, 19, 19], [6, 20, 20], [7, 21, 21]]);
  t.like(match, { boundary: { source: 'dockerfile', ownFrom: 2, base: '${BASE}', note: 'from Dockerfile' } });
});

test('matchDockerfile: the classic builder records ARG, and it gets its line', (t) => {
  const classic = history([
    '/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / ',
    '/bin/sh -c #(nop)  CMD ["/bin/sh"]',
    '/bin/sh -c #(nop)  ARG VERSION',
    '|1 VERSION=1.2 /bin/sh -c apk add --no-cache ca-certificates     curl     tzdata',
    '/bin/sh -c #(nop) COPY file:aaaa in /usr/local/bin/app ',
    '|1 VERSION=1.2 /bin/sh -c set -e',
    '/bin/sh -c #(nop)  EXPOSE 8080',
    '/bin/sh -c #(nop)  USER app',
    '/bin/sh -c #(nop)  CMD ["app"]',
  ]);
  const match = matchDockerfile(classic, chain(MULTI_STAGE), 'Dockerfile');
  t.like(match, { boundary: { ownFrom: 2 } });
  t.deepEqual(linesOf(match)[0], [2, 9, 9]);
});

test('matchDockerfile: an ARG in a BuildKit image never takes a base image\'s ARG step', (t) => {
  const steps = history([
    '/bin/sh -c #(nop) ADD file:aaaa in / ',
    '/bin/sh -c #(nop)  ARG FROM_BASE',
    'RUN /bin/sh -c make # buildkit',
  ]);
  const match = matchDockerfile(steps, chain('FROM base\nARG FROM_BASE\nRUN make\n'), 'Dockerfile');
  t.like(match, { boundary: { ownFrom: 2 } });
  t.deepEqual(linesOf(match), [[2, 3, 3]]);
});

test('matchDockerfile: a stage built FROM an earlier stage matches that stage\'s steps too', (t) => {
  const text = [
    'FROM alpine:3.19 AS builder', //          1
    'RUN apk add --no-cache build-base', //    2
    'WORKDIR /src', //                         3
    'FROM golang AS tools', //                 4
    'RUN go install x@latest', //              5
    'FROM builder', //                         6
    'COPY --from=tools /go/bin/x /usr/bin/x', // 7
    'CMD ["x"]', //                            8
  ].join('\n');
  const steps = history([
    '/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / ',
    '/bin/sh -c #(nop)  CMD ["/bin/sh"]',
    'RUN /bin/sh -c apk add --no-cache build-base # buildkit',
    'WORKDIR /src',
    'COPY /go/bin/x /usr/bin/x # buildkit',
    'CMD ["x"]',
  ]);
  const match = matchDockerfile(steps, chain(text), 'Dockerfile');
  t.deepEqual(linesOf(match), [[2, 2, 2], [3, 3, 3], [4, 7, 7], [5, 8, 8]]);
  t.like(match, { boundary: { ownFrom: 2, base: 'alpine:3.19' } });
});

test('matchDockerfile: `# escape=`` continuations join as the builder joins them', (t) => {
  const text = ['# escape=`', 'FROM alpine', 'RUN echo one `', '    && echo two', 'WORKDIR C:\\ignored'].join('\n');
  const steps = history([
    '/bin/sh -c #(nop) ADD file:aaaa in / ',
    '/bin/sh -c echo one     && echo two',
    '/bin/sh -c #(nop) WORKDIR /whatever',
  ]);
  t.deepEqual(linesOf(matchDockerfile(steps, chain(text), 'Dockerfile')), [[1, 3, 4], [2, 5, 5]], 'a Windows WORKDIR matches by keyword');
});

test('matchDockerfile: a RUN with $VARIABLES (or a heredoc) matches by keyword; one without is compared', (t) => {
  const steps = history([
    '/bin/sh -c #(nop) ADD file:aaaa in / ',
    '|1 VERSION=1.2 /bin/sh -c curl -fsSL https://example.com/app-1.2.tgz | tar -xz',
    'RUN |2 VERSION=1.2 NAME=my app /bin/sh -c echo "$NAME" > /etc/name # buildkit',
  ]);
  const text = ['FROM a', 'ARG VERSION', 'ARG NAME', 'RUN curl -fsSL https://example.com/app-${VERSION}.tgz | tar -xz', 'RUN echo "$NAME" > /etc/name'].join('\n');
  t.deepEqual(linesOf(matchDockerfile(steps, chain(text), 'Dockerfile')), [[1, 4, 4], [2, 5, 5]]);
  const plain = ['FROM a', 'RUN curl -fsSL https://example.com/app-1.2.tgz | tar -xz', 'RUN echo other'].join('\n');
  t.regex(reasonOf(matchDockerfile(steps, chain(plain), 'Dockerfile')), /^line 3 RUN does not match step 2 \(RUN /);
  const plainOk = ['FROM a', 'RUN curl -fsSL https://example.com/app-1.2.tgz | tar -xz', 'RUN echo "$NAME" > /etc/name'].join('\n');
  t.true(matchDockerfile(steps, chain(plainOk), 'Dockerfile').matched, 'the build-arg prefix (values with spaces) is not compared');
});

test('matchDockerfile: exec-form RUN (classic records the bare argv) and a custom SHELL', (t) => {
  const steps = history([
    '/bin/sh -c #(nop) ADD file:aaaa in / ',
    '/bin/sh -c #(nop)  SHELL [/bin/bash -o pipefail -c]',
    '/bin/bash -o pipefail -c set -x; make',
    'make install',
    'RUN make check # buildkit',
  ]);
  const text = ['FROM a', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'RUN set -x; make', 'RUN ["make", "install"]', 'RUN ["make","check"]'].join('\n');
  t.deepEqual(linesOf(matchDockerfile(steps, chain(text), 'Dockerfile')).map(([i, line]) => [i, line]), [[1, 2], [2, 3], [3, 4], [4, 5]]);
  const wrong = ['FROM a', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'RUN set -x; make', 'RUN ["make", "uninstall"]', 'RUN ["make","check"]'].join('\n');
  t.is(reasonOf(matchDockerfile(steps, chain(wrong), 'Dockerfile')), 'line 4 RUN does not match step 3 (make install)');
});

test('matchDockerfile: the trailing LABEL steps of `docker build --label` are skipped, even after a LABEL of the Dockerfile', (t) => {
  const steps = history([
    IMPORTED,
    '/bin/sh -c #(nop) WORKDIR /app',
    '/bin/sh -c #(nop)  LABEL org.opencontainers.image.title=app',
    '/bin/sh -c #(nop)  LABEL build=42',
  ]);
  const match = matchDockerfile(steps, chain('FROM base\nWORKDIR /app\nLABEL org.opencontainers.image.title="app"\n'), 'Dockerfile');
  t.deepEqual(linesOf(match), [[1, 2, 2], [2, 3, 3]]);
  t.like(match, { boundary: { ownFrom: 1 } });
  const both = matchDockerfile(steps, chain('FROM base\nWORKDIR /app\nLABEL org.opencontainers.image.title="app"\nLABEL build=$BUILD\n'), 'Dockerfile');
  t.deepEqual(linesOf(both), [[1, 2, 2], [2, 3, 3], [3, 4, 4]], 'a LABEL the Dockerfile does write is matched');
});

test('matchDockerfile: ENV and LABEL compare their names in order, not their values', (t) => {
  const steps = history([IMPORTED, 'ENV PATH=/opt/app/bin:/usr/local/sbin:/usr/local/bin LANG=C.UTF-8', 'ENV TZ=Europe/Paris', 'LABEL a.b=x y z=1']);
  t.true(matchDockerfile(steps, chain('FROM b\nENV PATH=/opt/app/bin:$PATH LANG=C.UTF-8\nENV TZ Europe/Paris\nLABEL "a.b"="x y" z=1'), 'D').matched);
  t.false(matchDockerfile(steps, chain('FROM b\nENV LANG=C.UTF-8 PATH=/x\nENV TZ=UTC\nLABEL a.b=1 z=1'), 'D').matched);
  t.false(matchDockerfile(steps, chain('FROM b\nENV PATH=/x LANG=C.UTF-8\nENV TZ=UTC\nLABEL z=1'), 'D').matched);
  t.false(matchDockerfile(steps, chain('FROM b\nENV PATH=/x LANG=C.UTF-8\nENV LANG=UTC\nLABEL a.b=1 z=1'), 'D').matched);
});

test('matchDockerfile: more instructions than the history, or none to match, is no match', (t) => {
  const longer = chain(['FROM alpine', 'WORKDIR /x', 'RUN a', 'RUN b', 'COPY a b', 'RUN c', 'EXPOSE 1', 'USER u', 'CMD ["x"]'].join('\n'));
  const short = history([['USER u', undefined, true], ['CMD ["x"]', undefined, true]]);
  t.is(reasonOf(matchDockerfile(short, longer, 'Dockerfile')), "the Dockerfile has more instructions than the image's history");
  t.is(reasonOf(matchDockerfile(short, chain('FROM alpine\nARG X\n'), 'Dockerfile')), 'the Dockerfile has no instruction that the history records');
});

test('matchDockerfile: an imported step is named as such in the reason', (t) => {
  const steps = history([IMPORTED, 'USER app']);
  t.is(reasonOf(matchDockerfile(steps, chain('FROM b\nRUN x\nUSER app\n'), 'D')), 'line 2 RUN does not match step 0 (no command recorded)');
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

