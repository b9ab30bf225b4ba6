// The `secrets` file scanner: looks inside every wanted file of every layer,
// as the layer tar streams by, for private keys, well-known tokens and the
// credential files of common tools. It runs on every tar entry of images of
// several GiB, so:
//   - wants() decides from the path alone in one pass over it: distribution
//     trees (docs, locales, headers, arch libs, package databases, language
//     stdlibs) and binary/media extensions are never read;
//   - text files over 256 KiB are not read; credential files known by name
//     always are (they are small);
//   - sniff() drops binaries (a NUL in the first 512 bytes);
//   - scan() searches the bytes with Buffer.indexOf for the literal each
//     pattern contains, and runs regexes only on a window around a hit.
// Measured (Node 20, one core, files in page cache, I/O excluded) over /usr,
// /etc and a node_modules of a Debian build box: 125k files, 6.1 GB; wants()
// ~0.2-0.4 µs per entry and keeps 43k (329 MB of text); scan() ~470 MB/s of
// text, ~19 µs per scanned file; together ~6 µs per tar entry on average,
// ~8 GB/s of image bytes. Token search is ~18 Buffer.indexOf passes, which is
// the floor of this design: a new pattern should reuse a needle or pick one
// that starts with a rare byte.
import type { FileScanner, ScanHit } from '../image/file-scanner.js';
import { maskSecret } from './mask.js';
import { TOKEN_PATTERNS, isDummy, isPlaceholder, isSecretName } from './patterns.js';

type Hit = Omit<ScanHit, 'scanner'>;

/** Largest text file read; bigger ones are bundles or data, not configuration. */
export const MAX_TEXT_BYTES = 256 * 1024;

/** What a file is, by name: decides which handler reads it besides the token search. */
export type FileClass =
  | 'npmrc' | 'pypirc' | 'docker-config' | 'git-credentials' | 'netrc' | 'pgpass' | 'mycnf'
  | 'dotenv' | 'ssh-key' | 'keystore' | 'kubeconfig' | 'k8s-token' | 'config' | 'text';

// Directories whose contents the distribution owns and which are large: never read.
// Keyed by the path's first segments so wants() does one Set lookup per level.
const SKIP_USR_SHARE = new Set([
  'doc', 'man', 'info', 'locale', 'i18n', 'zoneinfo', 'terminfo', 'perl', 'perl5', 'mime', 'icons', 'fonts', 'X11',
  'common-licenses', 'ca-certificates', 'gtk-doc', 'help', 'lintian', 'bash-completion', 'vim', 'emacs', 'pixmaps',
  'themes', 'keyrings', 'gnupg', 'misc', 'javascript', 'texmf', 'texlive', 'poppler', 'ghostscript', 'sgml', 'xml',
  'gir-1.0', 'applications', 'zsh', 'fish', 'cmake', 'aclocal', 'pkgconfig', 'gcc', 'gdb', 'glib-2.0', 'hwdata',
  'mysql', 'postgresql-common', 'python-wheels', 'dpkg', 'debconf', 'base-files', 'menu', 'groff', 'tcltk', 'util-linux',
]);
const SKIP_USR = new Set(['include', 'src']);
const SKIP_VAR_LIB = new Set(['dpkg', 'apt', 'rpm', 'yum', 'dnf', 'pacman', 'apk', 'ucf', 'systemd']);
const SKIP_VAR_CACHE = new Set(['apt', 'yum', 'dnf', 'apk', 'man', 'fontconfig', 'ldconfig', 'pacman']);
const SKIP_TOP = new Set(['proc', 'sys', 'dev']);
// /usr/lib/<x> and /lib/<x> (and /usr/local/lib/<x>) trees: arch libraries, kernel modules, firmware, toolchains.
const SKIP_LIB = new Set([
  'x86_64-linux-gnu', 'aarch64-linux-gnu', 'arm-linux-gnueabihf', 'i386-linux-gnu', 'powerpc64le-linux-gnu',
  's390x-linux-gnu', 'modules', 'firmware', 'gcc', 'gcc-cross', 'jvm', 'llvm', 'debug', 'locale', 'udev', 'systemd',
  'apk', 'sysimage', 'terminfo', 'perl', 'perl5', 'ruby', 'dpkg', 'apt', 'rpm', 'os-release', 'git-core', 'libreoffice',
]);

