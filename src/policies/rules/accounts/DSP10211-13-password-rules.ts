// DSP10211-13: password rules, as IBM Vulnerability Advisor's ISO 27000
// checks read them. Each fires only when the file that governs it is in the
// image: ageing (DSP10211 maximum, DSP10212 minimum) is login.defs'
// PASS_MAX_DAYS / PASS_MIN_DAYS for new accounts and /etc/shadow fields 4-5
// for existing accounts with a usable password (locked ones cannot age); the
// minimum length (DSP10213) is the PAM password stack's when one is present
// (shadow-utils built with PAM ignore PASS_MIN_LEN), else login.defs'
// PASS_MIN_LEN. Without PAM and without PASS_MIN_LEN nothing says which tool
// would enforce a length (busybox passwd has its own), so it does not fire.
import { LOGIN_DEFS, PAM_PASSWORD_FILES, PWQUALITY, SHADOW, PASSWD } from '../../../accounts/accounts.js';
import { fileFinding, textOf } from '../../../accounts/image-files.js';
import { numericDef } from '../../../accounts/login-defs.js';
import { pamArg, parsePam } from '../../../accounts/pam.js';
import { parsePwquality } from '../../../accounts/pwquality.js';
import { readAccountFiles } from '../../../accounts/read.js';
import type { ImageFacts } from '../../../image/facts.js';
import type { OptionValue } from '../../options.js';
import type { RawFinding, Rule, RuleContext } from '../../rule.js';

