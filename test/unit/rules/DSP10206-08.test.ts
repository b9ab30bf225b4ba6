import test from 'ava';
import { encrypt } from 'unixcrypt';
import { guessesFor } from '../../../src/accounts/crack.js';
import { findingsOf } from '../helpers/facts.js';
import {
  BCRYPT_SECRET,
  DES_TEST,
  imageWith,
  MD5_DOCKER,
  passwdOf,
  SHA256_CHANGEME,
  SHA512_200K_ROUNDS,
  SHA512_STRONG,
  SHA512_TOOR,
  YESCRYPT_ROOT,
} from '../accounts/image.js';

const OF = guessesFor('root').length;

function shadowImage(lines: Record<string, string>) {
  const names = Object.keys(lines);
  return imageWith(
    { '/etc/passwd': passwdOf(...names), '/etc/shadow': names.map((n) => `${n}:${lines[n]}:19000:0:99999:7:::\n`).join('') },
    ['/etc/shadow'],
  );
}

test('DSP10206 fires on root:toor set by chpasswd, masking the password, at the RUN step that wrote /etc/shadow', (t) => {
  const [f, ...rest] = findingsOf('DSP10206', shadowImage({ root: SHA512_TOOR }));
  t.is(rest.length, 0);
  t.is(
    f!.message,
    `/etc/shadow line 1: root's password is a common password (t***, guess 3 of ${OF} in the built-in list), so anyone can log in as root; lock it (\`passwd -l root\`) or set a strong one`,
  );
  t.deepEqual(f!.location, {
    kind: 'file',
    path: '/etc/shadow',
    layer: 'sha256:0000000000000000000000000000000000000000000000000000000000000002',
    layerIndex: 1,
    historyIndex: 2,
    instruction: "RUN echo 'root:toor' | chpasswd",
  });
  t.false(f!.message.includes('toor,'), 'the password itself is never printed');
});

test('DSP10206 fires on sha256-crypt changeme, md5-crypt docker, the account name and the empty string', (t) => {
  const findings = findingsOf(
    'DSP10206',
    shadowImage({ root: SHA256_CHANGEME, app: MD5_DOCKER, deploy: encrypt('deploy', '$6$depsalt'), ci: encrypt('', '$6$cisalt') }),
  );
  t.deepEqual(findings.map((f) => f.message), [
    `/etc/shadow line 1: root's password is a common password (ch******, guess 6 of ${OF} in the built-in list), so anyone can log in as root; lock it (\`passwd -l root\`) or set a strong one`,
    `/etc/shadow line 2: app's password is a common password (do****, guess 5 of ${guessesFor('app').length} in the built-in list), so anyone can log in as app; lock it (\`passwd -l app\`) or set a strong one`,
    `/etc/shadow line 3: deploy's password is the account's own name (guess 2 of ${guessesFor('deploy').length}), so anyone can log in as deploy; lock it (\`passwd -l deploy\`) or set a strong one`,
    "/etc/shadow line 4: ci's password is the empty string, so anyone can log in as ci; lock it (`passwd -l ci`) or set a strong one",
  ]);
});

test('DSP10206 fires on a locked hash of a common password and says passwd -u would restore it', (t) => {
  const [f] = findingsOf('DSP10206', shadowImage({ root: `!${SHA512_TOOR}` }));
  t.is(
    f!.message,
    `/etc/shadow line 1: root's locked password is a common password (t***, guess 3 of ${OF} in the built-in list); \`passwd -u root\` would make it usable, and the hash ships in the image: replace the field with \`*\` (\`usermod -p '*' root\`)`,
  );
});

