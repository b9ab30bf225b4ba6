import test from 'ava';
import { joinAccounts } from '../../../src/accounts/accounts.js';
import { parseGroup } from '../../../src/accounts/group.js';
import { parseHash, parsePasswordField } from '../../../src/accounts/hashes.js';
import { numberedLines } from '../../../src/accounts/lines.js';
import { numericDef, parseLoginDefs } from '../../../src/accounts/login-defs.js';
import { pamArg, parsePam } from '../../../src/accounts/pam.js';
import { parsePasswd } from '../../../src/accounts/passwd.js';
import { parsePwquality } from '../../../src/accounts/pwquality.js';
import { parseShadow } from '../../../src/accounts/shadow.js';
import { BOOKWORM_COMMON_PASSWORD, BOOKWORM_LOGIN_DEFS, BOOKWORM_PASSWD, BOOKWORM_SHADOW } from './debian-bookworm.js';
import { DES_TEST, MD5_DOCKER, SHA512_200K_ROUNDS, SHA512_TOOR, YESCRYPT_ROOT } from './image.js';

test('numberedLines keeps 1-based numbers through CRLF, lone CR and a missing final newline', (t) => {
  t.deepEqual(numberedLines('a\r\nb\rc\n\nd'), [
    { line: 1, text: 'a' },
    { line: 2, text: 'b' },
    { line: 3, text: 'c' },
    { line: 4, text: '' },
    { line: 5, text: 'd' },
  ]);
});

test('parsePasswd skips comments, blank, short, NIS and non-numeric lines but keeps line numbers', (t) => {
  const text = '# c\r\nroot:x:0:0:root:/root:/bin/bash\r\n\r\nbroken:x:1\r\n+nis::0:0:::\r\nbad:x:a:1:::/bin/sh\r\napp::1000:1000::/home/app:/bin/sh\r\n';
  const entries = parsePasswd(text);
  t.deepEqual(
    entries.map((e) => [e.line, e.name, e.password, e.uid, e.shell]),
    [
      [2, 'root', 'x', 0, '/bin/bash'],
      [7, 'app', '', 1000, '/bin/sh'],
    ],
  );
  t.deepEqual(parsePasswd(''), []);
  t.deepEqual(parsePasswd('\u0000\u0001:::::\n:::'), []);
});

test('parseShadow reads the ageing fields, leaves empty ones undefined and skips nameless lines', (t) => {
  const [root, app, ...rest] = parseShadow('root:*:19000:0:99999:7:::\n:x:1\napp:$6$a$b\n');
  t.deepEqual(root, { line: 1, name: 'root', password: '*', lastChange: 19000, minDays: 0, maxDays: 99999, warnDays: 7 });
  t.deepEqual(app, { line: 3, name: 'app', password: '$6$a$b' });
  t.deepEqual(rest, []);
});

test('parseShadow reads Debian bookworm shadow: 18 locked accounts', (t) => {
  const entries = parseShadow(BOOKWORM_SHADOW);
  t.is(entries.length, 18);
  t.true(entries.every((e) => parsePasswordField(e.password).kind === 'locked'));
});

test('parseGroup reads members and skips bad gids', (t) => {
  t.deepEqual(parseGroup('ssl-cert:x:103:postgres, app\nbad:x:-1:\nx:x\n'), [
    { line: 1, name: 'ssl-cert', password: 'x', gid: 103, members: ['postgres', 'app'] },
  ]);
});

test('parseLoginDefs takes the last definition, strips comments and quotes', (t) => {
  const defs = parseLoginDefs('PASS_MAX_DAYS 30\n# PASS_MIN_DAYS 5\nPASS_MAX_DAYS\t60 # later wins\nENV_PATH "PATH=/bin"\nPASS_MIN_LEN\n');
  t.deepEqual(numericDef(defs, 'PASS_MAX_DAYS'), { value: 60, line: 3 });
  t.is(defs.get('ENV_PATH')?.value, 'PATH=/bin');
  t.is(defs.get('PASS_MIN_DAYS'), undefined);
  t.is(defs.get('PASS_MIN_LEN'), undefined);
});

test('parseLoginDefs reads Debian bookworm login.defs at its real lines', (t) => {
  const defs = parseLoginDefs(BOOKWORM_LOGIN_DEFS);
  t.deepEqual(numericDef(defs, 'PASS_MAX_DAYS'), { value: 99999, line: 165 });
  t.deepEqual(numericDef(defs, 'PASS_MIN_DAYS'), { value: 0, line: 166 });
  t.deepEqual(numericDef(defs, 'UID_MIN'), { value: 1000, line: 172 });
  t.is(defs.get('PASS_MIN_LEN'), undefined);
});

