// DSP10210: a password hash in /etc/passwd, which every user and process can
// read (mode 644), instead of /etc/shadow (640/600). Locked hashes count: the
// hash is readable all the same.
import { PASSWD } from '../../../accounts/accounts.js';
import { parsePasswordField } from '../../../accounts/hashes.js';
import { fileFinding } from '../../../accounts/image-files.js';
import { readAccountFiles } from '../../../accounts/read.js';
import type { RawFinding, Rule } from '../../rule.js';

export const hashInPasswd: Rule = {
  ids: ['DSP10210'],
  needs: { contents: [PASSWD] },
  evaluate(facts) {
    const findings: RawFinding[] = [];
    for (const p of readAccountFiles(facts).passwd ?? []) {
      const field = parsePasswordField(p.password);
      if (field.kind !== 'hash' && field.kind !== 'locked-hash') continue;
      findings.push(
        fileFinding(
          facts,
          'DSP10210',
          PASSWD,
          p.line,
          `${p.name}'s password hash (${field.hash.scheme.label}) is in ${PASSWD}, which every user can read; move it to /etc/shadow with \`pwconv\`, or lock the account`,
        ),
      );
    }
    return findings;
  },
};
