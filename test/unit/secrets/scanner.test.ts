import test from 'ava';
import { readLayer } from '../../../src/image/layer-reader.js';
import { classify, scanFile, secretsScanner, wantsPath } from '../../../src/secrets/scanner.js';
import { chunked, factsOfLayers, file, layerTar, whiteout } from '../helpers/archives.js';
import { AWS_KEY_ID, AWS_SECRET, GITHUB_TOKEN, GOOGLE_KEY, NPM_TOKEN, PEM_KEY, PGP_KEY, SLACK_WEBHOOK, STRIPE_KEY } from './fixtures.js';

const scan = (path: string, text: string) => scanFile(path, Buffer.from(text));
const request = { wants: () => false, maxBytes: 0, paths: [], scanners: [secretsScanner] };

test('wants skips distribution trees, virtual filesystems and binary or media extensions before reading a byte', (t) => {
  for (const path of [
    '/usr/share/doc/openssl/README', '/usr/share/man/man1/ls.1', '/usr/share/locale/de/LC_MESSAGES/x', '/usr/share/zoneinfo/UTC',
    '/usr/include/openssl/pem.h', '/usr/lib/x86_64-linux-gnu/libssl.so.3', '/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/python3.11/test/keycert.pem',
    '/usr/local/lib/python3.12/test/certdata/keycert.pem', '/var/lib/dpkg/info/openssl.list', '/var/lib/apt/lists/deb.debian.org_Packages',
    '/proc/self/environ', '/sys/kernel/x', '/usr/src/linux-headers-6.1/Makefile', '/usr/local/go/src/crypto/tls/testdata/x.pem',
    '/app/logo.png', '/app/lib/native.so.1.2', '/app/static/font.woff2', '/app/archive.tar.gz', '/app/__pycache__/m.cpython-312.pyc',
    '/etc/ssl/certs/ca-certificates.crt', '/root/.ssh/id_rsa.pub',
  ]) t.false(wantsPath(path, 100), path);
});

test('wants reads application files, site-packages, /etc and credential files known by name, up to 256 KiB of text', (t) => {
  for (const path of [
    '/app/.env', '/app/config/application.yml', '/etc/myapp/app.conf', '/root/.npmrc', '/root/.ssh/id_ed25519', '/home/u/.aws/credentials',
    '/usr/lib/python3.11/site-packages/app/settings.py', '/usr/local/lib/python3.12/site-packages/pkg/keys.py', '/srv/app/index.js', '/opt/key.pem',
  ]) t.true(wantsPath(path, 100), path);
  t.false(wantsPath('/app/bundle.js', 300 * 1024), 'big text is not read');
  t.true(wantsPath('/app/certs/server.p12', 5 * 1024 * 1024), 'a keystore is wanted whatever its size (judged by name)');
  t.false(wantsPath('/app/empty.env', 0), 'empty files have nothing to find');
});

test('classify recognises credential files by name, and .env templates are not .env files', (t) => {
  t.deepEqual(
    ['/root/.npmrc', '/root/.docker/config.json', '/app/config.json', '/root/.kube/config', '/root/.git-credentials', '/app/.env.production', '/app/.env.example', '/root/.ssh/id_rsa', '/app/keystore.JKS'].map(classify),
    ['npmrc', 'docker-config', 'text', 'kubeconfig', 'git-credentials', 'dotenv', 'text', 'ssh-key', 'keystore'],
  );
});

test('a PEM private key is reported at its header line, the header as excerpt (the body is never shown)', (t) => {
  t.deepEqual(scan('/app/certs/server.key', `# server key\n${PEM_KEY}`), [
    { kind: 'private-key', path: '/app/certs/server.key', line: 2, excerpt: '-----BEGIN RSA PRIVATE KEY-----' },
  ]);
});

test('code that only names the PEM marker (a key parser) is not a private key', (t) => {
  t.deepEqual(scan('/app/lib/crypt.py', "_PKCS1_MARKER = ('-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----')\n"), []);
});

test('a private key inside JSON with escaped newlines is found (service account files embed them so)', (t) => {
  const hits = scan('/app/sa.json', `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n"}`);
  t.deepEqual(hits.map((h) => h.kind), ['private-key']);
});