// Extensions of binary, media or archive files (a secret in them is not text this scanner can read).
const SKIP_EXT = new Set([
  'so', 'a', 'o', 'ko', 'la', 'lo', 'dll', 'exe', 'dylib', 'node', 'wasm', 'bin', 'class', 'jar', 'war', 'ear', 'pyc', 'pyo',
  'pyd', 'mo', 'gmo', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'ico', 'icns', 'bmp', 'tif', 'tiff', 'svg', 'svgz', 'psd', 'woff',
  'woff2', 'ttf', 'otf', 'eot', 'pfb', 'afm', 'gz', 'tgz', 'xz', 'txz', 'bz2', 'tbz2', 'zst', 'lz4', 'lzma', 'zip', 'whl',
  'egg', 'rar', '7z', 'tar', 'deb', 'rpm', 'apk', 'iso', 'img', 'qcow2', 'mp3', 'mp4', 'm4a', 'ogg', 'oga', 'wav', 'flac',
  'avi', 'mov', 'mkv', 'webm', 'pdf', 'ps', 'eps', 'dvi', 'db', 'sqlite', 'sqlite3', 'mdb', 'map', 'md', 'markdown', 'rst',
  'adoc', 'h', 'hpp', 'hh', 'c', 'cc', 'cpp', 'cxx', 'm4', 'po', 'pot', 'css', 'scss', 'less', 'snap', 'lock',
  'flow', 'hbs', 'dat', 'pak', 'icu', 'nls', 'cat', 'typed', 'pub', 'der', 'csr', 'crl', 'sig', 'sum', 'sha256', 'sha512', 'md5',
]);
const KEYSTORE_EXT = new Set(['jks', 'keystore', 'p12', 'pfx', 'bcfks', 'jceks']);
const CONFIG_EXT = new Set(['properties', 'yml', 'yaml', 'toml', 'ini', 'conf', 'cfg', 'cnf', 'xml', 'env', 'config']);
const SSH_KEYS = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk', 'identity']);
const DOTENV_NOT = /\.(?:example|sample|template|dist|tmpl|tpl|defaults?|schema|test|ci)$/;

/** The file's class from its path (name-based credential files first). */
export function classify(path: string): FileClass {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  switch (name) {
    case '.npmrc': case 'npmrc': return 'npmrc';
    case '.pypirc': return 'pypirc';
    case '.git-credentials': return 'git-credentials';
    case '.netrc': case '_netrc': return 'netrc';
    case '.pgpass': return 'pgpass';
    case '.my.cnf': return 'mycnf';
    case '.dockercfg': return 'docker-config';
    case 'kubeconfig': return 'kubeconfig';
    case 'config.json': if (path.endsWith('/.docker/config.json')) return 'docker-config'; break;
    case 'config': if (path.endsWith('/.kube/config')) return 'kubeconfig'; break;
    case 'token': if (path.endsWith('/secrets/kubernetes.io/serviceaccount/token')) return 'k8s-token'; break;
    case 'credentials': if (path.endsWith('/.aws/credentials')) return 'config'; break;
  }
  if (SSH_KEYS.has(name)) return 'ssh-key';
  if (name === '.env' || (name.startsWith('.env.') && !DOTENV_NOT.test(name))) return 'dotenv';
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const ext = name.slice(dot + 1).toLowerCase();
    if (KEYSTORE_EXT.has(ext)) return 'keystore';
    if (ext === 'kubeconfig') return 'kubeconfig';
    if (CONFIG_EXT.has(ext)) return 'config';
  }
  return 'text';
}

/** Second-level directory of `path` after `prefix` (`/usr/share/doc/x` after `/usr/share/` → `doc`). */
function segmentAfter(path: string, from: number): string {
  const end = path.indexOf('/', from);
  return end < 0 ? '' : path.slice(from, end); // a file directly in the directory has no segment
}

