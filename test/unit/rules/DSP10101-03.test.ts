import test from 'ava';
import { DEBIAN_BASE, findingsOf } from '../helpers/facts.js';
import { AWS_KEY_ID, GITHUB_TOKEN } from '../secrets/fixtures.js';

const HISTORY = [...DEBIAN_BASE, 'ENV DB_PASSWORD=Sup3r-S3cret', 'LABEL deploy.token=Tk-8f7e6d5c4b', 'COPY . /app # buildkit'];

test('DSP10101 fires on an ENV credential, masks it in the message and in the step, and names the step that set it', (t) => {
  const [f, ...rest] = findingsOf('DSP10101', { history: HISTORY, config: { Env: ['PATH=/usr/bin', 'DB_PASSWORD=Sup3r-S3cret'] } });
  t.is(rest.length, 0);
  t.is(f!.message, 'ENV DB_PASSWORD holds a credential (Sup3********) in the image config, set by step 2 (ENV DB_PASSWORD=Sup3********)');
  t.deepEqual(f!.location, { kind: 'config', field: 'Env.DB_PASSWORD', historyIndex: 2, instruction: 'ENV DB_PASSWORD=Sup3********' });
  t.false(f!.inherited);
  t.false(JSON.stringify(f).includes('Sup3r-S3cret'), 'the secret is never printed whole');
});

test('DSP10101 fires on a database URL with a password, whatever the variable is called', (t) => {
  const [f] = findingsOf('DSP10101', { config: { Env: ['DATABASE_URL=postgres://app:Pg-Pa55w0rd@db:5432/app'] } });
  t.is(f!.message, 'ENV DATABASE_URL holds a password in a URL (postgres://app:Pg-********@db:5432) in the image config');
  t.deepEqual(f!.location, { kind: 'config', field: 'Env.DATABASE_URL' });
});

test('DSP10101 stays silent on placeholders, file paths, non-secret names and empty values', (t) => {
  const Env = [
    'POSTGRES_PASSWORD=', 'DB_PASSWORD_FILE=/run/secrets/db', 'API_TOKEN=${API_TOKEN}', 'SECRET_KEY=<set me>', 'TOKEN_TTL=3600',
    'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D', 'PWD=/app', 'AUTH_ENABLED=true', 'SECRETS_DIR=/run/secrets', 'JWT_SECRET=xxx',
  ];
  t.deepEqual(findingsOf('DSP10101', { config: { Env } }), []);
});

test('DSP10101 marks a credential set by the base image as inherited', (t) => {
  const [f] = findingsOf('DSP10101', {
    history: [...DEBIAN_BASE, { createdBy: '/bin/sh -c #(nop)  ENV MYSQL_ROOT_PASSWORD=root-pw-1', inherited: true }, 'COPY . /app # buildkit'],
    config: { Env: ['MYSQL_ROOT_PASSWORD=root-pw-1'] },
  });
  t.true(f!.inherited);
  t.is(f!.location.kind === 'config' ? f!.location.historyIndex : -1, 2);
});

test('DSP10102 fires on a label that holds a credential, naming the LABEL step', (t) => {
  const [f] = findingsOf('DSP10102', { history: HISTORY, config: { Labels: { 'deploy.token': 'Tk-8f7e6d5c4b', 'org.opencontainers.image.title': 'app' } } });
  t.is(f!.message, 'label deploy.token holds a credential (Tk-8********) in the image config, set by step 3 (LABEL deploy.token=Tk-8********)');
  t.deepEqual(f!.location, { kind: 'config', field: 'Labels.deploy.token', historyIndex: 3, instruction: 'LABEL deploy.token=Tk-8********' });
});

test('DSP10102 stays silent on ordinary labels', (t) => {
  t.deepEqual(findingsOf('DSP10102', { config: { Labels: { maintainer: 'ops@corp', 'com.example.token-url': 'https://auth.corp/token', 'auth.required': 'true' } } }), []);
});

test('DSP10103 fires on a well-known token format in ENV or a label whatever the name, instead of DSP10101', (t) => {
  const facts = { config: { Env: [`GH=${GITHUB_TOKEN}`, `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}`], Labels: { build: `by ${GITHUB_TOKEN}` } } };
  const findings = findingsOf('DSP10103', facts);
  t.deepEqual(findings.map((f) => f.message), [
    'ENV GH holds a GitHub token (ghp_********) in the image config',
    'ENV AWS_ACCESS_KEY_ID holds an AWS access key ID (AKIA********) in the image config',
    'label build holds a GitHub token (ghp_********) in the image config',
  ]);
  t.deepEqual(findings.map((f) => f.location), [
    { kind: 'config', field: 'Env.GH' },
    { kind: 'config', field: 'Env.AWS_ACCESS_KEY_ID' },
    { kind: 'config', field: 'Labels.build' },
  ]);
  t.deepEqual(findingsOf('DSP10101', facts), []);
});

test("DSP10103 ignores AWS's documented example key", (t) => {
  t.deepEqual(findingsOf('DSP10103', { config: { Env: ['AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE'] } }), []);
});
