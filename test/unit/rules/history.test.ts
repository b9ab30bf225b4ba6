import test from 'ava';
import { parseCreatedBy } from '../../../src/image/instruction.js';
import {
  boundaryKnown,
  describeStep,
  stepDisplay,
  envOf,
  expandVars,
  healthcheckDisplay,
  healthcheckTestOf,
  octalMode,
  ownSteps,
  stepThatSet,
  stepsWithKeyword,
  workdirAt,
} from '../../../src/policies/history.js';
import { DEBIAN_BASE, diffIdOf, makeFacts } from '../helpers/facts.js';

test('makeFacts parses created_by, numbers layers in step order and marks steps before ownFrom inherited', (t) => {
  const facts = makeFacts({ history: [...DEBIAN_BASE, 'WORKDIR /app', 'COPY a rel/ # buildkit', '/bin/sh -c apt-get update'] });
  t.deepEqual(facts.history.map((s) => [s.instruction?.keyword, s.makesLayer, s.layerIndex, s.inherited]), [
    ['ADD', true, 0, true],
    ['CMD', false, undefined, true],
    ['WORKDIR', false, undefined, false],
    ['COPY', true, 1, false],
    ['RUN', true, 2, false],
  ]);
  t.deepEqual(facts.layers.map((l) => [l.diffId, l.historyIndex, l.inherited]), [
    [diffIdOf(0), 0, true],
    [diffIdOf(1), 3, false],
    [diffIdOf(2), 4, false],
  ]);
  t.deepEqual(facts.baseBoundary, { source: 'local-image', ownFrom: 2 });
  t.deepEqual(ownSteps(facts).map((s) => s.index), [2, 3, 4]);
});

test('makeFacts refuses files in layers the history does not make', (t) => {
  t.throws(() => makeFacts({ history: ['USER app'], files: [{ path: '/x' }] }), { message: /layer 0 but the history makes only 0 layer/ });
});

test('stepThatSet finds the last step of the matching instruction, inherited or not', (t) => {
  const facts = makeFacts({ history: [{ createdBy: 'USER base', inherited: true }, 'USER root', 'USER app', 'CMD ["x"]'] });
  t.is(stepThatSet(facts, 'User')?.index, 2);
  t.is(stepThatSet(facts, 'Cmd')?.index, 3);
  t.is(stepThatSet(facts, 'Entrypoint'), undefined);
  t.deepEqual(stepsWithKeyword(facts, 'USER', { own: true }).map((s) => s.index), [1, 2]);
  t.deepEqual(stepsWithKeyword(facts, 'USER', { before: 2 }).map((s) => s.index), [0, 1]);
});

test('workdirAt resolves the WORKDIR in effect before a step, relative WORKDIRs included', (t) => {
  const facts = makeFacts({ history: ['COPY a b # buildkit', 'WORKDIR /app', 'WORKDIR src', 'COPY c d # buildkit'] });
  t.is(workdirAt(facts, 0), undefined);
  t.is(workdirAt(facts, 2), '/app');
  t.is(workdirAt(facts, 3), '/app/src');
});

test('expandVars resolves $VAR, ${VAR} and defaults, and gives up on unknown variables', (t) => {
  const env = envOf({ Env: ['HOME=/root', 'APP=app', 'EMPTY='] });
  t.is(expandVars('$HOME/${APP}', env), '/root/app');
  t.is(expandVars('${NOPE:-/srv}/x', env), '/srv/x');
  t.is(expandVars('${EMPTY:-dflt}', env), 'dflt');
  t.is(expandVars('${APP:+/abs}', env), '/abs');
  t.is(expandVars('\\$HOME', env), '$HOME');
  t.is(expandVars('$NOPE/x', env), undefined);
});

test('HEALTHCHECK steps read back as written, for both builders', (t) => {
  const buildkit = parseCreatedBy(`HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "3s" "0s" "0s" '\\x03'}`)!;
  t.deepEqual(healthcheckTestOf(buildkit), ['CMD-SHELL', 'curl -f http://localhost/ || exit 1']);
  t.is(healthcheckDisplay(buildkit), 'HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -f http://localhost/ || exit 1');
  const classicNone = parseCreatedBy(`/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" '\\x00'}`)!;
  t.deepEqual(healthcheckTestOf(classicNone), ['NONE']);
  t.is(healthcheckDisplay(classicNone), 'HEALTHCHECK NONE');
  const bracket = parseCreatedBy(`HEALTHCHECK &{["CMD" "test" "]" "x"] "0s" "0s" "0s" "0s" '\\x00'}`)!;
  t.deepEqual(healthcheckTestOf(bracket), ['CMD', 'test', ']', 'x']);
});

test('describeStep keeps messages short: long instructions are cut', (t) => {
  const facts = makeFacts({ history: [`RUN /bin/sh -c apt-get update && apt-get install -y ${'pkg '.repeat(30)} # buildkit`, 'USER app'] });
  t.regex(describeStep(facts.history[0]!), /^step 0 \(RUN apt-get update .{30,}…\)$/);
  t.is(describeStep(facts.history[1]!), 'step 1 (USER app)');
});

test('boundaryKnown is false only for unknown and timestamp boundaries', (t) => {
  for (const [source, known] of [['unknown', false], ['timestamps', false], ['local-image', true], ['dockerfile', true], ['base-image', true]] as const) {
    t.is(boundaryKnown(makeFacts({ boundarySource: source })), known, source);
  }
});

test('octalMode prints permission bits the way chmod takes them', (t) => {
  t.is(octalMode(0o104755), '4755');
  t.is(octalMode(0o2711), '2711');
  t.is(octalMode(0o644), '0644');
});

test('makeFacts takes empty_layer as given, names import steps "Imported from -" and notes an unknown boundary', (t) => {
  const facts = makeFacts({
    history: ['', { createdBy: 'RUN /bin/sh -c true # buildkit', emptyLayer: true }, { createdBy: 'USER app', emptyLayer: false }],
  });
  t.deepEqual(facts.history.map((s) => [s.comment, s.makesLayer, s.layerIndex]), [
    ['Imported from -', true, 0],
    ['buildkit.dockerfile.v0', false, undefined],
    ['buildkit.dockerfile.v0', true, 1],
  ]);
  t.is(facts.baseBoundary.source, 'unknown');
  t.truthy(facts.baseBoundary.note);
});

test('a step is shown with its secrets masked before a message shortens it, so a secret cut at the edge does not leak a part', (t) => {
  const secret = 'Zq3vG7wR8tLk2NpX5cYb1HsD9fJm4TuQe6WiAoKx';
  const facts = makeFacts({
    history: [
      `RUN /bin/sh -c curl -fsSL -u deploy:${secret} https://example.com/a.tgz # buildkit`,
      `ENV DB_PASSWORD=${secret} # buildkit`,
    ],
  });
  for (const step of facts.history) {
    const shown = [stepDisplay(step), describeStep(step)].join('\n');
    t.false(shown.includes(secret.slice(0, 6)), shown);
    t.regex(describeStep(step), /\*/);
  }
});