test('an SSH key file gets its own kind, and PGP private key blocks are told apart', (t) => {
  t.deepEqual(scan('/root/.ssh/id_rsa', PEM_KEY).map((h) => h.kind), ['ssh-private-key']);
  t.deepEqual(scan('/root/.ssh/deploy_key', PEM_KEY).map((h) => h.kind), ['ssh-private-key']);
  t.deepEqual(scan('/build/signing.asc', PGP_KEY), [{ kind: 'pgp-private-key', path: '/build/signing.asc', line: 1, excerpt: '-----BEGIN PGP PRIVATE KEY BLOCK-----' }]);
});

test('AWS keys in a credentials file: the key ID and the secret next to its name, each masked', (t) => {
  t.deepEqual(scan('/root/.aws/credentials', `[default]\naws_access_key_id = ${AWS_KEY_ID}\naws_secret_access_key = ${AWS_SECRET}\n`), [
    { kind: 'aws-access-key-id', path: '/root/.aws/credentials', line: 2, excerpt: 'AKIA********' },
    { kind: 'aws-secret-key', path: '/root/.aws/credentials', line: 3, excerpt: 'aws_secret_access_key = wJal********' },
  ]);
});

test("AWS's documented example keys and dummies do not fire", (t) => {
  t.deepEqual(scan('/app/config.py', 'KEY = "AKIAIOSFODNN7EXAMPLE"\nSECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\nTOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n'), []);
});

test('well-known tokens are found in any text file, with the line, masked', (t) => {
  const text = [`const gh = '${GITHUB_TOKEN}';`, `npm = "${NPM_TOKEN}"`, `hook: ${SLACK_WEBHOOK}`, `stripe=${STRIPE_KEY}`, `maps = "${GOOGLE_KEY}"`].join('\n');
  t.deepEqual(scan('/srv/app/src/settings.js', text), [
    { kind: 'github-token', path: '/srv/app/src/settings.js', line: 1, excerpt: 'ghp_********' },
    { kind: 'npm-token', path: '/srv/app/src/settings.js', line: 2, excerpt: 'npm_********' },
    { kind: 'slack-webhook', path: '/srv/app/src/settings.js', line: 3, excerpt: 'https://hooks.slack.com/services/T0AB********' },
    { kind: 'stripe-key', path: '/srv/app/src/settings.js', line: 4, excerpt: 'sk_l********' },
    { kind: 'google-api-key', path: '/srv/app/src/settings.js', line: 5, excerpt: 'AIza********' },
  ]);
});

test('a token in a minified one-line bundle is found without reading the whole line into a regex', (t) => {
  const line = 'var a=1;'.repeat(20000) + `var t="${GITHUB_TOKEN}";` + 'var b=2;'.repeat(20000);
  t.deepEqual(scan('/app/dist/main.js', line).map((h) => [h.kind, h.line]), [['github-token', 1]]);
});

test('.env files report secret-named keys with real values and skip placeholders, paths and comments', (t) => {
  const env = ['# DB_PASSWORD=old', 'DB_HOST=db', 'DB_PASSWORD=s3cr3t-Pa55', 'API_KEY=', 'JWT_SECRET=${JWT_SECRET}', 'SECRET_FILE=/run/secrets/x', 'export STRIPE_TOKEN="tok-9f8e7d6c"', 'DEBUG=true'].join('\n');
  t.deepEqual(scan('/app/.env', env), [
    { kind: 'dotenv-secret', path: '/app/.env', line: 3, excerpt: 'DB_PASSWORD=s3c********' },
    { kind: 'dotenv-secret', path: '/app/.env', line: 7, excerpt: 'STRIPE_TOKEN=tok-********' },
  ]);
});