test('DSP10206 tries configured extraPasswords', (t) => {
  const image = shadowImage({ app: encrypt('Corp#2024', '$6$corpsalt') });
  t.deepEqual(findingsOf('DSP10206', image), []);
  const [f] = findingsOf('DSP10206', image, { DSP10206: { options: { extraPasswords: ['Corp#2024'] } } });
  t.regex(f!.message, /app's password is a common password \(Cor\*+, guess 3 of /);
});

test('DSP10206 does not fire on a strong password, nor on yescrypt/bcrypt it cannot check', (t) => {
  t.deepEqual(findingsOf('DSP10206', shadowImage({ root: SHA512_STRONG, a: YESCRYPT_ROOT, b: BCRYPT_SECRET })), []);
});

test('DSP10207 fires on DES and MD5 hashes, locked or not, and not on sha512 or yescrypt', (t) => {
  const findings = findingsOf('DSP10207', shadowImage({ root: DES_TEST, app: `!${MD5_DOCKER}`, c: SHA512_STRONG, d: YESCRYPT_ROOT }));
  t.deepEqual(findings.map((f) => f.message), [
    "/etc/shadow line 1: root's password uses DES crypt (13 characters), which is fast to crack from a copy of /etc/shadow; lock the account (`passwd -l root`) or set a new password with sha512-crypt or yescrypt",
    "/etc/shadow line 2: app's locked password hash uses MD5-crypt ($1$), which is fast to crack from a copy of /etc/shadow; replace it with `*` (`usermod -p '*' app`)",
  ]);
});

test('DSP10208 fires on usable yescrypt, bcrypt, DES and over-rounds hashes, saying why each was not checked', (t) => {
  const findings = findingsOf('DSP10208', shadowImage({ root: YESCRYPT_ROOT, b: BCRYPT_SECRET, c: DES_TEST, d: SHA512_200K_ROUNDS, e: `!${YESCRYPT_ROOT}` }));
  const tail = (n: string) => `; a container rarely needs a password: lock it (\`passwd -l ${n}\`) if nothing logs in as ${n}`;
  t.deepEqual(findings.map((f) => f.message), [
    `/etc/shadow line 1: root has a yescrypt ($y$) password that could not be checked against common passwords (no yescrypt implementation here), so it is not known to be safe${tail('root')}`,
    `/etc/shadow line 2: b has a bcrypt ($2b$) password that could not be checked against common passwords (no bcrypt implementation here), so it is not known to be safe${tail('b')}`,
    `/etc/shadow line 3: c has a DES crypt (13 characters) password that could not be checked against common passwords (no DES crypt implementation here), so it is not known to be safe${tail('c')}`,
    `/etc/shadow line 4: d has a sha512-crypt ($6$) password with 200000 rounds, above maxRounds 100000, so it was not checked against common passwords${tail('d')}`,
  ]);
});

test('DSP10208 fires when the verification budget runs out, and DSP10206 respects maxRounds from the configuration', (t) => {
  const image = shadowImage({ root: SHA512_STRONG });
  const [f] = findingsOf('DSP10208', image, { DSP10206: { options: { maxChecks: 3 } } });
  t.is(
    f!.message,
    `/etc/shadow line 1: root's sha512-crypt ($6$) password was checked against only 3 of ${OF} common passwords before the verification budget (maxChecks 3) ran out; a container rarely needs a password: lock it (\`passwd -l root\`) if nothing logs in as root`,
  );
  const rounds = shadowImage({ root: encrypt('toor', '$6$rounds=2000$abc') });
  t.is(findingsOf('DSP10206', rounds).length, 1);
  t.deepEqual(findingsOf('DSP10206', rounds, { DSP10206: { options: { maxRounds: 1000 } } }), []);
  t.regex(findingsOf('DSP10208', rounds, { DSP10206: { options: { maxRounds: 1000 } } })[0]!.message, /with 2000 rounds, above maxRounds 1000/);
});

test('DSP10206-08 stay silent on locked markers only', (t) => {
  const image = shadowImage({ root: '*', a: '!', b: '!!', c: '!*', d: '*LK*' });
  for (const id of ['DSP10206', 'DSP10207', 'DSP10208']) t.deepEqual(findingsOf(id, image), [], id);
});