test('parsePam reads bracketed controls, dashed types, full module paths, continuations and includes', (t) => {
  const text =
    'password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\n' +
    '-password requisite /lib64/security/pam_pwquality.so \\\n  minlen=12 retry=3 # comment\n' +
    '@include common-password\n' +
    'garbage\n';
  const lines = parsePam(text);
  t.deepEqual(
    lines.map((l) => [l.line, l.type, l.control, l.moduleName, l.args]),
    [
      [1, 'password', '[success=1 default=ignore]', 'pam_unix', ['obscure', 'yescrypt']],
      [2, 'password', 'requisite', 'pam_pwquality', ['minlen=12', 'retry=3']],
      [4, '@include', '', 'common-password', []],
    ],
  );
  t.is(pamArg(lines[1]!.args, 'minlen'), '12');
});

test('parsePam finds pam_unix on line 25 of Debian bookworm common-password', (t) => {
  const unix = parsePam(BOOKWORM_COMMON_PASSWORD).filter((l) => l.moduleName === 'pam_unix');
  t.deepEqual(unix.map((l) => [l.line, l.args]), [[25, ['obscure', 'yescrypt']]]);
});

test('parsePwquality reads `name = value`, valueless booleans and the last value', (t) => {
  const s = parsePwquality('# minlen = 9\nminlen = 10\nenforce_for_root\nminlen=12\r\n');
  t.deepEqual(s.get('minlen'), { value: '12', line: 4 });
  t.deepEqual(s.get('enforce_for_root'), { value: '', line: 3 });
});

test('parsePasswordField tells empty, lock markers, locked hashes and hashes apart', (t) => {
  t.deepEqual(parsePasswordField(''), { kind: 'empty' });
  for (const marker of ['*', '!', '!!', '!*', '*LK*', 'x', 'NP', '$6$salt$']) {
    t.is(parsePasswordField(marker).kind, 'locked', marker);
  }
  const locked = parsePasswordField(`!${SHA512_TOOR}`);
  t.is(locked.kind, 'locked-hash');
  t.is(locked.kind === 'locked-hash' ? locked.hash.scheme.id : undefined, 'sha512');
  t.is(parsePasswordField(SHA512_TOOR).kind, 'hash');
});

test('parseHash names schemes, marks DES and MD5 weak, and reads clamped rounds', (t) => {
  const ids = [DES_TEST, MD5_DOCKER, SHA512_TOOR, YESCRYPT_ROOT, '$2y$10$abcdefghijklmnopqrstuu0123456789012345678901234567890', '$gy$j9T$a$b', '$7$CU..$a$b'].map(
    (h) => parseHash(h)?.scheme.id,
  );
  t.deepEqual(ids, ['des', 'md5', 'sha512', 'yescrypt', 'bcrypt', 'gost-yescrypt', 'scrypt']);
  t.true(parseHash(DES_TEST)!.scheme.weak);
  t.true(parseHash(MD5_DOCKER)!.scheme.weak);
  t.false(parseHash(SHA512_TOOR)!.scheme.weak);
  t.is(parseHash(SHA512_200K_ROUNDS)!.rounds, 200000);
  t.is(parseHash('$6$rounds=10$salt$hash')!.rounds, 1000);
  t.is(parseHash('$6$rounds=99999999999$salt$hash')!.rounds, 999999999);
  t.is(parseHash(SHA512_TOOR)!.rounds, 5000);
  t.is(parseHash('$9$x$y'), undefined);
  t.is(parseHash('abc'), undefined);
});

test('joinAccounts takes the shadow password when passwd says x, and passwd\'s own field otherwise', (t) => {
  const passwd = parsePasswd('root:x:0:0::/root:/bin/sh\napp::1000:1000::/home/app:/bin/sh\nghost:x:1001:1001::/:/bin/sh\nroot:x:5:5::/:/bin/sh\n');
  const shadow = parseShadow(`root:${SHA512_TOOR}:1::::::\napp:*:1::::::\n`);
  const accounts = joinAccounts(passwd, shadow);
  t.deepEqual(
    accounts.map((a) => [a.passwd.name, a.source.path, a.source.line, a.password.kind]),
    [
      ['root', '/etc/shadow', 1, 'hash'],
      // pam_unix uses passwd's field unless it is `x`: the empty field wins over shadow's `*`.
      ['app', '/etc/passwd', 2, 'empty'],
      // `x` without a shadow entry verifies nothing.
      ['ghost', '/etc/passwd', 3, 'locked'],
    ],
  );
  t.is(accounts[1]!.shadow?.line, 2);
});

test('joinAccounts on Debian bookworm: every account locked', (t) => {
  const accounts = joinAccounts(parsePasswd(BOOKWORM_PASSWD), parseShadow(BOOKWORM_SHADOW));
  t.is(accounts.length, 18);
  t.true(accounts.every((a) => a.password.kind === 'locked' && a.source.path === '/etc/shadow'));
});
