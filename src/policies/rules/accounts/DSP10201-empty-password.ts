// DSP10201: an account whose password field is empty: pam_unix with
// `nullok` (Debian's and RHEL's default) and su let anyone in without one.
// The field that counts is passwd's unless it is `x` (see accounts.ts).
import { readAccountFiles } from '../../../accounts/read.js';
import { fileFinding } from '../../../accounts/image-files.js';
import { PASSWD, SHADOW } from '../../../accounts/accounts.js';
import type { Rule } from '../../rule.js';

export const emptyPassword: Rule = {
  ids: ['DSP10201'],
  needs: { contents: [PASSWD, SHADOW] },
  evaluate(facts) {
    return readAccountFiles(facts)
      .accounts.filter((a) => a.password.kind === 'empty')
      .map((a) =>
        fileFinding(
          facts,
          'DSP10201',
          a.source.path,
          a.source.line,
          `${a.passwd.name} (uid ${a.passwd.uid}) has an empty password, so anyone can log in or su to ${a.passwd.name} without one; lock it with \`passwd -l ${a.passwd.name}\``,
        ),
      );
  },
};
