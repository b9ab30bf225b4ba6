import test from 'ava';
import { DEBIAN_BASE, diffIdOf, findingsOf, type FactsSpec } from '../helpers/facts.js';
import type { LayerScanHit } from '../../../src/image/file-scanner.js';
import { readLayer } from '../../../src/image/layer-reader.js';
import { includeMatches, parseSshdConfig, sshdConfigScanner } from '../../../src/policies/rules/remote-login/sshd-config.js';
import { chunked, file, layerTar } from '../helpers/archives.js';

const HISTORY = [...DEBIAN_BASE, 'RUN /bin/sh -c apt-get install -y openssh-server # buildkit', 'COPY sshd.conf /etc/ssh/sshd_config.d/ # buildkit'];

/** Debian's stock file: the Include at the top, the judged keywords only in comments. */
const DEBIAN_SSHD_CONFIG = [
  'Include /etc/ssh/sshd_config.d/*.conf',
  '',
  '#PermitRootLogin prohibit-password',
  '#PasswordAuthentication yes',
  '#PermitEmptyPasswords no',
  'KbdInteractiveAuthentication no',
  'UsePAM yes',
  'Subsystem sftp /usr/lib/openssh/sftp-server',
  '',
].join('\n');

function spec(mainConfig: string | undefined, extra: Partial<FactsSpec> = {}): FactsSpec {
  return {
    history: HISTORY,
    files: [
      { path: '/usr/sbin/sshd', mode: 0o755, layerIndex: 1 },
      ...(mainConfig === undefined ? [] : [{ path: '/etc/ssh/sshd_config', layerIndex: 1 }]),
      ...(extra.files ?? []),
    ],
    contents: mainConfig === undefined ? {} : { '/etc/ssh/sshd_config': mainConfig },
    scanHits: extra.scanHits ?? [],
  };
}

const dropin = (path: string, kind: string, excerpt: string, line: number, layerIndex = 2): LayerScanHit => ({
  scanner: 'sshd-config',
  kind,
  path,
  line,
  excerpt,
  layerIndex,
});

test('DSP10303 fires on PermitRootLogin yes in sshd_config, naming the line, layer and step', (t) => {
  const [f, ...rest] = findingsOf('DSP10303', spec('Port 22\nPermitRootLogin yes\n'));
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/etc/ssh/sshd_config line 2 sets PermitRootLogin yes: sshd lets root log in with a password; ' +
      'written by layer 1, step 2 (RUN apt-get install -y openssh-server)',
  );
  t.deepEqual(f!.location, {
    kind: 'file',
    path: '/etc/ssh/sshd_config',
    layer: diffIdOf(1),
    layerIndex: 1,
    historyIndex: 2,
    instruction: 'RUN apt-get install -y openssh-server',
  });
  t.deepEqual(f!.subject, { path: '/etc/ssh/sshd_config' });
  t.false(f!.inherited);
});

test('DSP10303 reads `PermitRootLogin=YES` and keyword case as sshd does', (t) => {
  const [f] = findingsOf('DSP10303', spec('permitrootlogin=YES\n'));
  t.regex(f!.message, /^\/etc\/ssh\/sshd_config line 1 sets PermitRootLogin YES:/);
});

test('DSP10303 fires on a Debian drop-in that the top Include splices in, and names the later `no` in the main file as ineffective', (t) => {
  const [f, ...rest] = findingsOf(
    'DSP10303',
    spec(DEBIAN_SSHD_CONFIG + 'PermitRootLogin no\n', {
      files: [{ path: '/etc/ssh/sshd_config.d/50-root.conf', layerIndex: 2 }],
      scanHits: [dropin('/etc/ssh/sshd_config.d/50-root.conf', 'PermitRootLogin', 'yes', 3)],
    }),
  );
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/etc/ssh/sshd_config.d/50-root.conf line 3 sets PermitRootLogin yes: sshd lets root log in with a password; ' +
      'the later PermitRootLogin no at /etc/ssh/sshd_config line 9 has no effect (sshd keeps the first value it reads); ' +
      'written by layer 2, step 3 (COPY sshd.conf /etc/ssh/sshd_config.d/)',
  );
  t.deepEqual(f!.subject, { path: '/etc/ssh/sshd_config.d/50-root.conf' });
  t.is(f!.location.kind === 'file' ? f!.location.layerIndex : -1, 2);
});

