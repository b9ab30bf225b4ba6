// DSP10209: an account that should be locked has a usable password. In a
// container nothing logs in as root with a password (docker exec needs
// none), system accounts (uid below UID_MIN) only run services, and an
// account whose shell is nologin/false never logs in interactively, yet su,
// PAM-backed services and `su -s` still accept its password. Empty passwords
// are DSP10201's; the hash's quality is DSP10206-08's.
import { isNoLoginShell, LOGIN_DEFS, PASSWD, SHADOW } from '../../../accounts/accounts.js';
import { fileFinding } from '../../../accounts/image-files.js';
import { readAccountFiles, uidMinOf } from '../../../accounts/read.js';
import type { RawFinding, Rule } from '../../rule.js';

export const unneededPassword: Rule = {
  ids: ['DSP10209'],
  needs: { contents: [PASSWD, SHADOW, LOGIN_DEFS] },
  evaluate(facts) {
    const files = readAccountFiles(facts);
    const uidMin = uidMinOf(files.loginDefs);
    const findings: RawFinding[] = [];
    for (const a of files.accounts) {
      if (a.password.kind !== 'hash') continue;
      const { name, uid, shell } = a.passwd;
      const label = a.password.hash.scheme.label;
      let why: string | undefined;
      if (uid === 0) why = `${name} (uid 0) has a usable ${label} password; a container needs no root password (docker exec needs none)`;
      else if (uid < uidMin) why = `${name} (uid ${uid}) is a system account (uid below UID_MIN ${uidMin}) but has a usable ${label} password`;
      else if (isNoLoginShell(shell)) why = `${name} (uid ${uid}) has the shell ${shell}, so it never logs in, but has a usable ${label} password`;
      if (why) findings.push(fileFinding(facts, 'DSP10209', a.source.path, a.source.line, `${why}; lock it with \`passwd -l ${name}\``));
    }
    return findings;
  },
};
