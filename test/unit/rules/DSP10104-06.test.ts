import test from 'ava';
import { DEBIAN_BASE, findingsOf } from '../helpers/facts.js';
import { buildArgsOf } from '../../../src/secrets/inline.js';
import { GITHUB_TOKEN, NPM_TOKEN } from '../secrets/fixtures.js';

test('build args are read from both builders, values up to the next NAME= or the shell', (t) => {
  t.deepEqual(buildArgsOf('|2 NPM_TOKEN=abc def VERSION=1.2 /bin/sh -c npm ci'), [{ name: 'NPM_TOKEN', value: 'abc def' }, { name: 'VERSION', value: '1.2' }]);
  t.deepEqual(buildArgsOf('RUN |1 TOKEN=t0k /bin/sh -c make # buildkit'), [{ name: 'TOKEN', value: 't0k' }]);
  t.deepEqual(buildArgsOf('/bin/sh -c make'), []);
});

test('DSP10104 fires on a secret build argument recorded by BuildKit, masking it in message and location', (t) => {
  const [f, ...rest] = findingsOf('DSP10104', {
    history: [...DEBIAN_BASE, `RUN |2 NPM_TOKEN=${NPM_TOKEN} NODE_ENV=production /bin/sh -c npm ci # buildkit`],
  });
  t.is(rest.length, 0);
  t.is(f!.message, 'step 2 (RUN npm ci) ran with build argument NPM_TOKEN=npm_********, which the image history records');
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: 'RUN npm ci' });
  t.false(f!.inherited);
});

test('DSP10104 fires on a classic-builder build arg by name and masks it in the location too', (t) => {
  const [f] = findingsOf('DSP10104', { history: [...DEBIAN_BASE, '|1 DB_PASSWORD=hunter2-prod /bin/sh -c echo "$DB_PASSWORD" > /tmp/x'] });
  t.is(f!.message, 'step 2 (RUN echo "$DB_PASSWORD" > /tmp/x) ran with build argument DB_PASSWORD=hunt********, which the image history records');
  t.false(JSON.stringify(f).includes('hunter2-prod'));
});

test('DSP10104 stays silent on ordinary build args and empty or placeholder secrets', (t) => {
  t.deepEqual(findingsOf('DSP10104', { history: [...DEBIAN_BASE, 'RUN |3 VERSION=1.2 TOKEN= API_KEY=none /bin/sh -c make # buildkit'] }), []);
});

test('DSP10105 fires on curl -u user:password and masks it in the step shown', (t) => {
  const [f] = findingsOf('DSP10105', { history: [...DEBIAN_BASE, 'RUN /bin/sh -c curl -fsSL -u deploy:Xy7-Pw9q https://nexus.corp/repo/app.tgz | tar xz # buildkit'] });
  t.is(f!.message, 'step 2 (RUN curl -fsSL -u deploy:Xy****** https://nexus.corp/repo/a…) writes curl -u user:password (-u deploy:Xy******) into the image history');
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: 'RUN curl -fsSL -u deploy:Xy****** https://nexus.corp/repo/app.tgz | tar xz' });
});

test('DSP10105 fires on URL passwords, URL tokens, Authorization headers, npm tokens, docker login -p and chpasswd', (t) => {
  const cases: Array<[string, string]> = [
    ['git clone https://ci:glx-Pa55@git.corp/app.git', 'a password in a URL (https://ci:gl******@git.corp)'],
    ['wget "https://api.corp/dl?access_token=a1b2c3d4e5f6"', 'a token in a URL (access_token=a1b2********)'],
    ['curl -H "Authorization: Bearer eyJ0eXAiOiJKV1Qi" https://api.corp', 'an Authorization header (Authorization: Bearer eyJ0********)'],
    ['npm config set //registry.npmjs.org/:_authToken=0f1e2d3c-4b5a', 'an npm registry token (_authToken=0f1e********)'],
    ['docker login -u ci -p Dock3r-Pw registry.corp', 'docker login --password (login -p Doc******)'],
    ["echo 'root:Sup3rR00t' | chpasswd", 'a password set with chpasswd (root:Sup****** | chpasswd)'],
  ];
  for (const [command, what] of cases) {
    const [f, ...rest] = findingsOf('DSP10105', { history: [...DEBIAN_BASE, `RUN /bin/sh -c ${command} # buildkit`] });
    t.is(rest.length, 0, command);
    t.true(f!.message.endsWith(`writes ${what} into the image history`), `${command}: ${f?.message}`);
  }
});

test('DSP10105 stays silent when the credential comes from a variable, a secret mount or stdin', (t) => {
  const commands = [
    'echo "$REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry.corp',
    'curl -u "deploy:$(cat /run/secrets/pw)" https://nexus.corp/x',
    'curl -u deploy:$NEXUS_PW https://nexus.corp/x',
    'npm config set //registry.npmjs.org/:_authToken=${NPM_TOKEN}',
    'git clone https://github.com/org/app.git',
    'curl -H "Authorization: Bearer $TOKEN" https://api.corp',
  ];
  t.deepEqual(findingsOf('DSP10105', { history: [...DEBIAN_BASE, ...commands.map((c) => `RUN /bin/sh -c ${c} # buildkit`)] }), []);
});

test('DSP10106 fires on a token in a RUN line, and on an ENV step whose value a later ENV overwrote', (t) => {
  const findings = findingsOf('DSP10106', {
    history: [...DEBIAN_BASE, `RUN /bin/sh -c git clone https://x-access-token@github.com/org/app --config token=${GITHUB_TOKEN} # buildkit`, `ENV GH=${GITHUB_TOKEN}`, 'ENV GH='],
    config: { Env: ['GH='] },
  });
  t.deepEqual(findings.map((f) => f.message), [
    'step 2 (RUN git clone https://x-access-token@github.com/org/app --c…) holds a GitHub token (ghp_********) in the image history',
    'step 3 (ENV GH=ghp_********) holds a GitHub token (ghp_********) in the image history',
  ]);
  t.deepEqual(findings[1]!.location, { kind: 'history', index: 3, instruction: 'ENV GH=ghp_********' });
});

test('DSP10106 leaves a token the config still holds to DSP10103, and a secret build arg to DSP10104', (t) => {
  t.deepEqual(findingsOf('DSP10106', { history: [...DEBIAN_BASE, `ENV GH=${GITHUB_TOKEN}`, `RUN |1 GH_TOKEN=${GITHUB_TOKEN} /bin/sh -c make # buildkit`], config: { Env: [`GH=${GITHUB_TOKEN}`] } }), []);
});

test('DSP10104 marks a base image step as inherited', (t) => {
  const [f] = findingsOf('DSP10104', { history: [{ createdBy: '|1 API_KEY=k-1a2b3c4d5e /bin/sh -c ./setup', inherited: true }, 'COPY . /app # buildkit'] });
  t.true(f!.inherited);
});

test('DSP10104 reports a build argument once, at the first step that records it, counting the later ones', (t) => {
  const arg = '|1 NPM_TOKEN=npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c /bin/sh -c';
  const findings = findingsOf('DSP10104', {
    history: [...DEBIAN_BASE, `RUN ${arg} npm ci # buildkit`, `RUN ${arg} npm run build # buildkit`, `RUN ${arg} npm prune # buildkit`],
  });
  t.is(findings.length, 1);
  t.regex(findings[0]!.message, /^step 2 \(RUN npm ci\) ran with build argument NPM_TOKEN=npm_\*+, which the image history records \(so do the 2 later steps that run with it\)$/);
});
