// DSP10206-08: the password hashes themselves. They ship in the image, so
// anyone who pulls it can attack them offline: a common password is found in
// seconds (DSP10206), DES and MD5 hashes are fast to crack whatever the
// password (DSP10207), and a hash this tool cannot test (yescrypt, bcrypt,
// DES, too many rounds, budget spent) is not known to be safe (DSP10208).
// Locked hashes (`!$6$…`) are judged too for DSP10206/07: `passwd -u` brings
// them back and the hash ships regardless. DSP10208 only reports usable ones.
import { PASSWD, SHADOW, type Account } from '../../../accounts/accounts.js';
import { crackCommon, guessesFor, type CrackOutcome, type CrackTarget } from '../../../accounts/crack.js';
import type { Hash } from '../../../accounts/hashes.js';
import { fileFinding } from '../../../accounts/image-files.js';
import { readAccountFiles } from '../../../accounts/read.js';
import { maskSecret } from '../../../secrets/mask.js';
import type { OptionValue } from '../../options.js';
import type { RawFinding, Rule } from '../../rule.js';

function num(value: OptionValue | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function strings(value: OptionValue | undefined): string[] {
  return Array.isArray(value) ? value : [];
}

interface Hashed {
  account: Account;
  hash: Hash;
  locked: boolean;
}

function hashedAccounts(accounts: readonly Account[]): Hashed[] {
  const out: Hashed[] = [];
  for (const account of accounts) {
    const p = account.password;
    if (p.kind === 'hash') out.push({ account, hash: p.hash, locked: false });
    else if (p.kind === 'locked-hash') out.push({ account, hash: p.hash, locked: true });
  }
  // Usable hashes get the guessing budget first.
  return [...out.filter((h) => !h.locked), ...out.filter((h) => h.locked)];
}

function commonMessage(h: Hashed, outcome: Extract<CrackOutcome, { kind: 'found' }>, of: number): string {
  const name = h.account.passwd.name;
  const what =
    outcome.password === ''
      ? 'is the empty string'
      : outcome.password === name
        ? `is the account's own name (guess ${outcome.rank} of ${of})`
        : `is a common password (${maskSecret(outcome.password)}, guess ${outcome.rank} of ${of} in the built-in list)`;
  if (h.locked) {
    return `${name}'s locked password ${what}; \`passwd -u ${name}\` would make it usable, and the hash ships in the image: replace the field with \`*\` (\`usermod -p '*' ${name}\`)`;
  }
  return `${name}'s password ${what}, so anyone can log in as ${name}; lock it (\`passwd -l ${name}\`) or set a strong one`;
}

function unverifiedMessage(h: Hashed, outcome: CrackOutcome, maxRounds: number, maxChecks: number): string | undefined {
  const name = h.account.passwd.name;
  const label = h.hash.scheme.label;
  const tail = `; a container rarely needs a password: lock it (\`passwd -l ${name}\`) if nothing logs in as ${name}`;
  switch (outcome.kind) {
    case 'unsupported':
      return `${name} has a ${label} password that could not be checked against common passwords (no ${label.replace(/ \(.*$/, '')} implementation here), so it is not known to be safe${tail}`;
    case 'rounds':
      return `${name} has a ${label} password with ${outcome.rounds} rounds, above maxRounds ${maxRounds}, so it was not checked against common passwords${tail}`;
    case 'budget':
      return `${name}'s ${label} password was checked against only ${outcome.tried} of ${outcome.of} common passwords before the verification budget (maxChecks ${maxChecks}) ran out${tail}`;
    default:
      return undefined;
  }
}

export const passwordHashes: Rule = {
  ids: ['DSP10206', 'DSP10207', 'DSP10208'],
  needs: { contents: [PASSWD, SHADOW] },
  evaluate(facts, context) {
    const options = context.options('DSP10206');
    const maxRounds = num(options.maxRounds, 100_000);
    const maxChecks = num(options.maxChecks, 400);
    const extra = strings(options.extraPasswords);
    const hashed = hashedAccounts(readAccountFiles(facts).accounts);
    if (hashed.length === 0) return [];

    const targets: CrackTarget[] = hashed.map((h, i) => ({ key: String(i), name: h.account.passwd.name, hash: h.hash }));
    const outcomes = crackCommon(targets, { extra, maxRounds, maxChecks });
    const findings: RawFinding[] = [];
    hashed.forEach((h, i) => {
      const { path, line } = h.account.source;
      const name = h.account.passwd.name;
      const outcome = outcomes.get(String(i));
      if (outcome?.kind === 'found') {
        const of = guessesFor(name, extra).length;
        findings.push(fileFinding(facts, 'DSP10206', path, line, commonMessage(h, outcome, of)));
      }
      if (h.hash.scheme.weak) {
        const lockedWord = h.locked ? 'locked password hash' : 'password';
        findings.push(
          fileFinding(
            facts,
            'DSP10207',
            path,
            line,
            `${name}'s ${lockedWord} uses ${h.hash.scheme.label}, which is fast to crack from a copy of ${path}; ${h.locked ? `replace it with \`*\` (\`usermod -p '*' ${name}\`)` : `lock the account (\`passwd -l ${name}\`) or set a new password with sha512-crypt or yescrypt`}`,
          ),
        );
      }
      if (!h.locked && outcome) {
        const message = unverifiedMessage(h, outcome, maxRounds, maxChecks);
        if (message) findings.push(fileFinding(facts, 'DSP10208', path, line, message));
      }
    });
    return findings;
  },
};
