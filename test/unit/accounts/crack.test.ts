import test from 'ava';
import { encrypt } from 'unixcrypt';
import { COMMON_PASSWORDS } from '../../../src/accounts/common-passwords.js';
import { crackCommon, guessCost, guessesFor, matches } from '../../../src/accounts/crack.js';
import { parseHash, type Hash } from '../../../src/accounts/hashes.js';
import { BCRYPT_SECRET, MD5_DOCKER, SHA256_CHANGEME, SHA512_200K_ROUNDS, SHA512_STRONG, SHA512_TOOR, YESCRYPT_ROOT } from './image.js';

const h = (s: string): Hash => parseHash(s)!;

test('the built-in list holds 100 to 300 distinct passwords with the container classics first', (t) => {
  t.true(COMMON_PASSWORDS.length >= 100 && COMMON_PASSWORDS.length <= 300, String(COMMON_PASSWORDS.length));
  t.is(new Set(COMMON_PASSWORDS).size, COMMON_PASSWORDS.length);
  t.deepEqual(COMMON_PASSWORDS.slice(0, 5), ['root', 'toor', 'docker', 'admin', 'changeme']);
  t.deepEqual(guessesFor('app', ['corp2024']).slice(0, 4), ['', 'app', 'corp2024', 'root']);
});

test('matches verifies sha512-crypt, sha256-crypt and md5-crypt vectors from openssl, and nothing else', (t) => {
  t.true(matches('toor', h(SHA512_TOOR)));
  t.false(matches('root', h(SHA512_TOOR)));
  t.true(matches('changeme', h(SHA256_CHANGEME)));
  t.true(matches('docker', h(MD5_DOCKER)));
  t.false(matches('root', h(YESCRYPT_ROOT)), 'yescrypt is never claimed verified');
  t.true(matches('s3cret', h(encrypt('s3cret', '$6$rounds=1000$abc'))));
});

test('crackCommon finds, clears, skips unsupported schemes and over-rounds hashes', (t) => {
  const out = crackCommon(
    [
      { key: 'a', name: 'root', hash: h(SHA512_TOOR) },
      { key: 'b', name: 'app', hash: h(encrypt('app', '$6$appsalt')) },
      { key: 'c', name: 'y', hash: h(YESCRYPT_ROOT) },
      { key: 'd', name: 'b', hash: h(BCRYPT_SECRET) },
      { key: 'e', name: 'r', hash: h(SHA512_200K_ROUNDS) },
      { key: 'f', name: 'e', hash: h(encrypt('', '$5$emptysalt')) },
    ],
    { maxRounds: 100_000, maxChecks: 400 },
  );
  t.deepEqual(out.get('a'), { kind: 'found', password: 'toor', rank: 3 });
  t.deepEqual(out.get('b'), { kind: 'found', password: 'app', rank: 2 });
  t.deepEqual(out.get('c'), { kind: 'unsupported' });
  t.deepEqual(out.get('d'), { kind: 'unsupported' });
  t.deepEqual(out.get('e'), { kind: 'rounds', rounds: 200000 });
  t.deepEqual(out.get('f'), { kind: 'found', password: '', rank: 1 });
});

test('crackCommon stops at the budget, round-robin, and says how far each account got', (t) => {
  const out = crackCommon(
    [
      { key: 'a', name: 'alice', hash: h(SHA512_STRONG) },
      { key: 'b', name: 'bob', hash: h(SHA512_STRONG) },
    ],
    { maxRounds: 100_000, maxChecks: 10 },
  );
  const of = guessesFor('alice').length;
  t.deepEqual(out.get('a'), { kind: 'budget', tried: 5, of });
  t.deepEqual(out.get('b'), { kind: 'budget', tried: 5, of });
});

test('guessCost weighs rounds: 5000-round sha512 is 1, 50000 rounds 10, md5 0.1', (t) => {
  t.is(guessCost(h(SHA512_TOOR)), 1);
  t.is(guessCost(h(encrypt('x', '$6$rounds=50000$s'))), 10);
  t.is(guessCost(h(MD5_DOCKER)), 0.1);
});

test('a strong sha512-crypt password is tried against the whole list within the default budget, and the cost is logged', (t) => {
  const started = process.hrtime.bigint();
  const out = crackCommon([{ key: 'a', name: 'root', hash: h(SHA512_STRONG) }], { maxRounds: 100_000, maxChecks: 400 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  t.deepEqual(out.get('a'), { kind: 'clean', tried: guessesFor('root').length });
  t.log(`${guessesFor('root').length} sha512-crypt guesses in ${ms.toFixed(0)} ms (${(ms / guessesFor('root').length).toFixed(1)} ms each)`);
});
