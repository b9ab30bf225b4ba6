// The one table of what a secret looks like: well-known token formats (each
// with the literal every match contains, so a file is searched with
// Buffer.indexOf before any regex runs), the names that mark a variable as a
// credential, and what counts as a placeholder rather than a value.
// Hand-written: no maintained library scans bytes as they stream by; the
// formats are the vendors' own (links per line) and gitleaks' rule set
// (https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml).

/** A token format recognisable whatever the variable or file it sits in. */
export interface TokenPattern {
  /** The scanner's hit kind (stable: cached hits carry it). */
  kind: string;
  /** How messages name it. */
  label: string;
  /**
   * Literals one of which every match contains; searched for in bytes first.
   * Chosen to start with a byte that is rare in text: Buffer.indexOf skips to
   * the first byte with memchr, so `KIA` runs at ~10 GB/s and `npm_` at ~3;
   * needles longer than 6 bytes take a slower path. `?` matches any byte: the
   * part before it is searched for, the rest checked at each occurrence.
   */
  needles: string[];
  /** Searched for only in credential and configuration files, or next to an AWS access key ID (the needles are common words). */
  gated?: boolean;
  /** Matches the token; group 1, when present, is the secret part to mask. Must be global. */
  regex: RegExp;
}

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  // PEM private keys, PKCS#1/#8/SEC1/OpenSSH/encrypted (RFC 7468 §10-11; openssh PROTOCOL.key).
  { kind: 'private-key', label: 'a PEM private key', needles: ['VATE K'], regex: /-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|SSH2) )?PRIVATE KEY-----/g },
  // OpenPGP secret key block (RFC 4880 §6.2 armor header).
  { kind: 'pgp-private-key', label: 'a PGP private key block', needles: ['VATE K'], regex: /-----BEGIN PGP PRIVATE KEY BLOCK-----/g },
  // AWS access key IDs: AKIA long-term, ASIA temporary (IAM User Guide, "Understanding unique ID prefixes").
  { kind: 'aws-access-key-id', label: 'an AWS access key ID', needles: ['KIA', 'SIA'], regex: /\b((?:AKIA|ASIA)[A-Z2-7]{16})\b/g },
  // AWS secret access key: 40 base64 chars next to its name (AWS CLI config file format).
  { kind: 'aws-secret-key', label: 'an AWS secret access key', needles: ['ecret_access_key', 'ECRET_ACCESS_KEY', 'ecretAccessKey'], gated: true, regex: /(?:aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secretAccessKey)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/g },
  // GitHub tokens ghp_/gho_/ghu_/ghs_/ghr_ (docs.github.com "About authentication", token formats) and fine-grained github_pat_.
  { kind: 'github-token', label: 'a GitHub token', needles: ['gh?_', 'b_pat_'], regex: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,255})\b/g },
  // GitLab personal/project/group access tokens (docs.gitlab.com "Token prefixes").
  { kind: 'gitlab-token', label: 'a GitLab access token', needles: ['glpat'], regex: /\b(glpat-[A-Za-z0-9_-]{20,})/g },
  // npm access tokens (docs.npmjs.com "About access tokens": npm_ + 36).
  { kind: 'npm-token', label: 'an npm access token', needles: ['pm_'], regex: /\b(npm_[A-Za-z0-9]{36})\b/g },
  // PyPI API tokens: macaroons with the pypi.org location (pypi.org/help/#apitoken).
  { kind: 'pypi-token', label: 'a PyPI API token', needles: ['HlwaS5'], regex: /\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})/g },
  // Docker Hub personal access tokens (docs.docker.com "Personal access tokens": dckr_pat_).
  { kind: 'dockerhub-token', label: 'a Docker Hub access token', needles: ['kr_pat'], regex: /\b(dckr_pat_[A-Za-z0-9_-]{27,})/g },
  // Slack bot/user/app/refresh tokens xoxb-/xoxp-/xoxa-/xoxr-/xoxs- (api.slack.com "Token types").
  { kind: 'slack-token', label: 'a Slack token', needles: ['xox'], regex: /\b(xox[baprs]-[0-9]{6,}-[0-9A-Za-z-]{10,})/g },
  // Slack incoming webhooks (api.slack.com/messaging/webhooks).
  { kind: 'slack-webhook', label: 'a Slack webhook URL', needles: ['ks.sla'], regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/(T[A-Z0-9]{6,}\/[A-Z0-9/]{8,}[A-Za-z0-9]{16,})/g },
  // Google API keys (cloud.google.com/docs/authentication/api-keys: AIza + 35).
  { kind: 'google-api-key', label: 'a Google API key', needles: ['AIza'], regex: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g },
  // Stripe live secret and restricted keys (docs.stripe.com/keys).
  { kind: 'stripe-key', label: 'a Stripe live secret key', needles: ['k_live'], regex: /\b((?:sk|rk)_live_[0-9A-Za-z]{24,})/g },
  // SendGrid API keys SG.<22>.<43> (docs.sendgrid.com "API keys").
  { kind: 'sendgrid-key', label: 'a SendGrid API key', needles: ['SG.'], regex: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g },
  // OpenAI API keys embed "T3BlbkFJ" (base64 of "OpenAI") (platform.openai.com API keys).
  { kind: 'openai-key', label: 'an OpenAI API key', needles: ['BlbkFJ'], regex: /\b(sk-(?:[a-z]+-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,})/g },
  // Anthropic API keys sk-ant-api03-… (docs.anthropic.com API keys).
  { kind: 'anthropic-key', label: 'an Anthropic API key', needles: ['k-ant-'], regex: /\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,})/g },
  // Azure Storage account keys in connection strings (learn.microsoft.com "Configure Azure Storage connection strings").
  { kind: 'azure-storage-key', label: 'an Azure Storage account key', needles: ['Key='], regex: /AccountKey=([A-Za-z0-9+/]{80,}={0,2})/g },
  // Google Cloud service account key files (cloud.google.com/iam/docs/keys-create-delete: "type": "service_account" with "private_key").
  { kind: 'gcp-service-account', label: 'a Google Cloud service account key', needles: ['key_id'], regex: /"private_key_id"\s*:\s*"([0-9a-f]{40})"/g },
];