/** True for paths under trees the scanner never reads (distribution-owned, huge, or virtual). */
export function skippedTree(path: string): boolean {
  const top = segmentAfter(path, 1);
  if (SKIP_TOP.has(top)) return true;
  if (top === 'usr') {
    const second = segmentAfter(path, 5);
    if (second === 'share') return SKIP_USR_SHARE.has(segmentAfter(path, 11));
    if (SKIP_USR.has(second)) return true;
    if (second === 'lib' || second === 'lib64' || second === 'libexec') return skippedLib(path, 5 + second.length + 1);
    if (second === 'local') {
      const third = segmentAfter(path, 11);
      if (third === 'include' || third === 'go' || third === 'share' && SKIP_USR_SHARE.has(segmentAfter(path, 17))) return true;
      if (third === 'lib' || third === 'libexec') return skippedLib(path, 11 + third.length + 1);
    }
    return false;
  }
  if (top === 'lib' || top === 'lib64') return skippedLib(path, top.length + 2);
  if (top === 'var') {
    const second = segmentAfter(path, 5);
    if (second === 'lib') return SKIP_VAR_LIB.has(segmentAfter(path, 9));
    if (second === 'cache') return SKIP_VAR_CACHE.has(segmentAfter(path, 11));
    return second === 'log';
  }
  if (top === 'etc') {
    const second = segmentAfter(path, 5);
    return second === 'ssl' && path.startsWith('/etc/ssl/certs/') || second === 'ca-certificates' || second === 'pki' && path.startsWith('/etc/pki/ca-trust/');
  }
  return false;
}

/** Under a lib directory (its children start at `from`): arch dirs, toolchains, and language stdlibs except their site-packages. */
function skippedLib(path: string, from: number): boolean {
  const dir = segmentAfter(path, from);
  if (SKIP_LIB.has(dir) || dir.startsWith('llvm-') || dir.startsWith('gcc-')) return true;
  if (dir.startsWith('python') || dir.startsWith('go-') || dir === 'go') {
    // The stdlib (with its test keys) is the distribution's; installed packages are the application's.
    return !path.includes('-packages/', from + dir.length);
  }
  return false;
}

/** The lower-case extension of the name after `slash` (`libc.so.6` → `so`: version numbers are skipped), or ''. */
function extensionOf(path: string, slash: number): string {
  let end = path.length;
  for (;;) {
    const dot = path.lastIndexOf('.', end - 1);
    if (dot <= slash + 1) return '';
    let numeric = end > dot + 1;
    for (let i = dot + 1; i < end && numeric; i++) {
      const c = path.charCodeAt(i);
      numeric = c >= 48 && c <= 57;
    }
    if (!numeric) return path.slice(dot + 1, end).toLowerCase();
    end = dot;
  }
}

/** The cheap decision first: the tree, then the extension, then (for big files) the name. */
export function wantsPath(path: string, size: number): boolean {
  if (size === 0 || skippedTree(path)) return false;
  if (SKIP_EXT.has(extensionOf(path, path.lastIndexOf('/')))) return false;
  // Over the cap only credential files known by name are wanted (judged by name, or read if the scanner's cap allows).
  return size <= MAX_TEXT_BYTES || classify(path) === 'keystore';
}

/** Binary heads (a NUL byte) are let go, except keystores, which are judged by name. */
export function sniffHead(head: Buffer, path: string): boolean {
  if (head.indexOf(0) < 0) return true;
  return classify(path) === 'keystore';
}

// Needle buffers, built once.
interface Needle {
  /** What Buffer.indexOf looks for (the needle up to its first `?`). */
  needle: Buffer;
  /** Bytes checked after it: [offset from the occurrence, byte]. */
  then: Array<[number, number]>;
  patterns: number[];
  gated: boolean;
}
const NEEDLES: Needle[] = (() => {
  const byNeedle = new Map<string, number[]>();
  TOKEN_PATTERNS.forEach((p, i) => p.needles.forEach((n) => byNeedle.set(n, [...(byNeedle.get(n) ?? []), i])));
  return [...byNeedle].map(([n, patterns]) => {
    const wild = n.indexOf('?');
    const then: Array<[number, number]> = [];
    if (wild >= 0) for (let i = wild + 1; i < n.length; i++) if (n[i] !== '?') then.push([i, n.charCodeAt(i)]);
    return {
      needle: Buffer.from(wild < 0 ? n : n.slice(0, wild), 'latin1'),
      then,
      patterns,
      gated: patterns.every((i) => TOKEN_PATTERNS[i]!.gated === true),
    };
  });
})();
const NEWLINE = 0x0a;
/** Bytes either side of a needle that the regexes see (minified files have kilobyte-long lines). */
const WINDOW = 512;

