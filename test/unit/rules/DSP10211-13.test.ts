import test from 'ava';
import { findingsOf } from '../helpers/facts.js';
import { imageWith, SHA512_STRONG } from '../accounts/image.js';

const DEFS_OK = 'PASS_MAX_DAYS 60\nPASS_MIN_DAYS 1\n';

test('DSP10211 fires on login.defs PASS_MAX_DAYS above 90 and points at its line', (t) => {
  const [f, ...rest] = findingsOf('DSP10211', imageWith({ '/etc/login.defs': '# ageing\nPASS_MAX_DAYS\t99999\nPASS_MIN_DAYS 1\n' }, ['/etc/login.defs']));
  t.is(rest.length, 0);
  t.is(f!.message, '/etc/login.defs line 2: PASS_MAX_DAYS 99999 lets passwords of new accounts stay unchanged for 99999 days, more than 90; set PASS_MAX_DAYS 90');
  t.deepEqual(f!.subject, { path: '/etc/login.defs' });
  t.is(f!.location.kind === 'file' ? f!.location.layerIndex : -1, 1);
});

test('DSP10211 fires when PASS_MAX_DAYS is missing or -1: passwords never expire', (t) => {
  t.deepEqual(findingsOf('DSP10211', imageWith({ '/etc/login.defs': 'PASS_MIN_DAYS 1\n' })).map((f) => f.message), [
    '/etc/login.defs: PASS_MAX_DAYS is not set, so passwords of new accounts never expire; set PASS_MAX_DAYS 90',
  ]);
  t.deepEqual(findingsOf('DSP10211', imageWith({ '/etc/login.defs': 'PASS_MAX_DAYS -1\n' })).map((f) => f.message), [
    '/etc/login.defs line 1: PASS_MAX_DAYS -1 passwords of new accounts never expire; set PASS_MAX_DAYS 90',
  ]);
});

test('DSP10211 honours the maxDays option', (t) => {
  const image = imageWith({ '/etc/login.defs': 'PASS_MAX_DAYS 60\n' });
  t.deepEqual(findingsOf('DSP10211', image), []);
  t.regex(findingsOf('DSP10211', image, { DSP10211: { options: { maxDays: 30 } } })[0]!.message, /PASS_MAX_DAYS 60 .* more than 30; set PASS_MAX_DAYS 30$/);
});

test('DSP10211 and DSP10212 fire on accounts with a usable password and lax shadow ageing, not on locked ones', (t) => {
  const image = imageWith({
    '/etc/login.defs': DEFS_OK,
    '/etc/passwd': 'app:x:1000:1000::/app:/bin/sh\nweb:x:1001:1001::/web:/bin/sh\nlocked:x:1002:1002::/:/bin/sh\nok:x:1003:1003::/:/bin/sh\n',
    '/etc/shadow': `app:${SHA512_STRONG}:19000:0:99999:7:::\nweb:${SHA512_STRONG}:19000::::::\nlocked:!${SHA512_STRONG}:19000:0:99999:7:::\nok:${SHA512_STRONG}:19000:1:90:7:::\n`,
  });
  t.deepEqual(findingsOf('DSP10211', image).map((f) => f.message), [
    "/etc/shadow line 1: app's password may stay unchanged for 99999 days, more than 90; set `chage -M 90 app`",
    "/etc/shadow line 2: web's password never expires (the maximum age, field 5, is empty); set one with `chage -M 90 web`",
  ]);
  t.deepEqual(findingsOf('DSP10212', image).map((f) => f.message), [
    "/etc/shadow line 1: app's password may be changed again after 0 days, fewer than 1; set `chage -m 1 app`",
    "/etc/shadow line 2: web's password may be changed again after 0 days, fewer than 1; set `chage -m 1 web`",
  ]);
});

test('DSP10212 fires on PASS_MIN_DAYS 0 or missing, and honours minDays', (t) => {
  t.deepEqual(findingsOf('DSP10212', imageWith({ '/etc/login.defs': 'PASS_MIN_DAYS 0\n' })).map((f) => f.message), [
    '/etc/login.defs line 1: PASS_MIN_DAYS 0 lets a password be changed again at once (fewer than 1 day), so a user can cycle back to an old one; set PASS_MIN_DAYS 1',
  ]);
  t.deepEqual(findingsOf('DSP10212', imageWith({ '/etc/login.defs': 'UMASK 022\n' })).map((f) => f.message), [
    '/etc/login.defs: PASS_MIN_DAYS is not set (0), which lets a password be changed again at once (fewer than 1 day), so a user can cycle back to an old one; set PASS_MIN_DAYS 1',
  ]);
  t.deepEqual(findingsOf('DSP10212', imageWith({ '/etc/login.defs': 'PASS_MIN_DAYS 1\n' }), { DSP10212: { options: { minDays: 0 } } }), []);
  t.is(findingsOf('DSP10212', imageWith({ '/etc/login.defs': 'PASS_MIN_DAYS 1\n' }), { DSP10212: { options: { minDays: 7 } } }).length, 1);
});