/** Policies by hit kind (the files rule reports a hit under its kind's policy). */
export const KIND_POLICY: Readonly<Record<string, string>> = {
  'private-key': 'DSP10107',
  'pgp-private-key': 'DSP10108',
  'ssh-private-key': 'DSP10109',
  'aws-access-key-id': 'DSP10110',
  'aws-secret-key': 'DSP10110',
  'gcp-service-account': 'DSP10111',
  'azure-storage-key': 'DSP10111',
  'github-token': 'DSP10112',
  'gitlab-token': 'DSP10112',
  'npm-token': 'DSP10112',
  'pypi-token': 'DSP10112',
  'dockerhub-token': 'DSP10112',
  'slack-token': 'DSP10113',
  'slack-webhook': 'DSP10113',
  'google-api-key': 'DSP10113',
  'stripe-key': 'DSP10113',
  'sendgrid-key': 'DSP10113',
  'openai-key': 'DSP10113',
  'anthropic-key': 'DSP10113',
  'npmrc-auth': 'DSP10114',
  'pypirc-password': 'DSP10114',
  'docker-auth': 'DSP10114',
  'git-credentials': 'DSP10115',
  'netrc-password': 'DSP10115',
  'pgpass-password': 'DSP10115',
  'mysql-password': 'DSP10115',
  'dotenv-secret': 'DSP10116',
  keystore: 'DSP10117',
  'config-password': 'DSP10118',
  'kube-credential': 'DSP10119',
  'k8s-token': 'DSP10119',
};

/** How messages name a hit kind that is not a token pattern. */
export const KIND_LABEL: Readonly<Record<string, string>> = {
  'ssh-private-key': 'an SSH private key',
  'npmrc-auth': 'an npm registry credential',
  'pypirc-password': 'a PyPI upload password',
  'docker-auth': 'a registry login (auths entry)',
  'git-credentials': 'a stored Git credential',
  'netrc-password': 'a .netrc password',
  'pgpass-password': 'a PostgreSQL password',
  'mysql-password': 'a MySQL client password',
  'dotenv-secret': 'a secret in a .env file',
  keystore: 'a Java/PKCS#12 keystore',
  'config-password': 'a hard-coded password or secret',
  'kube-credential': 'a Kubernetes credential',
  'k8s-token': 'a Kubernetes service account token',
  ...Object.fromEntries(TOKEN_PATTERNS.map((p) => [p.kind, p.label])),
};

/** Tokens found in a string (config values, history lines): kind, the match and its secret part. */
export interface TokenMatch {
  kind: string;
  label: string;
  /** The secret (group 1, or the whole match). */
  secret: string;
  index: number;
}

