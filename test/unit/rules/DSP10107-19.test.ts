import test from 'ava';
import type { LayerScanHit } from '../../../src/image/file-scanner.js';
import { KIND_POLICY } from '../../../src/secrets/patterns.js';
import { allRules } from '../../../src/policies/rules/index.js';
import { DEBIAN_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';

const HISTORY = [...DEBIAN_BASE, 'COPY . /app # buildkit', 'RUN /bin/sh -c rm -f /root/.ssh/id_rsa /app/.env # buildkit', 'COPY conf/ /app/conf/ # buildkit'];

function hit(kind: string, path: string, layerIndex: number, line?: number, excerpt?: string): LayerScanHit {
  const h: LayerScanHit = { scanner: 'secrets', kind, path, layerIndex };
  if (line !== undefined) h.line = line;
  if (excerpt !== undefined) h.excerpt = excerpt;
  return h;
}

test('DSP10116 fires on a .env secret, naming the file, line, layer and step, with the masked excerpt', (t) => {
  const [f, ...rest] = findingsOf('DSP10116', {
    history: HISTORY,
    files: [{ path: '/app/.env', layerIndex: 1 }],
    scanHits: [hit('dotenv-secret', '/app/.env', 1, 3, 'DB_PASSWORD=s3c********')],
  });
  t.is(rest.length, 0);
  t.is(f!.message, '/app/.env line 3: a secret in a .env file (DB_PASSWORD=s3c********); in layer 1, step 2 (COPY . /app)');
  t.deepEqual(f!.location, { kind: 'file', path: '/app/.env', layer: diffIdOf(1), layerIndex: 1, historyIndex: 2, instruction: 'COPY . /app' });
  t.deepEqual(f!.subject, { path: '/app/.env' });
  t.false(f!.inherited);
  t.is(f!.warnOnly, undefined);
});

test('DSP10109 fires on an SSH key a later layer deleted, saying the deleting layer does not remove it from the image', (t) => {
  const [f] = findingsOf('DSP10109', {
    history: HISTORY,
    files: [{ path: '/app/main.py', layerIndex: 1 }],
    scanHits: [hit('ssh-private-key', '/root/.ssh/id_rsa', 1, 1, '-----BEGIN RSA PRIVATE KEY-----')],
  });
  t.is(
    f!.message,
    '/root/.ssh/id_rsa line 1: an SSH private key (-----BEGIN RSA PRIVATE KEY-----); in layer 1, step 2 (COPY . /app); deleted by a later layer, but layer 1 still ships it',
  );
  t.is(f!.location.kind === 'file' ? f!.location.layerIndex : -1, 1);
});

test('DSP10118 reports both the replaced and the current version of a config file, each on its own layer', (t) => {
  const findings = findingsOf('DSP10118', {
    history: HISTORY,
    files: [{ path: '/app/conf/app.yml', layerIndex: 3 }],
    scanHits: [hit('config-password', '/app/conf/app.yml', 3, 2, 'password=new********'), hit('config-password', '/app/conf/app.yml', 1, 2, 'password=old********')],
  });
  t.deepEqual(findings.map((f) => f.message), [
    '/app/conf/app.yml line 2: a hard-coded password or secret (password=old********); in layer 1, step 2 (COPY . /app); replaced by layer 3, but layer 1 still ships this version',
    '/app/conf/app.yml line 2: a hard-coded password or secret (password=new********); in layer 3, step 4 (COPY conf/ /app/conf/)',
  ]);
});

test('DSP10117 fires on a keystore by name, without a line', (t) => {
  const [f] = findingsOf('DSP10117', { history: HISTORY, files: [{ path: '/app/tls.p12', layerIndex: 1 }], scanHits: [hit('keystore', '/app/tls.p12', 1)] });
  t.is(f!.message, '/app/tls.p12: a Java/PKCS#12 keystore; in layer 1, step 2 (COPY . /app)');
});

test('DSP10107 marks a key from the base image as inherited, and keys in test directories or packages as warn-only', (t) => {
  const findings = findingsOf('DSP10107', {
    history: HISTORY,
    files: [{ path: '/etc/ssl/private/ssl-cert-snakeoil.key' }, { path: '/app/node_modules/ssh2/test/fixtures/key.pem', layerIndex: 1 }, { path: '/app/node_modules/lib/k.pem', layerIndex: 1 }],
    scanHits: [
      hit('private-key', '/etc/ssl/private/ssl-cert-snakeoil.key', 0, 1, '-----BEGIN PRIVATE KEY-----'),
      hit('private-key', '/app/node_modules/ssh2/test/fixtures/key.pem', 1, 1, '-----BEGIN RSA PRIVATE KEY-----'),
      hit('private-key', '/app/node_modules/lib/k.pem', 1, 1, '-----BEGIN EC PRIVATE KEY-----'),
    ],
  });
  t.deepEqual(findings.map((f) => [f.subject?.path, f.inherited, f.warnOnly ?? false]), [
    ['/app/node_modules/lib/k.pem', false, true],
    ['/app/node_modules/ssh2/test/fixtures/key.pem', false, true],
    ['/etc/ssl/private/ssl-cert-snakeoil.key', true, false],
  ]);
  t.regex(findings[0]!.message, /; in an installed third-party package \(warn only\)$/);
  t.regex(findings[1]!.message, /; in a test or example directory, probably a sample \(warn only\)$/);
});

test('each hit kind is reported under its own policy and no other', (t) => {
  const spec = {
    history: HISTORY,
    scanHits: Object.keys(KIND_POLICY).map((kind, i) => hit(kind, `/app/f${i}`, 1, 1, 'x***')),
  };
  for (const [kind, policy] of Object.entries(KIND_POLICY)) {
    const i = Object.keys(KIND_POLICY).indexOf(kind);
    t.true(findingsOf(policy, spec).some((f) => f.subject?.path === `/app/f${i}`), `${kind} → ${policy}`);
  }
  const all = ['DSP10107', 'DSP10108', 'DSP10109', 'DSP10110', 'DSP10111', 'DSP10112', 'DSP10113', 'DSP10114', 'DSP10115', 'DSP10116', 'DSP10117', 'DSP10118', 'DSP10119'];
  t.is(all.reduce((n, id) => n + findingsOf(id, spec).length, 0), Object.keys(KIND_POLICY).length, 'one finding per hit');
});

test('the file policies ignore other scanners\' hits and report nothing without hits', (t) => {
  t.deepEqual(findingsOf('DSP10110', { history: HISTORY, scanHits: [{ scanner: 'other', kind: 'aws-access-key-id', path: '/x', layerIndex: 0 }] }), []);
  t.deepEqual(findingsOf('DSP10110', { history: HISTORY }), []);
});

test('DSP10110 fires on AWS keys with the masked key, and DSP10112/DSP10113 on tokens', (t) => {
  const spec = {
    history: HISTORY,
    files: [{ path: '/root/.aws/credentials', layerIndex: 1 }, { path: '/app/src/cfg.js', layerIndex: 1 }],
    scanHits: [hit('aws-access-key-id', '/root/.aws/credentials', 1, 2, 'AKIA********'), hit('github-token', '/app/src/cfg.js', 1, 4, 'ghp_********'), hit('slack-webhook', '/app/src/cfg.js', 1, 9, 'https://hooks.slack.com/services/T0AB********')],
  };
  t.deepEqual(findingsOf('DSP10110', spec).map((f) => f.message), ['/root/.aws/credentials line 2: an AWS access key ID (AKIA********); in layer 1, step 2 (COPY . /app)']);
  t.deepEqual(findingsOf('DSP10112', spec).map((f) => f.message), ['/app/src/cfg.js line 4: a GitHub token (ghp_********); in layer 1, step 2 (COPY . /app)']);
  t.deepEqual(findingsOf('DSP10113', spec).map((f) => f.message), ['/app/src/cfg.js line 9: a Slack webhook URL (https://hooks.slack.com/services/T0AB********); in layer 1, step 2 (COPY . /app)']);
});

test('DSP10119 fires on a kubeconfig token, and the files rule brings the secrets scanner for the streaming pass', (t) => {
  const rule = allRules.find((r) => r.ids.includes('DSP10119'))!;
  t.deepEqual(rule.needs.scanners?.map((s) => `${s.id}@${s.version}`), ['secrets@1']);
  t.deepEqual(findingsOf('DSP10119', { history: HISTORY, files: [{ path: '/root/.kube/config', layerIndex: 1 }], scanHits: [hit('kube-credential', '/root/.kube/config', 1, 4, 'token: eyJh********')] }).map((f) => f.message), [
    '/root/.kube/config line 4: a Kubernetes credential (token: eyJh********); in layer 1, step 2 (COPY . /app)',
  ]);
});

test('a file finding masks the secret in the step that wrote the file, as the history policies do', (t) => {
  const [f] = findingsOf('DSP10112', {
    history: [...DEBIAN_BASE, `RUN /bin/sh -c echo "GH=ghp_aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY3zC5" > /app/.env # buildkit`],
    files: [{ path: '/app/.env', layerIndex: 1 }],
    scanHits: [hit('github-token', '/app/.env', 1, 1, 'ghp_********')],
  });
  t.is(f!.message, '/app/.env line 1: a GitHub token (ghp_********); in layer 1, step 2 (RUN echo "GH=ghp_********" > /app/.env)');
  t.is(f!.location.kind === 'file' ? f!.location.instruction : '', 'RUN echo "GH=ghp_********" > /app/.env');
});

test('an SSH host private key is left to DSP10307, which says how to generate one at start', (t) => {
  const hit = { scanner: 'secrets', kind: 'private-key', path: '/etc/ssh/ssh_host_ed25519_key', line: 1, excerpt: '-----BEGIN OPENSSH PRIVATE KEY-----', layerIndex: 0 };
  t.deepEqual(findingsOf('DSP10107', { history: [...DEBIAN_BASE], files: [{ path: hit.path }], scanHits: [hit] }), []);
});
