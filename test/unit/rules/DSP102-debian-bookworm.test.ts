// What the accounts family says about a clean Debian bookworm minbase: its
// real default files (test/unit/accounts/debian-bookworm.ts).
import test from 'ava';
import { findingsOf } from '../helpers/facts.js';
import { BOOKWORM_CONTENTS } from '../accounts/debian-bookworm.js';
import { imageWith } from '../accounts/image.js';

const BOOKWORM = imageWith(BOOKWORM_CONTENTS);

test('Debian bookworm fires DSP10211, DSP10212 and DSP10213 from its login.defs and common-password, inherited from the base layer', (t) => {
  const messages = ['DSP10211', 'DSP10212', 'DSP10213'].flatMap((id) => findingsOf(id, BOOKWORM).map((f) => `${f.policy} ${f.inherited} ${f.message}`));
  t.deepEqual(messages, [
    'DSP10211 true /etc/login.defs line 165: PASS_MAX_DAYS 99999 lets passwords of new accounts stay unchanged for 99999 days, more than 90; set PASS_MAX_DAYS 90',
    'DSP10212 true /etc/login.defs line 166: PASS_MIN_DAYS 0 lets a password be changed again at once (fewer than 1 day), so a user can cycle back to an old one; set PASS_MIN_DAYS 1',
    'DSP10213 true /etc/pam.d/common-password line 25: pam_unix.so sets no minlen, so its default of 6 applies: passwords of 6 characters are accepted, fewer than 8; set minlen=8',
  ]);
});

test('Debian bookworm fires none of the account policies: root:* and every system account is locked, ids and names are unique', (t) => {
  for (const id of ['DSP10201', 'DSP10202', 'DSP10203', 'DSP10204', 'DSP10205', 'DSP10206', 'DSP10207', 'DSP10208', 'DSP10209', 'DSP10210']) {
    t.deepEqual(findingsOf(id, BOOKWORM), [], id);
  }
});

test('Debian bookworm after `echo root:root | chpasswd` (yescrypt by common-password) fires DSP10208 and DSP10209 on root', (t) => {
  const shadow = BOOKWORM_CONTENTS['/etc/shadow']!.replace(/^root:\*:/, 'root:$y$j9T$F5Jx5fExrKuPp53xLKQ..1$7sns0mBDIWgdwoL7WtVeg8OpRLmM3pIF24UUv.9/Cu.:');
  const image = imageWith({ ...BOOKWORM_CONTENTS, '/etc/shadow': shadow }, ['/etc/shadow']);
  t.deepEqual(findingsOf('DSP10206', image), [], 'yescrypt cannot be checked here');
  t.regex(findingsOf('DSP10208', image)[0]!.message, /^\/etc\/shadow line 1: root has a yescrypt \(\$y\$\) password that could not be checked/);
  t.regex(findingsOf('DSP10209', image)[0]!.message, /^\/etc\/shadow line 1: root \(uid 0\) has a usable yescrypt/);
  t.deepEqual(findingsOf('DSP10211', image).map((f) => f.message.split(':')[0]), ['/etc/login.defs line 165', '/etc/shadow line 1']);
});