/** Counts line numbers incrementally as hits come in offset order. */
class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly bytes: Buffer) {}
  at(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    for (let i = this.bytes.indexOf(NEWLINE, this.offset); i >= 0 && i < offset; i = this.bytes.indexOf(NEWLINE, i + 1)) this.line++;
    this.offset = offset;
    return this.line;
  }
}

/** The line containing `offset` (bounded to WINDOW bytes either side), as latin1 text, and where it starts. */
function lineAround(bytes: Buffer, offset: number): { text: string; start: number } {
  const floor = Math.max(0, offset - WINDOW);
  const before = bytes.lastIndexOf(NEWLINE, offset);
  const start = before < floor ? floor : before + 1;
  const ceiling = Math.min(bytes.length, offset + WINDOW);
  const after = bytes.indexOf(NEWLINE, offset);
  const end = after < 0 || after > ceiling ? ceiling : after;
  return { text: bytes.toString('latin1', start, end), start };
}

/** Hits by line: at most one per line, the more specific kind winning. */
class Hits {
  private readonly byLine = new Map<number, Hit>();
  constructor(private readonly path: string) {}
  add(kind: string, line: number, excerpt?: string): void {
    if (this.byLine.has(line)) return;
    const hit: Hit = { kind, path: this.path, line };
    if (excerpt !== undefined) hit.excerpt = excerpt;
    this.byLine.set(line, hit);
  }
  has(line: number): boolean {
    return this.byLine.has(line);
  }
  list(): Hit[] {
    return [...this.byLine.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
}

/** `name = v***` with the value masked; the name is kept, it says what the secret is. */
function maskedAssignment(name: string, sep: string, value: string): string {
  return `${name}${sep}${maskSecret(value)}`;
}

/** True when base64 (or an encrypted key's Proc-Type header) follows a PEM header, across a real or escaped newline. */
function keyBodyFollows(bytes: Buffer, from: number): boolean {
  const after = bytes.toString('latin1', from, Math.min(bytes.length, from + 160));
  return /^(?:\s|\\[rn]|["',+])*(?:Proc-Type:|Version:|Comment:|[A-Za-z0-9+/]{32})/.test(after);
}

/** Well-known tokens and private keys anywhere in the text. */
function searchTokens(bytes: Buffer, lines: LineCounter, hits: Hits, sshKey: boolean, credentialFile: boolean): void {
  let awsKeyId = false;
  for (const { needle, then, patterns, gated } of NEEDLES) {
    if (gated && !credentialFile && !awsKeyId) continue;
    let at = bytes.indexOf(needle);
    while (at >= 0) {
      if (then.length > 0 && !then.every(([offset, byte]) => bytes[at + offset] === byte)) {
        at = bytes.indexOf(needle, at + 1);
        continue;
      }
      const { text, start } = lineAround(bytes, at);
      const line = lines.at(at);
      for (const i of patterns) {
        const p = TOKEN_PATTERNS[i]!;
        p.regex.lastIndex = 0;
        const m = p.regex.exec(text);
        if (!m) continue;
        if (p.kind === 'private-key' || p.kind === 'pgp-private-key') {
          // Code that names the marker (parsers, tests of them) is not a key: a key has a body.
          if (!keyBodyFollows(bytes, start + m.index + m[0].length)) continue;
          // The armor header is not secret; the body under it is.
          hits.add(sshKey && p.kind === 'private-key' ? 'ssh-private-key' : p.kind, line, m[0]);
          break;
        }
        const secret = m[1] ?? m[0];
        if (isDummy(secret)) continue;
        if (p.kind === 'aws-access-key-id') awsKeyId = true;
        hits.add(p.kind, line, m[0].replace(secret, maskSecret(secret)));
        break;
      }
      at = bytes.indexOf(needle, Math.max(start + text.length, at + needle.length));
    }
  }
}

/** `KEY=value` / `key: value` / `key = value` per line, for the name-driven handlers. */
const ASSIGNMENT = /^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*([:=]|\s(?=\S))\s*(.*?)\s*$/;

function eachLine(bytes: Buffer, visit: (text: string, line: number) => void): void {
  const text = bytes.toString('latin1', 0, bytes.length);
  let line = 1;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    visit(text.slice(start, end < 0 ? text.length : end).replace(/\r$/, ''), line);
    if (end < 0) break;
    start = end + 1;
    line++;
  }
}

function unquote(value: string): string {
  const v = value.replace(/\s+#.*$/, '');
  return /^(["']).*\1$/s.test(v) ? v.slice(1, -1) : v;
}

function scanDotenv(bytes: Buffer, hits: Hits): void {
  eachLine(bytes, (text, line) => {
    if (hits.has(line) || /^\s*#/.test(text)) return;
    const m = ASSIGNMENT.exec(text);
    if (!m || m[2] !== '=') return;
    const [, name = '', , raw = ''] = m;
    const value = unquote(raw);
    if (isSecretName(name) && !isPlaceholder(value)) hits.add('dotenv-secret', line, maskedAssignment(name, '=', value));
  });
}

// Keys that carry a credential in the named credential files.
const NPMRC_KEY = /(?:^|:)(_authToken|_auth|_password)\s*=\s*(.+)$/;
const KUBE_KEY = /^\s*-?\s*(token|client-key-data|password|auth-provider-token|id-token|refresh-token)\s*:\s*(.+)$/;

function scanNamedFile(cls: FileClass, bytes: Buffer, hits: Hits): void {
  switch (cls) {
    case 'dotenv':
      return scanDotenv(bytes, hits);
    case 'npmrc':
      return eachLine(bytes, (text, line) => {
        const m = NPMRC_KEY.exec(text.trim());
        const value = m ? unquote(m[2]!.trim()) : '';
        if (m && !isPlaceholder(value)) hits.add('npmrc-auth', line, maskedAssignment(m[1]!, '=', value));
      });
    case 'pypirc':
      return eachLine(bytes, (text, line) => {
        const m = /^\s*password\s*[=:]\s*(.+)$/.exec(text);
        const value = m ? unquote(m[1]!.trim()) : '';
        if (m && !isPlaceholder(value)) hits.add('pypirc-password', line, maskedAssignment('password', ' = ', value));
      });
    case 'docker-config':
      return eachLine(bytes, (text, line) => {
        const m = /"(auth|identitytoken|password)"\s*:\s*"([^"]+)"/.exec(text);
        if (m && !isPlaceholder(m[2]!)) hits.add('docker-auth', line, `"${m[1]}": "${maskSecret(m[2]!)}"`);
      });
    case 'git-credentials':
      return eachLine(bytes, (text, line) => {
        const m = /^\s*([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^@/\s]+)@(\S+)$/.exec(text);
        if (m && !isPlaceholder(m[3]!)) hits.add('git-credentials', line, `${m[1]}${m[2]}:${maskSecret(m[3]!)}@${m[4]}`);
      });
    case 'netrc':
      return eachLine(bytes, (text, line) => {
        const m = /(?:^|\s)password\s+(\S+)/.exec(text);
        if (m && !isPlaceholder(m[1]!)) hits.add('netrc-password', line, `password ${maskSecret(m[1]!)}`);
      });
    case 'pgpass':
      return eachLine(bytes, (text, line) => {
        if (text.startsWith('#')) return;
        const fields = text.split(/(?<!\\):/);
        const password = fields.slice(4).join(':');
        if (fields.length >= 5 && !isPlaceholder(password)) hits.add('pgpass-password', line, `${fields.slice(0, 4).join(':')}:${maskSecret(password)}`);
      });
    case 'mycnf':
      return eachLine(bytes, (text, line) => {
        const m = /^\s*password\s*=\s*(.+)$/.exec(text);
        const value = m ? unquote(m[1]!.trim()) : '';
        if (m && !isPlaceholder(value)) hits.add('mysql-password', line, maskedAssignment('password', '=', value));
      });
    case 'kubeconfig':
      return eachLine(bytes, (text, line) => {
        const m = KUBE_KEY.exec(text);
        const value = m ? unquote(m[2]!.trim()) : '';
        if (m && !isPlaceholder(value)) hits.add('kube-credential', line, `${m[1]}: ${maskSecret(value)}`);
      });
    case 'k8s-token': {
      const token = bytes.toString('latin1', 0, Math.min(bytes.length, 4096)).trim();
      if (token.length >= 20) hits.add('k8s-token', 1, maskSecret(token));
      return;
    }
    default:
      return;
  }
}

// Keys that hold a password or secret in configuration files, and the literals to look for first.
const CONFIG_NEEDLES = ['password', 'PASSWORD', 'Password', 'passwd', 'secret', 'SECRET', 'Secret', 'api_key', 'apiKey', 'API_KEY', 'token', 'TOKEN', 'Token'].map((s) => Buffer.from(s, 'latin1'));
// key = value, key: value, key="value", <key>value</key>, key="value" as an XML attribute.
const CONFIG_LINE = /(?:^|[\s{,;<"'])["']?([A-Za-z0-9_.-]*(?:password|passwd|secret|api[_-]?key|apikey|token)[A-Za-z0-9_.-]*)["']?\s*(?:[:=]|>)\s*(?:"([^"]*)"|'([^']*)'|([^\s<"',;#]+))/i;

// Distribution configs whose stock text has password-like sample lines (openssl's CMP demo `pass:insta`, nsswitch's passwd database).
const STOCK_CONFIGS = new Set(['/etc/ssl/openssl.cnf', '/usr/lib/ssl/openssl.cnf', '/etc/pki/tls/openssl.cnf', '/etc/nsswitch.conf']);
const XML_COMMENT_OPEN = Buffer.from('<!--');
const XML_COMMENT_CLOSE = Buffer.from('-->');

/** True when `offset` lies inside an XML comment (`<!-- … -->` may span lines). */
function inXmlComment(bytes: Buffer, offset: number): boolean {
  const open = bytes.lastIndexOf(XML_COMMENT_OPEN, offset);
  return open >= 0 && bytes.lastIndexOf(XML_COMMENT_CLOSE, offset) < open;
}

function scanConfig(path: string, bytes: Buffer, lines: LineCounter, hits: Hits): void {
  if (STOCK_CONFIGS.has(path) || path.endsWith('/nsswitch.conf')) return;
  const xml = path.endsWith('.xml');
  for (const needle of CONFIG_NEEDLES) {
    let at = bytes.indexOf(needle);
    while (at >= 0) {
      const { text, start } = lineAround(bytes, at);
      const line = lines.at(at);
      if (!hits.has(line) && !/^\s*(?:#|;|\/\/|<!--|\*)/.test(text) && !(xml && inXmlComment(bytes, at))) {
        const m = CONFIG_LINE.exec(text);
        const name = m?.[1] ?? '';
        const value = m ? (m[2] ?? m[3] ?? m[4] ?? '') : '';
        if (m && isSecretName(name) && name.toLowerCase() !== 'passwd' && !isPlaceholder(value) && value.length >= 4 && !isSecretName(value) && !/[{}()]|%s/.test(value)) {
          hits.add('config-password', line, maskedAssignment(name, '=', value));
        }
      }
      at = bytes.indexOf(needle, Math.max(start + text.length, at + needle.length));
    }
  }
}

/** The hits of one file (`bytes` undefined when it was over the size cap: judged by name). */
export function scanFile(path: string, bytes: Buffer | undefined): Hit[] {
  const cls = classify(path);
  if (cls === 'keystore') return [{ kind: 'keystore', path }];
  if (!bytes) return [];
  const hits = new Hits(path);
  const lines = new LineCounter(bytes);
  searchTokens(bytes, lines, hits, cls === 'ssh-key' || path.includes('/.ssh/'), cls !== 'text');
  if (cls === 'config' && !path.includes('/node_modules/')) scanConfig(path, bytes, lines, hits);
  else if (cls !== 'text' && cls !== 'ssh-key' && cls !== 'config') scanNamedFile(cls, bytes, hits);
  return hits.list();
}

export const secretsScanner: FileScanner = {
  id: 'secrets',
  version: 1,
  maxBytes: MAX_TEXT_BYTES,
  wants: wantsPath,
  sniff: sniffHead,
  scan: scanFile,
};