function num(value: OptionValue | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A positive integer module argument, or undefined. */
function intArg(args: readonly string[], name: string): number | undefined {
  const v = pamArg(args, name);
  return v !== undefined && /^\d{1,6}$/.test(v) ? Number(v) : undefined;
}

function ageing(facts: ImageFacts, context: RuleContext): RawFinding[] {
  const files = readAccountFiles(facts);
  const maxDays = num(context.options('DSP10211').maxDays, 90);
  const minDays = num(context.options('DSP10212').minDays, 1);
  const findings: RawFinding[] = [];
  const defs = files.loginDefs;
  if (defs) {
    const max = numericDef(defs, 'PASS_MAX_DAYS');
    if (!max || max.value < 0) {
      findings.push(
        fileFinding(
          facts,
          'DSP10211',
          LOGIN_DEFS,
          max?.line,
          `${max ? `PASS_MAX_DAYS ${max.value}` : 'PASS_MAX_DAYS is not set, so'} passwords of new accounts never expire; set PASS_MAX_DAYS ${maxDays}`,
        ),
      );
    } else if (max.value > maxDays) {
      findings.push(
        fileFinding(
          facts,
          'DSP10211',
          LOGIN_DEFS,
          max.line,
          `PASS_MAX_DAYS ${max.value} lets passwords of new accounts stay unchanged for ${max.value} days, more than ${maxDays}; set PASS_MAX_DAYS ${maxDays}`,
        ),
      );
    }
    const min = numericDef(defs, 'PASS_MIN_DAYS');
    const minValue = min?.value ?? 0;
    if (minValue < minDays) {
      findings.push(
        fileFinding(
          facts,
          'DSP10212',
          LOGIN_DEFS,
          min?.line,
          `${min ? `PASS_MIN_DAYS ${min.value}` : 'PASS_MIN_DAYS is not set (0), which'} lets a password be changed again at once (fewer than ${minDays} day${minDays === 1 ? '' : 's'}), so a user can cycle back to an old one; set PASS_MIN_DAYS ${minDays}`,
        ),
      );
    }
  }
  // Existing accounts keep the ageing they were created with; only usable passwords age.
  for (const a of files.accounts) {
    const s = a.shadow;
    if (!s || a.password.kind !== 'hash') continue;
    const name = a.passwd.name;
    if (s.maxDays === undefined || s.maxDays < 0) {
      findings.push(fileFinding(facts, 'DSP10211', SHADOW, s.line, `${name}'s password never expires (the maximum age, field 5, is empty); set one with \`chage -M ${maxDays} ${name}\``));
    } else if (s.maxDays > maxDays) {
      findings.push(
        fileFinding(facts, 'DSP10211', SHADOW, s.line, `${name}'s password may stay unchanged for ${s.maxDays} days, more than ${maxDays}; set \`chage -M ${maxDays} ${name}\``),
      );
    }
    const min = s.minDays ?? 0;
    if (min < minDays) {
      findings.push(
        fileFinding(facts, 'DSP10212', SHADOW, s.line, `${name}'s password may be changed again after ${min} days, fewer than ${minDays}; set \`chage -m ${minDays} ${name}\``),
      );
    }
  }
  return findings;
}

interface LengthSource {
  /** Where the value comes from (a finding points there). */
  path: string;
  line: number | undefined;
  length: number;
  /** How the message explains it. */
  how: string;
  /** Modules where the length is set are preferred on a tie (pwquality over pam_unix). */
  rank: number;
}

/** The minimum length the PAM password stack in `path` enforces, and where it comes from; undefined when no module known to check length is in it. */
function pamMinLength(facts: ImageFacts, path: string, text: string): LengthSource | undefined {
  const pwqualityText = textOf(facts, PWQUALITY);
  const pwquality = pwqualityText === undefined ? undefined : parsePwquality(pwqualityText);
  const sources: LengthSource[] = [];
  for (const entry of parsePam(text)) {
    if (entry.type !== 'password') continue;
    const module = entry.module.split('/').pop() ?? entry.module;
    switch (entry.moduleName) {
      case 'pam_unix': {
        const minlen = intArg(entry.args, 'minlen');
        sources.push(
          minlen === undefined
            ? { path, line: entry.line, length: 6, how: `${module} sets no minlen, so its default of 6 applies`, rank: 0 }
            : { path, line: entry.line, length: minlen, how: `${module} minlen=${minlen}`, rank: 0 },
        );
        break;
      }
      case 'pam_pwquality': {
        // libpwquality: module argument, else pwquality.conf, else 8; never below 6.
        const arg = intArg(entry.args, 'minlen');
        const conf = pwquality?.get('minlen');
        const confValue = conf && /^\d{1,6}$/.test(conf.value) ? Number(conf.value) : undefined;
        if (arg !== undefined) sources.push({ path, line: entry.line, length: Math.max(6, arg), how: `${module} minlen=${arg}`, rank: 1 });
        else if (confValue !== undefined && conf) {
          sources.push({ path: PWQUALITY, line: conf.line, length: Math.max(6, confValue), how: `minlen = ${confValue} (used by ${module} in ${path})`, rank: 1 });
        } else sources.push({ path, line: entry.line, length: 8, how: `${module} sets no minlen, so libpwquality's default of 8 applies`, rank: 1 });
        break;
      }
      case 'pam_cracklib': {
        const arg = intArg(entry.args, 'minlen');
        sources.push({ path, line: entry.line, length: arg ?? 9, how: arg === undefined ? `${module} sets no minlen, so its default of 9 applies` : `${module} minlen=${arg}`, rank: 1 });
        break;
      }
      case 'pam_passwdqc':
        // Its own min=N0,N1,… rules: not judged here, so the stack is not either.
        return undefined;
      default:
        break;
    }
  }
  if (sources.length === 0) return undefined;
  // Every module in the stack checks the new password: the strictest wins.
  return sources.reduce((best, s) => (s.length > best.length || (s.length === best.length && s.rank > best.rank) ? s : best));
}

function minLength(facts: ImageFacts, context: RuleContext): RawFinding[] {
  const threshold = num(context.options('DSP10213').minLength, 8);
  const findings: RawFinding[] = [];
  let pamPresent = false;
  for (const path of PAM_PASSWORD_FILES) {
    const text = textOf(facts, path);
    if (text === undefined) continue;
    pamPresent = true;
    const source = pamMinLength(facts, path, text);
    if (!source || source.length >= threshold) continue;
    findings.push(
      fileFinding(
        facts,
        'DSP10213',
        source.path,
        source.line,
        `${source.how}: passwords of ${source.length} characters are accepted, fewer than ${threshold}; set minlen=${threshold}`,
      ),
    );
  }
  if (pamPresent) return findings;
  const defs = readAccountFiles(facts).loginDefs;
  const def = defs ? numericDef(defs, 'PASS_MIN_LEN') : undefined;
  if (def && def.value < threshold) {
    findings.push(
      fileFinding(facts, 'DSP10213', LOGIN_DEFS, def.line, `PASS_MIN_LEN ${def.value} accepts passwords of ${def.value} characters, fewer than ${threshold}; set PASS_MIN_LEN ${threshold}`),
    );
  }
  return findings;
}

export const passwordRules: Rule = {
  ids: ['DSP10211', 'DSP10212', 'DSP10213'],
  needs: { contents: [PASSWD, SHADOW, LOGIN_DEFS, ...PAM_PASSWORD_FILES, PWQUALITY] },
  evaluate(facts, context) {
    return [...ageing(facts, context), ...minLength(facts, context)];
  },
};
