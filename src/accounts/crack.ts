// Tries the built-in common passwords (plus the account's own name, the empty
// string and any configured extras) against the hashes this tool can compute:
// sha512-crypt and sha256-crypt (unixcrypt), md5-crypt and apr1 (apache-md5).
//
// Cost is bounded twice: hashes with more than `maxRounds` rounds are not
// tried at all (a hostile image could set rounds=999999999), and the whole
// image gets `maxChecks` guesses, counted in sha512-crypt guesses at the
// default 5000 rounds (more rounds count more; md5-crypt counts 0.1). Guesses
// go round-robin over the accounts, most likely guess first, so when the
// budget runs out every account has had the likeliest ones.
import { lazyModule } from '../lazy-module.js';
import { verify } from 'unixcrypt';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { SHA_CRYPT_DEFAULT_ROUNDS, type Hash } from './hashes.js';

// apache-md5 is CommonJS exporting the function itself, while its typings
// declare an ES default export that NodeNext resolves to `{ default }`.
// Loaded with the first md5-crypt hash (lazy-module.ts).
const md5 = lazyModule<(password: string, salt?: string) => string>('apache-md5');

export interface CrackTarget {
  /** Caller's key, returned in the outcome map. */
  key: string;
  /** The account name, tried as a password too. */
  name: string;
  hash: Hash;
}

export type CrackOutcome =
  /** `rank` is the guess's 1-based position in the list this account was tried with. */
  | { kind: 'found'; password: string; rank: number }
  | { kind: 'clean'; tried: number }
  | { kind: 'budget'; tried: number; of: number }
  | { kind: 'rounds'; rounds: number }
  | { kind: 'unsupported' };

export interface CrackOptions {
  /** Guesses besides the built-in list (configuration). */
  extra?: readonly string[];
  maxRounds: number;
  maxChecks: number;
}

/** What one guess costs against this hash, in sha512-crypt guesses at 5000 rounds (measured: $6$ 16 ms, $5$ 10.6 ms, $1$ 1.7 ms). */
export function guessCost(hash: Hash): number {
  const rounds = hash.rounds ?? SHA_CRYPT_DEFAULT_ROUNDS;
  switch (hash.scheme.id) {
    case 'sha512':
      return rounds / SHA_CRYPT_DEFAULT_ROUNDS;
    case 'sha256':
      return (rounds / SHA_CRYPT_DEFAULT_ROUNDS) * 0.66;
    default:
      return 0.1;
  }
}

/** The guesses for one account, most likely first, without repeats. */
export function guessesFor(name: string, extra: readonly string[] = []): string[] {
  return [...new Set(['', name, ...extra, ...COMMON_PASSWORDS])];
}

/** True when `password` hashes to `hash`; false on any library error (a malformed salt is no match). */
export function matches(password: string, hash: Hash): boolean {
  try {
    switch (hash.scheme.id) {
      case 'sha256':
      case 'sha512':
        return verify(password, hash.hash);
      case 'md5':
      case 'apr1':
        return md5()(password, hash.hash) === hash.hash;
      default:
        return false;
    }
  } catch {
    return false;
  }
}

export function crackCommon(targets: readonly CrackTarget[], options: CrackOptions): Map<string, CrackOutcome> {
  const outcomes = new Map<string, CrackOutcome>();
  interface Open {
    target: CrackTarget;
    guesses: string[];
    cost: number;
  }
  let open: Open[] = [];
  for (const target of targets) {
    const { hash } = target;
    if (!hash.scheme.verifiable) outcomes.set(target.key, { kind: 'unsupported' });
    else if (hash.rounds !== undefined && hash.rounds > options.maxRounds) outcomes.set(target.key, { kind: 'rounds', rounds: hash.rounds });
    else open.push({ target, guesses: guessesFor(target.name, options.extra), cost: guessCost(hash) });
  }
  let budget = options.maxChecks;
  for (let i = 0; open.length > 0; i++) {
    const still: Open[] = [];
    for (const o of open) {
      const guess = o.guesses[i];
      if (guess === undefined) {
        outcomes.set(o.target.key, { kind: 'clean', tried: o.guesses.length });
        continue;
      }
      if (o.cost > budget) {
        outcomes.set(o.target.key, { kind: 'budget', tried: i, of: o.guesses.length });
        continue;
      }
      budget -= o.cost;
      if (matches(guess, o.target.hash)) outcomes.set(o.target.key, { kind: 'found', password: guess, rank: i + 1 });
      else still.push(o);
    }
    open = still;
  }
  return outcomes;
}
