// Accounts as login sees them: /etc/passwd joined with /etc/shadow. The
// password that counts is passwd's second field unless it is `x`, in which
// case it is the shadow entry's (pam_unix and glibc do the same); `x` with no
// shadow entry verifies nothing, so such an account is locked.
import { parsePasswordField, type PasswordField } from './hashes.js';
import type { PasswdEntry } from './passwd.js';
import type { ShadowEntry } from './shadow.js';

export const PASSWD = '/etc/passwd';
export const SHADOW = '/etc/shadow';
export const GROUP = '/etc/group';
export const LOGIN_DEFS = '/etc/login.defs';
export const PWQUALITY = '/etc/security/pwquality.conf';
/** The PAM files holding the password stack: Debian's, then RHEL's. */
export const PAM_PASSWORD_FILES = ['/etc/pam.d/common-password', '/etc/pam.d/system-auth', '/etc/pam.d/password-auth'] as const;

export interface Account {
  passwd: PasswdEntry;
  /** The first shadow entry with the same name, when there is one. */
  shadow?: ShadowEntry;
  /** Which file holds the password that counts, and its line there. */
  source: { path: typeof PASSWD | typeof SHADOW; line: number };
  /** The raw field that counts (for messages never printed: it may be a hash). */
  field: string;
  password: PasswordField;
}

export function joinAccounts(passwd: readonly PasswdEntry[], shadow: readonly ShadowEntry[]): Account[] {
  const byName = new Map<string, ShadowEntry>();
  // The first entry wins, as getspnam returns it.
  for (const s of shadow) if (!byName.has(s.name)) byName.set(s.name, s);
  const seen = new Set<string>();
  const accounts: Account[] = [];
  for (const p of passwd) {
    // getpwnam returns the first entry of a name; later duplicates are DSP10205's business.
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    const s = byName.get(p.name);
    const account: Account =
      p.password === 'x' && s
        ? { passwd: p, shadow: s, source: { path: SHADOW, line: s.line }, field: s.password, password: parsePasswordField(s.password) }
        : { passwd: p, source: { path: PASSWD, line: p.line }, field: p.password, password: parsePasswordField(p.password) };
    if (s && !account.shadow) account.shadow = s;
    accounts.push(account);
  }
  return accounts;
}

const NO_LOGIN_SHELL = /(?:^|\/)(?:nologin|false)$/;

/** True for shells that refuse an interactive login (`/usr/sbin/nologin`, `/bin/false`). */
export function isNoLoginShell(shell: string): boolean {
  return NO_LOGIN_SHELL.test(shell.trim());
}