test('DSP10303 does not fire when an earlier drop-in says no, even though sshd_config later says yes', (t) => {
  t.deepEqual(
    findingsOf(
      'DSP10303',
      spec(DEBIAN_SSHD_CONFIG + 'PermitRootLogin yes\n', {
        files: [{ path: '/etc/ssh/sshd_config.d/00-hardening.conf', layerIndex: 2 }],
        scanHits: [dropin('/etc/ssh/sshd_config.d/00-hardening.conf', 'PermitRootLogin', 'no', 1)],
      }),
    ),
    [],
  );
});

test('DSP10303 takes the drop-ins in lexical order: 10-yes.conf wins over 20-no.conf', (t) => {
  const [f] = findingsOf(
    'DSP10303',
    spec(DEBIAN_SSHD_CONFIG, {
      files: [
        { path: '/etc/ssh/sshd_config.d/20-no.conf', layerIndex: 2 },
        { path: '/etc/ssh/sshd_config.d/10-yes.conf', layerIndex: 2 },
      ],
      scanHits: [dropin('/etc/ssh/sshd_config.d/20-no.conf', 'PermitRootLogin', 'no', 1), dropin('/etc/ssh/sshd_config.d/10-yes.conf', 'PermitRootLogin', 'yes', 1)],
    }),
  );
  t.regex(f!.message, /^\/etc\/ssh\/sshd_config\.d\/10-yes\.conf line 1 sets PermitRootLogin yes: .*the later PermitRootLogin no at \/etc\/ssh\/sshd_config\.d\/20-no\.conf line 1 has no effect/);
});

test('DSP10303 ignores a drop-in hit whose file a later layer replaced or deleted, and drop-ins without an Include', (t) => {
  const stale = spec(DEBIAN_SSHD_CONFIG, {
    files: [{ path: '/etc/ssh/sshd_config.d/50-root.conf', layerIndex: 2 }],
    scanHits: [dropin('/etc/ssh/sshd_config.d/50-root.conf', 'PermitRootLogin', 'yes', 1, 1)], // the layer-1 copy, replaced in layer 2
  });
  t.deepEqual(findingsOf('DSP10303', stale), []);
  const deleted = spec(DEBIAN_SSHD_CONFIG, { scanHits: [dropin('/etc/ssh/sshd_config.d/50-root.conf', 'PermitRootLogin', 'yes', 1)] });
  t.deepEqual(findingsOf('DSP10303', deleted), []);
  const noInclude = spec('Port 22\n', {
    files: [{ path: '/etc/ssh/sshd_config.d/50-root.conf', layerIndex: 2 }],
    scanHits: [dropin('/etc/ssh/sshd_config.d/50-root.conf', 'PermitRootLogin', 'yes', 1)],
  });
  t.deepEqual(findingsOf('DSP10303', noInclude), []);
});

test('DSP10303 does not fire on PermitRootLogin yes inside a Match block, but does after `Match all`', (t) => {
  t.deepEqual(findingsOf('DSP10303', spec('PermitRootLogin no\nMatch Address 10.0.0.0/8\n  PermitRootLogin yes\n')), []);
  t.deepEqual(findingsOf('DSP10303', spec('Match User admin\n  PermitRootLogin yes\n')), []);
  const [f] = findingsOf('DSP10303', spec('Match User admin\n  X11Forwarding yes\nMatch all\nPermitRootLogin yes\n'));
  t.regex(f!.message, /^\/etc\/ssh\/sshd_config line 4 sets PermitRootLogin yes/);
});

test('DSP10303 does not fire on prohibit-password, on a commented line, without sshd installed, or without sshd_config', (t) => {
  t.deepEqual(findingsOf('DSP10303', spec('PermitRootLogin prohibit-password\n')), []);
  t.deepEqual(findingsOf('DSP10303', spec('#PermitRootLogin yes\n')), []);
  t.deepEqual(findingsOf('DSP10303', { history: HISTORY, files: [{ path: '/etc/ssh/sshd_config' }], contents: { '/etc/ssh/sshd_config': 'PermitRootLogin yes\n' } }), []);
  t.deepEqual(findingsOf('DSP10303', spec(undefined)), []);
});

test('DSP10304 fires on PermitEmptyPasswords yes and not on the default', (t) => {
  const [f] = findingsOf('DSP10304', spec('PermitEmptyPasswords yes\n'));
  t.is(
    f!.message,
    '/etc/ssh/sshd_config line 1 sets PermitEmptyPasswords yes: an account with an empty password can log in over SSH without one; ' +
      'written by layer 1, step 2 (RUN apt-get install -y openssh-server)',
  );
  t.deepEqual(findingsOf('DSP10304', spec(DEBIAN_SSHD_CONFIG)), []);
});