test('DSP10211-13 do not fire when the image has no login.defs, PAM files or accounts (e.g. distroless, scratch)', (t) => {
  const image = imageWith({ '/etc/passwd': 'root:x:0:0::/root:/sbin/nologin\n' });
  for (const id of ['DSP10211', 'DSP10212', 'DSP10213']) t.deepEqual(findingsOf(id, image), [], id);
});

test('DSP10213 fires on pam_unix without minlen (its default 6) on Debian-style common-password', (t) => {
  const pam = '# comment\npassword\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\npassword requisite pam_deny.so\n';
  const [f, ...rest] = findingsOf('DSP10213', imageWith({ '/etc/pam.d/common-password': pam }));
  t.is(rest.length, 0);
  t.is(f!.message, '/etc/pam.d/common-password line 2: pam_unix.so sets no minlen, so its default of 6 applies: passwords of 6 characters are accepted, fewer than 8; set minlen=8');
  t.deepEqual(findingsOf('DSP10213', imageWith({ '/etc/pam.d/common-password': pam.replace('yescrypt', 'yescrypt minlen=8') })), []);
});

test('DSP10213 takes the strictest module: pwquality.conf minlen governs RHEL system-auth, and points at pwquality.conf', (t) => {
  const systemAuth =
    'password    requisite     pam_pwquality.so local_users_only\npassword    sufficient    pam_unix.so yescrypt shadow use_authtok\npassword    required      pam_deny.so\n';
  const low = imageWith({ '/etc/pam.d/system-auth': systemAuth, '/etc/security/pwquality.conf': '# minlen = 8\nminlen = 7\n' });
  t.deepEqual(findingsOf('DSP10213', low).map((f) => f.message), [
    '/etc/security/pwquality.conf line 2: minlen = 7 (used by pam_pwquality.so in /etc/pam.d/system-auth): passwords of 7 characters are accepted, fewer than 8; set minlen=8',
  ]);
  // No pwquality.conf setting: libpwquality's default 8 meets the threshold.
  t.deepEqual(findingsOf('DSP10213', imageWith({ '/etc/pam.d/system-auth': systemAuth })), []);
  // A module argument beats the file; pwquality never goes below 6.
  const arg = imageWith({ '/etc/pam.d/password-auth': systemAuth.replace('local_users_only', 'minlen=4'), '/etc/security/pwquality.conf': 'minlen = 14\n' });
  t.deepEqual(findingsOf('DSP10213', arg).map((f) => f.message), [
    '/etc/pam.d/password-auth line 1: pam_pwquality.so minlen=4: passwords of 6 characters are accepted, fewer than 8; set minlen=8',
  ]);
});

test('DSP10213 reads login.defs PASS_MIN_LEN only without a PAM stack, and honours minLength', (t) => {
  const defs = imageWith({ '/etc/login.defs': 'PASS_MIN_LEN 5\n' });
  t.deepEqual(findingsOf('DSP10213', defs).map((f) => f.message), [
    '/etc/login.defs line 1: PASS_MIN_LEN 5 accepts passwords of 5 characters, fewer than 8; set PASS_MIN_LEN 8',
  ]);
  t.deepEqual(findingsOf('DSP10213', defs, { DSP10213: { options: { minLength: 5 } } }), []);
  const withPam = imageWith({ '/etc/login.defs': 'PASS_MIN_LEN 5\n', '/etc/pam.d/common-password': 'password required pam_unix.so minlen=12\n' });
  t.deepEqual(findingsOf('DSP10213', withPam), []);
  t.deepEqual(findingsOf('DSP10213', imageWith({ '/etc/login.defs': 'PASS_MAX_DAYS 30\n' })), [], 'no PASS_MIN_LEN and no PAM: nothing to judge');
});

test('DSP10213 does not judge stacks it cannot read (pam_passwdqc) or that check no length', (t) => {
  t.deepEqual(findingsOf('DSP10213', imageWith({ '/etc/pam.d/common-password': 'password required pam_passwdqc.so min=disabled,24,11,8,7\npassword required pam_unix.so\n' })), []);
  t.deepEqual(findingsOf('DSP10213', imageWith({ '/etc/pam.d/common-password': 'password required pam_deny.so\n' })), []);
});