/** Every well-known token in `text`, skipping documented examples and dummies. */
export function findTokens(text: string): TokenMatch[] {
  const out: TokenMatch[] = [];
  for (const p of TOKEN_PATTERNS) {
    if (!p.needles.some((n) => text.includes(n.split('?')[0]!))) continue;
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(text); m; m = p.regex.exec(text)) {
      const secret = m[1] ?? m[0];
      if (p.kind !== 'private-key' && p.kind !== 'pgp-private-key' && isDummy(secret)) continue;
      out.push({ kind: p.kind, label: p.label, secret, index: m.index });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

// Names that make a variable a credential: PASSWORD, DB_PASS, API_KEY, GITHUB_TOKEN, …
const SECRET_NAME = /(?:PASSWORD|PASSWD|(?:^|_)PASS(?:$|_)|(?:^|_)PWD$|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|CREDENTIALS?|(?:^|_)AUTH$|CLIENT_?SECRET|SIGNING_?KEY|ENCRYPTION_?KEY|MASTER_?KEY|CONNECTION_?STRING|DSN$)/;
// …unless they name something about the credential rather than the credential itself.
const NOT_SECRET_NAME = /(?:_FILE|_PATH|_DIR|_LOCATION|_URL|_URI|_ENDPOINT|_HOST|_PORT|_USER|_USERNAME|_NAME|_ID|_TYPE|_LENGTH|_LEN|_SIZE|_TTL|_TIMEOUT|_EXPIRY|_EXPIRES?|_EXPIRATION|_LIFETIME|_DURATION|_ENABLED|_REQUIRED|_HEADER|_ALGORITHM|_ALG|_REGION|_VERSION|_POLICY|_PROVIDER|_MODE|_PREFIX|_FIELD|_KEY_ID|_ROTATION|_CMD|_COMMAND|_HASH_ROUNDS|_MIN|_MAX)$|^(?:PWD|OLDPWD|GPG_KEYS?|SSH_AUTH_SOCK|TOKEN_TYPE)$/;

/** True when a variable, label or key name says it holds a credential. */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase().replace(/[.-]/g, '_');
  return SECRET_NAME.test(upper) && !NOT_SECRET_NAME.test(upper);
}

const PLACEHOLDER_WORDS = new Set([
  'none', 'null', 'nil', 'false', 'true', 'yes', 'no', 'undefined', 'empty', 'unset', 'disabled', 'enabled', 'required',
  'redacted', 'placeholder', 'dummy', 'example', 'sample', 'test', 'todo', 'tbd', 'fixme', 'secret', 'password',
  'your_password', 'your-password', 'yourpassword', 'your_token', 'your-token', 'your_api_key', 'mask', 'masked', 'hidden',
  'auto', 'random', 'generate', 'generated', 'off', 'on', 'default',
]);

/**
 * True for values that are not a credential: empty, `<…>`, `${VAR}`/`$VAR`,
 * `{{ … }}`, `%(x)s`, `xxx`/`***`, booleans and words like none/null/example,
 * file paths (PASSWORD_FILE-style `/run/secrets/x`), short numbers.
 */
export function isPlaceholder(raw: string): boolean {
  const v = raw.trim().replace(/^(["'])(.*)\1$/s, '$2').trim();
  if (v === '') return true;
  if (/^<[^>]*>$|^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|^\{\{.*\}\}$|^%\(.*\)s$|^@[^@]+@$|^#\{.*\}$|^ENC\(.*\)$/s.test(v)) return true;
  if (/^[x*._\-#?]+$/i.test(v) || /^(?:x{3,}|\*{3,})/i.test(v)) return true;
  if (PLACEHOLDER_WORDS.has(v.toLowerCase())) return true;
  if (/^(?:\/|\.\.?\/|~\/|file:)/.test(v)) return true;
  if (/^\d{1,5}$/.test(v)) return true;
  if (/^(?:your|my|enter|insert|put|replace|change)[-_ ]?(?:own[-_ ]?)?(?:secret|password|token|key|api)/i.test(v)) return true;
  return false;
}

/** Documented examples (`AKIAIOSFODNN7EXAMPLE`) and dummies (`ghp_xxxx…`, few distinct characters). */
export function isDummy(secret: string): boolean {
  if (/example|sample|dummy|fake|placeholder|xxxxxx|000000|123456789|abcdefgh/i.test(secret)) return true;
  const body = secret.replace(/^[a-z]+[_-]/i, '');
  return new Set(body).size < 8;
}

/** Test, fixture and example trees, where keys are usually throwaway samples. */
const FIXTURE_SEGMENT = /\/(?:tests?|testdata|test[-_]?data|fixtures?|__tests__|__fixtures__|spec|specs|examples?|samples?|demo|testing|mocks?)\//i;

export function inFixtureTree(path: string): boolean {
  return FIXTURE_SEGMENT.test(path);
}

/** Installed third-party packages: a key there is the vendor's (often a public client key), not the application's. */
const PACKAGE_TREE = /\/(?:node_modules|site-packages|dist-packages|vendor|gems)\//;

export function inPackageTree(path: string): boolean {
  return PACKAGE_TREE.test(path);
}