test('DSP10305 fires on the stock Debian sshd_config, where OpenSSH\'s default (yes) applies', (t) => {
  const [f, ...rest] = findingsOf('DSP10305', spec(DEBIAN_SSHD_CONFIG));
  t.is(rest.length, 0);
  t.is(
    f!.message,
    "/etc/ssh/sshd_config does not set PasswordAuthentication, so OpenSSH's default (yes) applies: " +
      'sshd accepts password logins, which can be brute-forced; set PasswordAuthentication no; ' +
      '/etc/ssh/sshd_config written by layer 1, step 2 (RUN apt-get install -y openssh-server)',
  );
  t.deepEqual(f!.subject, { path: '/etc/ssh/sshd_config' });
});

test('DSP10305 stays silent on the default when includeDefault is false, but still fires on an explicit yes', (t) => {
  const settings = { DSP10305: { options: { includeDefault: false } } };
  t.deepEqual(findingsOf('DSP10305', spec(DEBIAN_SSHD_CONFIG), settings), []);
  const [f] = findingsOf('DSP10305', spec('PasswordAuthentication yes\n'), settings);
  t.regex(f!.message, /^\/etc\/ssh\/sshd_config line 1 sets PasswordAuthentication yes: sshd accepts password logins/);
});

test('DSP10305 does not fire when a drop-in turns password logins off', (t) => {
  t.deepEqual(
    findingsOf(
      'DSP10305',
      spec(DEBIAN_SSHD_CONFIG, {
        files: [{ path: '/etc/ssh/sshd_config.d/keys-only.conf', layerIndex: 2 }],
        scanHits: [dropin('/etc/ssh/sshd_config.d/keys-only.conf', 'PasswordAuthentication', 'no', 1)],
      }),
    ),
    [],
  );
});

test('DSP10305 treats an Include inside a Match block as conditional', (t) => {
  const config = 'Match User deploy\n  Include /etc/ssh/sshd_config.d/*.conf\nMatch all\nPasswordAuthentication no\n';
  t.deepEqual(
    findingsOf(
      'DSP10305',
      spec(config, {
        files: [{ path: '/etc/ssh/sshd_config.d/pw.conf', layerIndex: 2 }],
        scanHits: [dropin('/etc/ssh/sshd_config.d/pw.conf', 'PasswordAuthentication', 'yes', 1)],
      }),
    ),
    [],
  );
});

test('the sshd_config reader keeps judged keywords and Includes with their lines and Match state', (t) => {
  t.deepEqual(parseSshdConfig('Include a.conf b/*.conf\r\n  PasswordAuthentication "yes" # note\nMatch Group x\nPermitEmptyPasswords yes\n'), [
    { keyword: 'Include', value: 'a.conf b/*.conf', line: 1, global: true },
    { keyword: 'PasswordAuthentication', value: 'yes', line: 2, global: true },
    { keyword: 'PermitEmptyPasswords', value: 'yes', line: 4, global: false },
  ]);
  t.true(includeMatches('sshd_config.d/*.conf', '/etc/ssh/sshd_config.d/x.conf'));
  t.false(includeMatches('/etc/ssh/sshd_config.d/*.conf', '/etc/ssh/sshd_config.d/x.conf.bak'));
});

test('the sshd-config scanner reports the global directives of drop-ins, read from a layer tar', async (t) => {
  const tar = await layerTar([
    file('etc/ssh/sshd_config.d/50-cloud-init.conf', 'PasswordAuthentication yes\nMatch User git\n  PermitRootLogin yes\n'),
    file('etc/ssh/sshd_config.d/notes.txt', 'PermitRootLogin yes\n'),
    file('etc/ssh/sshd_config.d/sub/x.conf', 'PermitRootLogin yes\n'),
    file('etc/ssh/sshd_config', 'PermitRootLogin yes\n'),
  ]);
  const layer = await readLayer(chunked(tar, 100), { wants: () => false, maxBytes: 0, paths: [], scanners: [sshdConfigScanner] });
  t.deepEqual(layer.hits, [
    { scanner: 'sshd-config', kind: 'PasswordAuthentication', path: '/etc/ssh/sshd_config.d/50-cloud-init.conf', line: 1, excerpt: 'yes' },
  ]);
});
