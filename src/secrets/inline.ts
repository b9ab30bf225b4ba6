// Credentials written into a command line, as history steps record them:
// build arguments in scope (`|2 NAME=value NAME2=value /bin/sh -c …`, both
// builders), and the usual ways a RUN line carries a password or token.
import { maskSecret } from './mask.js';
import { isPlaceholder } from './patterns.js';

/** One credential in a command line. */
export interface InlineCredential {
  /** What it is, for messages: `curl -u user:password`. */
  what: string;
  /** The secret itself (to mask and redact, never to print). */
  secret: string;
  /** The credential as written, the secret masked. */
  excerpt: string;
}

export interface BuildArg {
  name: string;
  value: string;
}

const SHELL_START = /^(?:\/\S*\/)?(?:sh|bash|dash|ash|zsh|ksh|mksh)\s|^cmd \/S \/C|^(?:powershell|pwsh)(?:\.exe)?\s/;
const ARG_NAME = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/**
 * The build args a step recorded: `|N A=1 B=x y /bin/sh -c …` (classic) or
 * `RUN |N A=1 /bin/sh -c … # buildkit`. A value runs to the next ` NAME=`,
 * or, for the last, to the shell.
 */
export function buildArgsOf(createdBy: string): BuildArg[] {
  const text = createdBy.trim().replace(/^RUN\s+/, '');
  const head = /^\|(\d+) /.exec(text);
  if (!head) return [];
  const count = Number(head[1]);
  const args: BuildArg[] = [];
  let rest = text.slice(head[0].length);
  for (let i = 0; i < count; i++) {
    const name = ARG_NAME.exec(rest)?.[1];
    if (!name) break;
    rest = rest.slice(name.length + 1);
    // The value ends at the first space followed by the next NAME= (or the shell, for the last one).
    let end = -1;
    for (let at = rest.indexOf(' '); at >= 0; at = rest.indexOf(' ', at + 1)) {
      const after = rest.slice(at + 1);
      if (i < count - 1 ? ARG_NAME.test(after) : SHELL_START.test(after)) {
        end = at;
        break;
      }
    }
    if (end < 0) end = i < count - 1 ? rest.indexOf(' ') : rest.length;
    if (end < 0) end = rest.length;
    args.push({ name, value: rest.slice(0, end) });
    rest = rest.slice(end + 1);
  }
  return args;
}

/** A value taken from a variable or stdin is not in the history: only literals count. */
function literal(value: string): boolean {
  const v = value.replace(/^(["'])(.*)\1$/s, '$2');
  return !v.includes('$') && !isPlaceholder(v) && v !== '-';
}

interface InlinePattern {
  what: string;
  regex: RegExp;
  /** The excerpt from the match, given the masked secret. */
  excerpt(m: RegExpExecArray, masked: string): string;
  /** Group holding the secret. */
  group: number;
}

const Q = String.raw`["']?`;
// Patterns over a RUN command's text; one comment each on where the syntax is documented.
const INLINE: readonly InlinePattern[] = [
  // curl -u/--user user:password (curl(1) --user).
  { what: 'curl -u user:password', regex: new RegExp(String.raw`\bcurl\b[^|;&\n]*?\s(?:-u|--user)(?:\s+|=)${Q}([^\s"':]+):([^\s"']+)`, 'g'), group: 2, excerpt: (m, s) => `-u ${m[1]}:${s}` },
  // wget --password / --http-password / --ftp-password (wget(1)).
  { what: 'wget --password', regex: new RegExp(String.raw`\bwget\b[^|;&\n]*?\s--(?:http-|ftp-|proxy-)?password(?:\s+|=)${Q}([^\s"']+)`, 'g'), group: 1, excerpt: (_m, s) => `--password=${s}` },
  // docker login -p/--password (docker login reference; --password-stdin is the safe form).
  { what: 'docker login --password', regex: new RegExp(String.raw`\b(?:docker|podman|buildah|skopeo|helm registry)\s+login\b[^|;&\n]*?\s(?:-p|--password)(?:\s+|=)${Q}([^\s"']+)`, 'g'), group: 1, excerpt: (_m, s) => `login -p ${s}` },
  // user:password@ in a URL (RFC 3986 §3.2.1 userinfo).
  { what: 'a password in a URL', regex: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@"'$]+):([^\s/@"']+)@([^\s/"'?]+)/g, group: 3, excerpt: (m, s) => `${m[1]}${m[2]}:${s}@${m[4]}` },
  // Tokens in a URL's query (OAuth 2.0 bearer tokens in query, RFC 6750 §2.3; GitLab private_token).
  { what: 'a token in a URL', regex: /[?&]((?:access_token|private_token|auth_token|api_key|apikey|token|client_secret|password|sig))=([^&\s"'#]+)/g, group: 2, excerpt: (m, s) => `${m[1]}=${s}` },
  // Authorization headers and API-key headers (RFC 9110 §11.6.2; GitLab PRIVATE-TOKEN).
  { what: 'an Authorization header', regex: /\b(Authorization:\s*(?:Bearer|Basic|token|Token|Bot)|PRIVATE-TOKEN:|X-API-Key:|X-Auth-Token:|X-Vault-Token:)\s*([^\s"']+)/gi, group: 2, excerpt: (m, s) => `${m[1]} ${s}` },
  // npm registry auth in config (docs.npmjs.com npmrc "Auth related configuration").
  { what: 'an npm registry token', regex: /(_authToken|_auth|_password)\s*=\s*["']?([^\s"']+)/g, group: 2, excerpt: (m, s) => `${m[1]}=${s}` },
  // echo 'user:password' | chpasswd (chpasswd(8)): sets a password the history keeps.
  { what: 'a password set with chpasswd', regex: /\becho\s+(?:-e\s+)?["']?([A-Za-z0-9_.-]+):([^\s"'|]+)["']?\s*\|\s*(?:\S*\/)?chpasswd\b/g, group: 2, excerpt: (m, s) => `${m[1]}:${s} | chpasswd` },
  // sshpass -p password (sshpass(1)).
  { what: 'sshpass -p', regex: new RegExp(String.raw`\bsshpass\s+-p\s*${Q}([^\s"']+)`, 'g'), group: 1, excerpt: (_m, s) => `sshpass -p ${s}` },
  // mysql -p<password> / --password=… (mysql client options).
  { what: 'a MySQL password on the command line', regex: new RegExp(String.raw`\b(?:mysql|mysqladmin|mysqldump|mariadb)\b[^|;&\n]*?\s(?:-p(?=[^\s-])|--password=)${Q}([^\s"']+)`, 'g'), group: 1, excerpt: (_m, s) => `--password=${s}` },
];

/** Credentials written literally in a command line. */
export function inlineCredentials(command: string): InlineCredential[] {
  const out: InlineCredential[] = [];
  const seen = new Set<string>();
  for (const p of INLINE) {
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(command); m; m = p.regex.exec(command)) {
      const secret = m[p.group] ?? '';
      if (!literal(secret) || seen.has(secret)) continue;
      seen.add(secret);
      out.push({ what: p.what, secret, excerpt: p.excerpt(m, maskSecret(secret)) });
    }
  }
  return out;
}

/** `text` with each secret replaced by its mask (longest first, so no part of a longer one survives). */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of [...new Set(secrets)].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(maskSecret(s));
  }
  return out;
}
