// Reads and parses the account files an image has (each undefined when the
// image does not have it), and joins passwd with shadow.
import type { ImageFacts } from '../image/facts.js';
import { GROUP, joinAccounts, LOGIN_DEFS, PASSWD, SHADOW, type Account } from './accounts.js';
import { parseGroup, type GroupEntry } from './group.js';
import { numericDef, parseLoginDefs, type LoginDefs } from './login-defs.js';
import { parsePasswd, type PasswdEntry } from './passwd.js';
import { parseShadow, type ShadowEntry } from './shadow.js';
import { textOf } from './image-files.js';

export interface AccountFiles {
  passwd?: PasswdEntry[];
  shadow?: ShadowEntry[];
  group?: GroupEntry[];
  loginDefs?: LoginDefs;
  /** passwd joined with shadow; empty without /etc/passwd. */
  accounts: Account[];
}

export function readAccountFiles(facts: ImageFacts): AccountFiles {
  const files: AccountFiles = { accounts: [] };
  const passwd = textOf(facts, PASSWD);
  const shadow = textOf(facts, SHADOW);
  const group = textOf(facts, GROUP);
  const loginDefs = textOf(facts, LOGIN_DEFS);
  if (passwd !== undefined) files.passwd = parsePasswd(passwd);
  if (shadow !== undefined) files.shadow = parseShadow(shadow);
  if (group !== undefined) files.group = parseGroup(group);
  if (loginDefs !== undefined) files.loginDefs = parseLoginDefs(loginDefs);
  files.accounts = joinAccounts(files.passwd ?? [], files.shadow ?? []);
  return files;
}

/** The first uid of regular accounts: login.defs UID_MIN, else shadow-utils' default 1000. */
export function uidMinOf(defs: LoginDefs | undefined): number {
  const v = defs ? numericDef(defs, 'UID_MIN') : undefined;
  return v !== undefined && v.value > 0 ? v.value : 1000;
}
