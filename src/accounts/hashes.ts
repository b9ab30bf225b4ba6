// What a password field in /etc/shadow (or /etc/passwd) means: empty, locked,
// or a crypt(3) hash of some scheme. A `!` prefix locks an account but keeps
// its hash (`passwd -l`); `passwd -u` restores it, and the hash ships in the
// image either way, so locked hashes are still judged for weak or common
// passwords (see DSP10206/07).

export type SchemeId =
  | 'des'
  | 'bsdi-des'
  | 'md5'
  | 'apr1'
  | 'sun-md5'
  | 'nthash'
  | 'sha1'
  | 'sha256'
  | 'sha512'
  | 'bcrypt'
  | 'yescrypt'
  | 'gost-yescrypt'
  | 'scrypt';

export interface Scheme {
  id: SchemeId;
  /** How messages name it: `sha512-crypt ($6$)`. */
  label: string;
  /** Fast to crack: DES, MD5 and friends. */
  weak: boolean;
  /** This tool can test guesses against it (unixcrypt, apache-md5). */
  verifiable: boolean;
}

const SCHEMES: Record<SchemeId, Scheme> = {
  des: { id: 'des', label: 'DES crypt (13 characters)', weak: true, verifiable: false },
  'bsdi-des': { id: 'bsdi-des', label: 'BSDi extended DES (_)', weak: true, verifiable: false },
  md5: { id: 'md5', label: 'MD5-crypt ($1$)', weak: true, verifiable: true },
  apr1: { id: 'apr1', label: 'Apache MD5 ($apr1$)', weak: true, verifiable: true },
  'sun-md5': { id: 'sun-md5', label: 'Sun MD5 ($md5)', weak: true, verifiable: false },
  nthash: { id: 'nthash', label: 'NT hash ($3$)', weak: true, verifiable: false },
  sha1: { id: 'sha1', label: 'SHA1-crypt ($sha1$)', weak: true, verifiable: false },
  sha256: { id: 'sha256', label: 'sha256-crypt ($5$)', weak: false, verifiable: true },
  sha512: { id: 'sha512', label: 'sha512-crypt ($6$)', weak: false, verifiable: true },
  bcrypt: { id: 'bcrypt', label: 'bcrypt ($2b$)', weak: false, verifiable: false },
  yescrypt: { id: 'yescrypt', label: 'yescrypt ($y$)', weak: false, verifiable: false },
  'gost-yescrypt': { id: 'gost-yescrypt', label: 'gost-yescrypt ($gy$)', weak: false, verifiable: false },
  scrypt: { id: 'scrypt', label: 'scrypt ($7$)', weak: false, verifiable: false },
};

/** sha-crypt's default and bounds (out-of-range rounds are clamped, as glibc and libxcrypt do). */
export const SHA_CRYPT_DEFAULT_ROUNDS = 5000;
const SHA_CRYPT_MIN_ROUNDS = 1000;
const SHA_CRYPT_MAX_ROUNDS = 999_999_999;

export interface Hash {
  /** The hash without any lock prefix. */
  hash: string;
  scheme: Scheme;
  /** Iterations the scheme runs ($5$/$6$ rounds; md5-crypt's fixed 1000), when known. */
  rounds?: number;
}

export type PasswordField =
  | { kind: 'empty' }
  /** `*`, `!`, `!!`, `*LK*`, `x`, or anything no crypt(3) accepts: nobody can log in with a password. */
  | { kind: 'locked'; marker: string }
  /** A hash behind a lock prefix (`!$6$…`): unusable until unlocked. */
  | { kind: 'locked-hash'; marker: string; hash: Hash }
  | { kind: 'hash'; hash: Hash };

const CRYPT64 = '[./0-9A-Za-z]';

/** The scheme of a crypt(3) string, or undefined when it is not one crypt accepts. */
export function parseHash(value: string): Hash | undefined {
  if (new RegExp(`^${CRYPT64}{13}$`).test(value)) return { hash: value, scheme: SCHEMES.des };
  if (new RegExp(`^_${CRYPT64}{19}$`).test(value)) return { hash: value, scheme: SCHEMES['bsdi-des'] };
  const id = /^\$([^$]+)\$/.exec(value)?.[1];
  if (id === undefined) return value.startsWith('$md5') ? { hash: value, scheme: SCHEMES['sun-md5'] } : undefined;
  // A hash needs something after the salt; a bare `$6$salt` never verifies.
  const parts = value.split('$');
  if (parts.length < 4 || (parts[parts.length - 1] ?? '') === '') return undefined;
  switch (id) {
    case '1':
      return { hash: value, scheme: SCHEMES.md5, rounds: 1000 };
    case 'apr1':
      return { hash: value, scheme: SCHEMES.apr1, rounds: 1000 };
    case '3':
      return { hash: value, scheme: SCHEMES.nthash };
    case 'sha1':
      return { hash: value, scheme: SCHEMES.sha1 };
    case 'md5':
      return { hash: value, scheme: SCHEMES['sun-md5'] };
    case '5':
    case '6': {
      const m = /^rounds=(\d+)$/.exec(parts[2] ?? '');
      const rounds = m ? Math.min(SHA_CRYPT_MAX_ROUNDS, Math.max(SHA_CRYPT_MIN_ROUNDS, Number(m[1]))) : SHA_CRYPT_DEFAULT_ROUNDS;
      if (m && parts.length < 5) return undefined;
      return { hash: value, scheme: id === '5' ? SCHEMES.sha256 : SCHEMES.sha512, rounds };
    }
    case '2':
    case '2a':
    case '2b':
    case '2x':
    case '2y':
      return { hash: value, scheme: { ...SCHEMES.bcrypt, label: `bcrypt ($${id}$)` } };
    case 'y':
      return { hash: value, scheme: SCHEMES.yescrypt };
    case 'gy':
      return { hash: value, scheme: SCHEMES['gost-yescrypt'] };
    case '7':
      return { hash: value, scheme: SCHEMES.scrypt };
    default:
      return undefined;
  }
}

/** Reads a shadow (or passwd) password field. */
export function parsePasswordField(field: string): PasswordField {
  if (field === '') return { kind: 'empty' };
  // `!`, `!!`, `!*`, `*`, `*LK*`, `!$6$…`: strip the lock characters and look at what is left.
  const lock = /^(\*LK\*|[!*]+)/.exec(field)?.[0];
  if (lock) {
    const rest = field.slice(lock.length);
    const hash = rest === '' ? undefined : parseHash(rest);
    return hash ? { kind: 'locked-hash', marker: lock, hash } : { kind: 'locked', marker: lock };
  }
  const hash = parseHash(field);
  return hash ? { kind: 'hash', hash } : { kind: 'locked', marker: field };
}