test('tool credential files: .npmrc, .pypirc, docker config.json, .git-credentials, .netrc, .pgpass, kubeconfig', (t) => {
  t.deepEqual(scan('/root/.npmrc', '//registry.npmjs.org/:_authToken=0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\nalways-auth=true\n'), [
    { kind: 'npmrc-auth', path: '/root/.npmrc', line: 1, excerpt: '_authToken=0f1e********' },
  ]);
  t.deepEqual(scan('/root/.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'), [], 'a variable reference is the safe form');
  t.deepEqual(scan('/root/.pypirc', '[pypi]\nusername = __token__\npassword = hunter2hunter2\n').map((h) => [h.kind, h.line]), [['pypirc-password', 3]]);
  t.deepEqual(scan('/root/.docker/config.json', '{\n  "auths": {\n    "registry.example.com": {\n      "auth": "dXNlcjpwYXNzd29yZA=="\n    }\n  }\n}\n'), [
    { kind: 'docker-auth', path: '/root/.docker/config.json', line: 4, excerpt: '"auth": "dXNl********"' },
  ]);
  t.deepEqual(scan('/root/.docker/config.json', '{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}'), [], 'a credential helper keeps nothing in the file');
  t.deepEqual(scan('/root/.git-credentials', 'https://deploy:Zx9Vb8Nm7Lk6@git.corp.local\n'), [
    { kind: 'git-credentials', path: '/root/.git-credentials', line: 1, excerpt: 'https://deploy:Zx9V********@git.corp.local' },
  ]);
  t.deepEqual(scan('/root/.netrc', 'machine ftp.corp.local login bob password Qw3rTy-42\n').map((h) => h.excerpt), ['password Qw3******']);
  t.deepEqual(scan('/root/.pgpass', 'db:5432:app:app:Pg-S3cret\n').map((h) => h.excerpt), ['db:5432:app:app:Pg-******']);
  t.deepEqual(scan('/root/.kube/config', 'users:\n- name: admin\n  user:\n    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.payload.sig\n').map((h) => [h.kind, h.line]), [['kube-credential', 4]]);
});

test('configuration files report password-like keys with literal values, not comments or placeholders', (t) => {
  const yml = ['db:', '  user: app', '  password: "Tr0ub4dor&3"', '  # password: old-one', '  secret: ${SECRET}', 'smtp:', '  password: changeme'].join('\n');
  t.deepEqual(scan('/app/config/application.yml', yml), [
    { kind: 'config-password', path: '/app/config/application.yml', line: 3, excerpt: 'password=Tr0********' },
    { kind: 'config-password', path: '/app/config/application.yml', line: 7, excerpt: 'password=ch******' },
  ]);
  t.deepEqual(scan('/app/settings.xml', '<!--\n<password>commented-out</password>\n-->\n<server><password>{{ .Values.pw }}</password></server>\n'), []);
  t.deepEqual(scan('/etc/nsswitch.conf', 'passwd: files\n'), [], 'the passwd database is not a password');
});

test('a keystore is reported by name, even when too big to read', (t) => {
  t.deepEqual(scanFile('/app/certs/server.p12', undefined), [{ kind: 'keystore', path: '/app/certs/server.p12' }]);
});

test('through the layer reader: binaries are let go, keystores kept, hits carry the scanner id', async (t) => {
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]), Buffer.from(`${GITHUB_TOKEN}`)]);
  const p12 = Buffer.concat([Buffer.from([0x30, 0x82, 0x0a, 0, 0]), Buffer.from('binary')]);
  const tar = await layerTar([file('app/bin/tool', elf), file('app/keys/client.pfx', p12), file('app/.env', `GITHUB_TOKEN=${GITHUB_TOKEN}\n`)]);
  const layer = await readLayer(chunked(tar, 100), request);
  t.deepEqual(layer.hits, [
    { scanner: 'secrets', kind: 'keystore', path: '/app/keys/client.pfx' },
    { scanner: 'secrets', kind: 'github-token', path: '/app/.env', line: 1, excerpt: 'ghp_********' },
  ]);
});

test('a key added in one layer and deleted in the next stays in the facts, on the layer that carries it', async (t) => {
  const lower = await readLayer(chunked(await layerTar([file('root/.ssh/id_rsa', PEM_KEY), file('app/main.py', 'print(1)\n')]), 512), request);
  const upper = await readLayer(chunked(await layerTar([whiteout('root/.ssh/id_rsa')]), 512), request);
  const facts = factsOfLayers([lower, upper]);
  t.is(facts.files.get('/root/.ssh/id_rsa'), undefined);
  t.deepEqual(facts.scanHits, [
    { scanner: 'secrets', kind: 'ssh-private-key', path: '/root/.ssh/id_rsa', line: 1, excerpt: '-----BEGIN RSA PRIVATE KEY-----', layerIndex: 0 },
  ]);
});
