import test from 'ava';
import { DEBIAN_BASE, findingsOf } from '../helpers/facts.js';
import { upgradeCommands } from '../../../src/policies/rules/hygiene/DSP10405-package-upgrade.js';

test('DSP10405 fires on apt-get upgrade in an own RUN step, located at that step', (t) => {
  const [f, ...rest] = findingsOf('DSP10405', {
    history: [...DEBIAN_BASE, 'RUN /bin/sh -c apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/* # buildkit'],
  });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    'Runs `apt-get upgrade -y` at step 2 (RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib…): ' +
      'the installed packages then depend on the day of the build, not on the base image; ' +
      'rebuild on an updated base image instead, or upgrade only the packages you need',
  );
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: 'RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*' });
  t.false(f!.inherited);
  t.is(f!.warnOnly, undefined);
});

test('DSP10405 fires on dist-upgrade behind env and options, apk upgrade, and dnf/yum update from a classic build', (t) => {
  const findings = findingsOf('DSP10405', {
    history: [
      ...DEBIAN_BASE,
      'RUN /bin/sh -c DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confold dist-upgrade # buildkit',
      '/bin/sh -c apk upgrade --no-cache',
      'RUN /bin/sh -c yum -y update; dnf upgrade --refresh -y # buildkit',
      'RUN ["apt", "full-upgrade", "-y"] # buildkit',
    ],
  });
  t.deepEqual(findings.map((f) => f.message.split(' at step ')[0].replace(/^Runs /, '')), [
    '`apt-get -y -o Dpkg::Options::=--force-confold dist-upgrade`',
    '`apk upgrade --no-cache`',
    '`yum -y update`, `dnf upgrade --refresh -y`',
    '`apt full-upgrade -y`',
  ]);
  t.deepEqual(findings.map((f) => f.location.kind === 'history' ? f.location.index : -1), [2, 3, 4, 5]);
});

test('DSP10405 does not fire on targeted upgrades, apt-get update alone, or the base image\'s own upgrade', (t) => {
  t.deepEqual(
    findingsOf('DSP10405', {
      history: [
        { createdBy: '/bin/sh -c apt-get update && apt-get -y upgrade', inherited: true },
        ...DEBIAN_BASE,
        'RUN /bin/sh -c apt-get update && apt-get install -y --only-upgrade openssl # buildkit',
        'RUN /bin/sh -c apk upgrade openssl libcrypto3 # buildkit',
        'RUN /bin/sh -c dnf -y update openssl && dnf clean all # buildkit',
        'RUN /bin/sh -c echo apt-get is fine # buildkit',
        'RUN /bin/sh -c apk add --upgrade curl # buildkit',
      ],
    }),
    [],
  );
});

test('DSP10405 warns only, and says so, when the base-image boundary is unknown', (t) => {
  const [f] = findingsOf('DSP10405', { history: ['/bin/sh -c apt-get upgrade -y'], boundarySource: 'unknown' });
  t.true(f!.warnOnly);
  t.regex(f!.message, /\(base-image boundary unknown: these may include the base image's steps\)$/);
});

test('upgradeCommands keeps the command as written and skips options with values', (t) => {
  t.deepEqual(upgradeCommands('apt-get -t bookworm-backports upgrade'), ['apt-get -t bookworm-backports upgrade']);
  t.deepEqual(upgradeCommands('dnf --exclude kernel upgrade -y'), ['dnf --exclude kernel upgrade -y']);
  t.deepEqual(upgradeCommands('dnf upgrade -x kernel'), ['dnf upgrade -x kernel']);
  t.deepEqual(upgradeCommands('sudo /usr/bin/apt-get upgrade'), ['/usr/bin/apt-get upgrade']);
  t.deepEqual(upgradeCommands('apt-get install upgrade'), []);
});
