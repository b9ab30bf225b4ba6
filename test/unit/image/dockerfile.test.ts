import test from 'ava';
import { parseDockerfile, resolveStage, type DockerfileInstruction } from '../../../src/image/dockerfile.js';

const at = (list: DockerfileInstruction[]) => list.map((i) => [i.keyword, i.line, i.endLine]);

const MULTI_STAGE = [
  '# syntax=docker/dockerfile:1', //                          1
  'ARG BASE=alpine:3.19', //                                   2
  'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build', //     3
  'WORKDIR /src', //                                           4
  'COPY . .', //                                               5
  'RUN --mount=type=cache,target=/root/.cache \\', //          6
  '    go build -o /out/app ./cmd/app', //                     7
  '', //                                                       8
  'FROM ${BASE}', //                                           9
  'ARG VERSION', //                                            10
  'RUN apk add --no-cache ca-certificates \\', //              11
  '    # a comment inside the continuation', //               12
  '', //                                                       13
  '    curl \\', //                                            14
  '    tzdata', //                                             15
  'COPY --from=build /out/app /usr/local/bin/app', //          16
  'RUN <<EOF', //                                              17
  'set -e', //                                                 18
  'echo "FROM nowhere" > /etc/motd', //                        19
  'EOF', //                                                    20
  'expose 8080', //                                            21
  'ENV A=1 B="two words"', //                                  22
  'LABEL "org.example.x"="y" z=1', //                          23
  'USER app', //                                               24
  'CMD ["app", "--serve"]', //                                 25
].join('\n');

test('parseDockerfile: stages with their base and name, instructions with start and end lines', (t) => {
  const stages = parseDockerfile(MULTI_STAGE);
  t.is(stages.length, 2);
  t.like(stages[0], { from: 'golang:1.22', name: 'Build', line: 3 });
  t.deepEqual(at(stages[0].instructions), [['WORKDIR', 4, 4], ['COPY', 5, 5], ['RUN', 6, 7]]);
  t.is(stages[1].from, '${BASE}', 'an unresolved base is kept as written (a --build-arg may have changed it)');
  t.is(stages[1].name, undefined);
  t.deepEqual(at(stages[1].instructions), [
    ['ARG', 10, 10], ['RUN', 11, 15], ['COPY', 16, 16], ['RUN', 17, 20], ['EXPOSE', 21, 21],
    ['ENV', 22, 22], ['LABEL', 23, 23], ['USER', 24, 24], ['CMD', 25, 25],
  ]);
});

test('parseDockerfile: arguments as the builder reads them (flags apart, continuations joined, comments dropped)', (t) => {
  const [build, final] = parseDockerfile(MULTI_STAGE);
  const buildRun = build.instructions[2];
  t.deepEqual(buildRun.flags, ['mount']);
  t.is(buildRun.args, 'go build -o /out/app ./cmd/app');
  const run = final.instructions[1];
  t.regex(run.args, /^apk add --no-cache ca-certificates\s+curl\s+tzdata$/);
  t.false(run.args.includes('comment'));
  t.false(run.heredoc);
  const copy = final.instructions[2];
  t.deepEqual(copy.flags, ['from']);
  t.deepEqual(copy.words, ['/out/app', '/usr/local/bin/app']);
  t.true(final.instructions[3].heredoc);
  t.deepEqual(final.instructions[0].keys, ['VERSION']);
  t.deepEqual(final.instructions[5].keys, ['A', 'B']);
  t.deepEqual(final.instructions[6].keys, ['org.example.x', 'z'], 'quotes around names removed');
  t.deepEqual(final.instructions[8].json, ['app', '--serve']);
});

test('parseDockerfile: exec form only when the arguments are a JSON array of strings', (t) => {
  const [stage] = parseDockerfile(['FROM a', 'CMD ["a", "b c"]', 'CMD [ "broken', 'CMD [1, 2]', 'RUN ["echo","hi"]', 'CMD echo hi'].join('\n'));
  t.deepEqual(stage.instructions.map((i) => i.json), [['a', 'b c'], undefined, undefined, ['echo', 'hi'], undefined]);
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
  t.deepEqual(at(stage.instructions), [['RUN', 4, 6], ['WORKDIR', 7, 7], ['COPY', 8, 8], ['CMD', 9, 9]]);
  t.regex(stage.instructions[0].args, /^powershell -Command\s+\$ErrorActionPreference = 'Stop';\s+Write-Host hi$/);
  t.is(stage.instructions[1].args, 'C:\\app\\');
});

test('parseDockerfile: heredocs (quoted, `<<-`) are one instruction; a trailing continuation ends at the file end', (t) => {
  // `<<-` strips leading tabs, so the tab-indented END closes the heredoc.
  const text = ['FROM scratch', 'COPY <<-"END" /etc/conf', '\tkey=value', '\tEND', 'ADD <<EOF /x', 'FROM y', 'EOF', 'LABEL a=b \\'].join('\n');
  const stages = parseDockerfile(text);
  t.is(stages.length, 1, 'a FROM inside a heredoc is not a stage');
  t.deepEqual(at(stages[0].instructions), [['COPY', 2, 4], ['ADD', 5, 7], ['LABEL', 8, 8]]);
  t.true(stages[0].instructions[0].heredoc);
  t.true(stages[0].instructions[1].heredoc);
});

test('parseDockerfile: no FROM gives no stage; instructions before the first FROM belong to none', (t) => {
  t.deepEqual(parseDockerfile('ARG X=1\nRUN true\n'), []);
  t.deepEqual(parseDockerfile(''), []);
  const [stage] = parseDockerfile('ARG X=1\nFROM a\n');
  t.deepEqual(stage.instructions, []);
});

test('resolveStage: a stage built FROM an earlier stage has that stage\'s instructions first, recursively', (t) => {
  const text = [
    'FROM alpine:3.19 AS base', //   1
    'RUN apk add curl', //           2
    'FROM base AS builder', //       3
    'WORKDIR /src', //               4
    'FROM golang AS unrelated', //   5
    'RUN go version', //             6
    'FROM BUILDER', //               7  stage names are case-insensitive
    'COPY --from=unrelated /x /y', // 8
    'CMD ["app"]', //                9
  ].join('\n');
  const stages = parseDockerfile(text);
  const chain = resolveStage(stages);
  t.is(chain?.from, 'alpine:3.19', 'the root stage\'s base');
  t.deepEqual(chain && at(chain.instructions), [['RUN', 2, 2], ['WORKDIR', 4, 4], ['COPY', 8, 8], ['CMD', 9, 9]]);
  t.is(resolveStage(stages, 'unrelated')?.from, 'golang');
  t.deepEqual(resolveStage(stages, 'builder')?.instructions.map((i) => i.line), [2, 4]);
  t.deepEqual(resolveStage(stages, 2)?.instructions.map((i) => i.line), [6]);
  t.is(resolveStage(stages, 'nope'), undefined);
  t.is(resolveStage([]), undefined);
  t.is(stages[3].instructions.length, 2, 'the parsed stages are left as they were');
});

test('resolveStage: FROM an index; a name that is no earlier stage is an image', (t) => {
  const stages = parseDockerfile(['FROM a', 'RUN one', 'FROM 0', 'RUN two', 'FROM later', 'RUN three', 'FROM x AS later'].join('\n'));
  t.deepEqual(resolveStage(stages, 1)?.instructions.map((i) => i.args), ['one', 'two']);
  t.is(resolveStage(stages, 2)?.from, 'later', 'a stage named later in the file is not a parent');
});
