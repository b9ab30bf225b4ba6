import test from 'ava';
import { DEBIAN_BASE, diffIdOf, findingsOf } from '../helpers/facts.js';

const INSTALL = 'RUN /bin/sh -c apt-get install -y openssh-server # buildkit';
const HISTORY = [...DEBIAN_BASE, INSTALL, 'COPY app /app # buildkit'];

test('DSP10301 fires on an installed sshd without any EXPOSE, at the layer and step that installed it', (t) => {
  const [f, ...rest] = findingsOf('DSP10301', {
    history: HISTORY,
    files: [{ path: '/usr/sbin/sshd', mode: 0o755, layerIndex: 1 }, { path: '/usr/bin/ssh', mode: 0o755, layerIndex: 1 }],
  });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    '/usr/sbin/sshd is an SSH server (a remote shell into the container); it can listen on 22/tcp whether or not the image declares EXPOSE; ' +
      'installed by layer 1, step 2 (RUN apt-get install -y openssh-server)',
  );
  t.deepEqual(f!.location, {
    kind: 'file',
    path: '/usr/sbin/sshd',
    layer: diffIdOf(1),
    layerIndex: 1,
    historyIndex: 2,
    instruction: 'RUN apt-get install -y openssh-server',
  });
  t.deepEqual(f!.subject, { path: '/usr/sbin/sshd' });
  t.false(f!.inherited);
});

test('DSP10301 reports telnetd, rshd, vsftpd and tftpd of the base image as inherited, one finding each', (t) => {
  const findings = findingsOf('DSP10301', {
    history: HISTORY,
    files: [
      { path: '/usr/sbin/in.telnetd' },
      { path: '/usr/sbin/in.rshd' },
      { path: '/usr/sbin/vsftpd' },
      { path: '/usr/sbin/in.tftpd' },
    ],
  });
  t.deepEqual(findings.map((f) => f.subject?.path).sort(), ['/usr/sbin/in.rshd', '/usr/sbin/in.telnetd', '/usr/sbin/in.tftpd', '/usr/sbin/vsftpd']);
  t.true(findings.every((f) => f.inherited));
  t.regex(findings.find((f) => f.subject?.path === '/usr/sbin/in.tftpd')!.message, /is a TFTP server \(file transfer without any authentication\); it can listen on 69\/udp/);
});

test('DSP10301 follows a symlink to its file and reports busybox-extras telnetd and ftpd linked to one binary', (t) => {
  const findings = findingsOf('DSP10301', {
    history: HISTORY,
    files: [
      { path: '/bin/busybox-extras', mode: 0o755, layerIndex: 1 },
      { path: '/usr/sbin/telnetd', type: 'symlink', linkTarget: '../../bin/busybox-extras', layerIndex: 1 },
      { path: '/usr/sbin/ftpd', type: 'symlink', linkTarget: '/bin/busybox-extras', layerIndex: 1 },
    ],
  });
  t.deepEqual(
    findings.map((f) => f.message.split(';')[0]),
    ['/usr/sbin/telnetd (a link to /bin/busybox-extras) is a Telnet server (logins travel in clear text)', '/usr/sbin/ftpd (a link to /bin/busybox-extras) is an FTP server (logins and files travel in clear text)'],
  );
});

test('DSP10301 reports dropbear once when /sbin/dropbear links to /usr/sbin/dropbear', (t) => {
  const findings = findingsOf('DSP10301', {
    history: HISTORY,
    files: [{ path: '/usr/sbin/dropbear' }, { path: '/sbin/dropbear', type: 'symlink', linkTarget: '/usr/sbin/dropbear' }],
  });
  t.deepEqual(findings.map((f) => f.subject?.path), ['/usr/sbin/dropbear']);
});

test('DSP10301 does not fire on SSH clients, a dangling alternatives link, a directory named sshd, or unread layers', (t) => {
  const files = [
    { path: '/usr/bin/ssh' },
    { path: '/usr/bin/scp' },
    { path: '/usr/bin/ftp' },
    { path: '/usr/sbin/telnetd', type: 'symlink' as const, linkTarget: '/etc/alternatives/telnetd' },
    { path: '/usr/sbin/sshd', type: 'dir' as const },
    { path: '/usr/lib/openssh/sshd-session' },
  ];
  t.deepEqual(findingsOf('DSP10301', { history: HISTORY, files }), []);
  t.deepEqual(findingsOf('DSP10301', { history: HISTORY, files: [{ path: '/usr/sbin/sshd' }], layersRead: false }), []);
});

test('DSP10302 fires when the Cmd starts sshd, at the CMD step that set it', (t) => {
  const [f, ...rest] = findingsOf('DSP10302', {
    config: { Cmd: ['/usr/sbin/sshd', '-D'] },
    history: [...HISTORY, 'CMD ["/usr/sbin/sshd" "-D"] # buildkit'],
  });
  t.is(rest.length, 0);
  t.is(
    f!.message,
    'Its Cmd starts sshd, an SSH server (a remote shell into the container), in every container: it listens on 22/tcp ' +
      'whether or not the image declares EXPOSE; set by step 4 (CMD ["/usr/sbin/sshd", "-D"])',
  );
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Cmd', historyIndex: 4, instruction: 'CMD ["/usr/sbin/sshd", "-D"]' });
  t.false(f!.inherited);
});

test('DSP10302 finds vsftpd and in.telnetd started from an entrypoint shell script behind tini', (t) => {
  const findings = findingsOf('DSP10302', {
    config: { Entrypoint: ['tini', '--', 'sh', '-c', 'vsftpd /etc/vsftpd.conf & exec in.telnetd -debug'] },
    history: HISTORY,
  });
  t.deepEqual(findings.map((f) => f.message.split(',')[0]), ['Its Entrypoint starts vsftpd', 'Its Entrypoint starts in.telnetd']);
  t.deepEqual(findings[0]!.location, { kind: 'config', field: 'Config.Entrypoint' });
});

test('DSP10302 does not fire on an application entrypoint, or on a Cmd that only runs the ssh client', (t) => {
  t.deepEqual(findingsOf('DSP10302', { config: { Entrypoint: ['/app/server'], Cmd: ['--port', '22'] }, history: HISTORY }), []);
  t.deepEqual(findingsOf('DSP10302', { config: { Cmd: ['ssh', '-N', 'tunnel@example.com'] }, history: HISTORY }), []);
});
