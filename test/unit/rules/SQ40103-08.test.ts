import test from 'ava';
import { parsePortSpec, portSpecIncludes, startedPrograms } from '../../../src/policies/rules/SQ40103-08-remote-access-ports.js';
import { ALPINE_BASE, DEBIAN_BASE, contextWith, findingsOf, makeFacts } from '../helpers/facts.js';
import { allRules } from '../../../src/policies/rules/index.js';

const portRule = allRules.find((r) => r.ids.includes('SQ40104'))!;
const ports = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, {}]));

test('SQ40104 fires on EXPOSE 22 and locates the EXPOSE step (BuildKit)', (t) => {
  const [f, ...rest] = findingsOf('SQ40104', {
    config: { ExposedPorts: ports(['22/tcp', '80/tcp']) },
    history: [...DEBIAN_BASE, 'RUN /bin/sh -c apt-get install -y nginx # buildkit', 'EXPOSE map[22/tcp:{} 80/tcp:{}]'],
  });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.ExposedPorts', historyIndex: 3, instruction: 'EXPOSE 22/tcp 80/tcp' });
  t.deepEqual(f!.subject, { port: '22/tcp' });
  t.false(f!.inherited);
  t.regex(f!.message, /^Exposes 22\/tcp \(SSH: /);
  t.regex(f!.message, /set by step 3 \(EXPOSE 22\/tcp 80\/tcp\)/);
});

test('SQ40104 locates a classic-builder EXPOSE written as a map or as a plain list', (t) => {
  for (const createdBy of ['/bin/sh -c #(nop)  EXPOSE 22/tcp', '/bin/sh -c #(nop)  EXPOSE map[22/tcp:{}]']) {
    const [f] = findingsOf('SQ40104', { config: { ExposedPorts: ports(['22/tcp']) }, history: [...DEBIAN_BASE, createdBy] });
    t.is(f!.location.kind === 'config' ? f!.location.historyIndex : -1, 2, createdBy);
  }
});

test('SQ40104 locates the latest EXPOSE step that exposed the port', (t) => {
  const [f] = findingsOf('SQ40104', {
    config: { ExposedPorts: ports(['22/tcp', '8080/tcp']) },
    history: [...DEBIAN_BASE, 'EXPOSE map[22/tcp:{}]', 'EXPOSE map[8080/tcp:{}]', 'EXPOSE map[22/tcp:{}]', 'USER app'],
  });
  t.is(f!.location.kind === 'config' ? f!.location.historyIndex : -1, 4);
});

test('SQ40104 fires on an EXPOSE inherited from the base image and marks it inherited', (t) => {
  const [f] = findingsOf('SQ40104', {
    config: { ExposedPorts: ports(['22/tcp']) },
    history: [...DEBIAN_BASE, { createdBy: '/bin/sh -c #(nop)  EXPOSE 22/tcp', inherited: true }, 'COPY app /app # buildkit'],
  });
  t.true(f!.inherited);
  t.regex(f!.message, /set by the base image at step 2/);
});

test('SQ40103 fires on a bare port number (EXPOSE 21 means 21/tcp)', (t) => {
  const [f] = findingsOf('SQ40103', { config: { ExposedPorts: ports(['21']) }, history: ['EXPOSE 21'] });
  t.deepEqual(f!.subject, { port: '21/tcp' });
  t.regex(f!.message, /Exposes 21\/tcp \(FTP: logins and files travel in clear text\)/);
});

test('SQ40103, SQ40104 and SQ40105 all fire on an expanded range 20-23/tcp, naming the range', (t) => {
  const spec = { config: { ExposedPorts: ports(['20-23/tcp']) }, history: [...ALPINE_BASE, 'EXPOSE map[20-23/tcp:{}]'] };
  for (const [policy, port] of [['SQ40103', '21/tcp'], ['SQ40104', '22/tcp'], ['SQ40105', '23/tcp']] as const) {
    const [f, ...rest] = findingsOf(policy, spec);
    t.is(rest.length, 0, policy);
    t.deepEqual(f!.subject, { port }, policy);
    t.regex(f!.message, /through the range 20-23\/tcp/, policy);
    t.is(f!.location.kind === 'config' ? f!.location.historyIndex : -1, 2, policy);
  }
});

test('SQ40106 fires on 513/tcp and SQ40107 on 514/tcp', (t) => {
  const spec = { config: { ExposedPorts: ports(['513/tcp', '514/tcp']) } };
  t.deepEqual(findingsOf('SQ40106', spec).map((f) => f.subject?.port), ['513/tcp']);
  t.deepEqual(findingsOf('SQ40107', spec).map((f) => f.subject?.port), ['514/tcp']);
});

test('SQ40108 fires on RDP over tcp and over udp, once per port', (t) => {
  const findings = findingsOf('SQ40108', { config: { ExposedPorts: ports(['3389/tcp', '3389/udp']) } });
  t.deepEqual(findings.map((f) => f.subject?.port), ['3389/tcp', '3389/udp']);
  t.regex(findings[0]!.message, /\(RDP: /);
});

test('no remote-access policy fires on 514/udp (syslog), 513/udp (rwho) or related ports 20, 990, 2222, 512', (t) => {
  const facts = makeFacts({
    config: { ExposedPorts: ports(['514/udp', '513/udp', '20/tcp', '990/tcp', '2222/tcp', '512/tcp', '22/udp', '80']) },
  });
  t.deepEqual(portRule.evaluate(facts, contextWith()), []);
});

test('no remote-access policy fires without exposed ports or daemons', (t) => {
  t.deepEqual(portRule.evaluate(makeFacts({ config: { Cmd: ['nginx', '-g', 'daemon off;'], ExposedPorts: null } }), contextWith()), []);
});

test('SQ40104 mentions that the command also starts sshd when the port is exposed', (t) => {
  const [f] = findingsOf('SQ40104', {
    config: { ExposedPorts: ports(['22/tcp']), Cmd: ['/usr/sbin/sshd', '-D'] },
    history: [...DEBIAN_BASE, 'EXPOSE map[22/tcp:{}]', 'CMD ["/usr/sbin/sshd" "-D"]'],
  });
  t.regex(f!.message, /its Cmd also starts sshd$/);
});

test('SQ40104 fires when the Cmd starts sshd without EXPOSE, located at the CMD step', (t) => {
  const [f, ...rest] = findingsOf('SQ40104', {
    config: { Cmd: ['/usr/sbin/sshd', '-D'] },
    history: [...DEBIAN_BASE, 'RUN /bin/sh -c apt-get install -y openssh-server # buildkit', 'CMD ["/usr/sbin/sshd" "-D"]'],
  });
  t.is(rest.length, 0);
  t.regex(f!.message, /^Starts sshd \(SSH server: .*\) from its Cmd without EXPOSE 22\/tcp; it may still listen on 22\/tcp/);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Cmd', historyIndex: 3, instruction: 'CMD ["/usr/sbin/sshd", "-D"]' });
  t.deepEqual(f!.subject, { port: '22/tcp' });
});

test('SQ40105 fires when a shell-form entrypoint script execs in.telnetd', (t) => {
  const [f] = findingsOf('SQ40105', {
    config: { Entrypoint: ['/bin/sh', '-c', 'mkdir -p /run && exec /usr/sbin/in.telnetd -debug'] },
    history: ['/bin/sh -c #(nop)  ENTRYPOINT ["/bin/sh" "-c" "mkdir -p /run && exec /usr/sbin/in.telnetd -debug"]'],
  });
  t.regex(f!.message, /Starts in\.telnetd .* from its Entrypoint/);
  t.is(f!.location.kind === 'config' ? f!.location.field : '', 'Config.Entrypoint');
});

test('SQ40103 sees an FTP daemon behind tini and gosu', (t) => {
  const [f] = findingsOf('SQ40103', { config: { Entrypoint: ['tini', '--'], Cmd: ['gosu', 'ftp', 'vsftpd', '/etc/vsftpd.conf'] } });
  t.regex(f!.message, /Starts vsftpd/);
});

test('no daemon finding when a daemon name only appears as an argument', (t) => {
  t.deepEqual(portRule.evaluate(makeFacts({ config: { Cmd: ['echo', 'sshd'] } }), contextWith()), []);
  t.deepEqual(portRule.evaluate(makeFacts({ config: { Cmd: ['/bin/sh', '-c', 'grep sshd /etc/services'] } }), contextWith()), []);
});

test('port specs: bare port is tcp, ranges include their ends, protocols must match', (t) => {
  t.deepEqual(parsePortSpec('22'), { from: 22, to: 22, proto: 'tcp' });
  t.deepEqual(parsePortSpec('3389/UDP'), { from: 3389, to: 3389, proto: 'udp' });
  t.is(parsePortSpec('abc'), undefined);
  t.true(portSpecIncludes(parsePortSpec('20-23/tcp'), '23/tcp'));
  t.false(portSpecIncludes(parsePortSpec('20-23/udp'), '22/tcp'));
  t.true(portSpecIncludes(parsePortSpec('1-65535'), '3389/tcp'));
});

test('started programs: wrappers skipped, each command of a shell script considered', (t) => {
  t.deepEqual(startedPrograms(['/usr/bin/dumb-init', '--', '/usr/sbin/sshd', '-D']), ['sshd']);
  t.deepEqual(startedPrograms(['sh', '-c', 'ssh-keygen -A; /usr/sbin/sshd -D']), ['ssh-keygen', 'sshd']);
  t.deepEqual(startedPrograms(['cmd', '/S', '/C', 'xrdp.exe']), ['xrdp.exe']);
  t.deepEqual(startedPrograms([]), []);
});

// Classic builder (engine 20.10): the EXPOSE step keeps the words as written (ranges
// kept, sorted); Config.ExposedPorts holds the expanded port/proto keys.
const CLASSIC_EXPOSE = '/bin/sh -c #(nop)  EXPOSE 20-23 22 2222 3389/udp 513';
const CLASSIC_SPEC = {
  config: { ExposedPorts: ports(['20/tcp', '21/tcp', '22/tcp', '23/tcp', '2222/tcp', '3389/udp', '513/tcp']) },
  history: [...DEBIAN_BASE, CLASSIC_EXPOSE, '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]'],
};

test('SQ40104 fires on EXPOSE 22 and points at the EXPOSE step (classic, ranges kept)', (t) => {
  const [f, ...rest] = findingsOf('SQ40104', CLASSIC_SPEC);
  t.is(rest.length, 0);
  t.deepEqual(f!.location, {
    kind: 'config',
    field: 'Config.ExposedPorts',
    historyIndex: 2,
    instruction: 'EXPOSE 20-23 22 2222 3389/udp 513',
  });
  t.deepEqual(f!.subject, { port: '22/tcp' });
  t.is(
    f!.message,
    'Exposes 22/tcp (SSH: a remote shell into the container, often with baked-in keys); set by step 2 (EXPOSE 20-23 22 2222 3389/udp 513)',
  );
});

test('one classic EXPOSE 20-23 22 2222 3389/udp 513 fires FTP, SSH, Telnet, rlogin and RDP, each at the EXPOSE step', (t) => {
  const findings = portRule.evaluate(makeFacts(CLASSIC_SPEC), contextWith());
  t.deepEqual(
    findings.map((f) => [f.policy, f.subject?.port]),
    [
      ['SQ40103', '21/tcp'],
      ['SQ40104', '22/tcp'],
      ['SQ40105', '23/tcp'],
      ['SQ40106', '513/tcp'],
      ['SQ40108', '3389/udp'],
    ],
  );
  t.true(findings.every((f) => f.location.kind === 'config' && f.location.historyIndex === 2 && !f.inherited));
});

test('SQ40103 fires on BuildKit EXPOSE map[20/tcp:{} 21/tcp:{}] (expanded) and only for 21', (t) => {
  const findings = portRule.evaluate(
    makeFacts({ config: { ExposedPorts: ports(['20/tcp', '21/tcp']) }, history: [...ALPINE_BASE, 'EXPOSE map[20/tcp:{} 21/tcp:{}]'] }), contextWith());
  t.deepEqual(findings.map((f) => [f.policy, f.subject?.port]), [['SQ40103', '21/tcp']]);
  t.deepEqual(findings[0]!.location, { kind: 'config', field: 'Config.ExposedPorts', historyIndex: 2, instruction: 'EXPOSE 20/tcp 21/tcp' });
});

test('SQ40103 fires on a bare ExposedPorts key ("21", tcp per the OCI spec) without calling it a range', (t) => {
  const [f] = findingsOf('SQ40103', { config: { ExposedPorts: ports(['21']) } });
  t.deepEqual(f!.subject, { port: '21/tcp' });
  t.is(f!.message, 'Exposes 21/tcp (FTP: logins and files travel in clear text)');
});

test('SQ40105 fires on 23/tcp exposed through a range key, naming the range', (t) => {
  const [f] = findingsOf('SQ40105', { config: { ExposedPorts: ports(['20-23/tcp']) } });
  t.is(f!.message, 'Exposes 23/tcp (Telnet: logins travel in clear text) through the range 20-23/tcp');
});

test('SQ40107 stays silent on 514/udp (syslog)', (t) => {
  t.deepEqual(
    findingsOf('SQ40107', { config: { ExposedPorts: ports(['514/udp']) }, history: [...DEBIAN_BASE, 'EXPOSE map[514/udp:{}]'] }),
    [],
  );
});

test('SQ40107 fires on 514/tcp (rsh) and points at the EXPOSE step', (t) => {
  const [f] = findingsOf('SQ40107', { config: { ExposedPorts: ports(['514/tcp']) }, history: [...DEBIAN_BASE, '/bin/sh -c #(nop)  EXPOSE 514'] });
  t.deepEqual(f!.subject, { port: '514/tcp' });
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.ExposedPorts', historyIndex: 2, instruction: 'EXPOSE 514' });
});

test('SQ40106 stays silent on 513/udp (rwho)', (t) => {
  t.deepEqual(findingsOf('SQ40106', { config: { ExposedPorts: ports(['513/udp']) }, history: ['/bin/sh -c #(nop)  EXPOSE 513/udp'] }), []);
});

test('SQ40108 fires on 3389/udp alone', (t) => {
  const [f, ...rest] = findingsOf('SQ40108', { config: { ExposedPorts: ports(['3389/udp']) }, history: ['EXPOSE map[3389/udp:{}]'] });
  t.is(rest.length, 0);
  t.deepEqual(f!.subject, { port: '3389/udp' });
  t.is(f!.location.kind === 'config' ? f!.location.instruction : '', 'EXPOSE 3389/udp');
});

test('SQ40104 stays silent on 2222 (SSH moved to another port) and SQ40103 on 20 (FTP data)', (t) => {
  const spec = { config: { ExposedPorts: ports(['2222/tcp', '20/tcp']) }, history: ['/bin/sh -c #(nop)  EXPOSE 20 2222'] };
  t.deepEqual(findingsOf('SQ40104', spec), []);
  t.deepEqual(findingsOf('SQ40103', spec), []);
});

test('SQ40104 reports an EXPOSE 22 inherited from the base image, marked inherited, although the own build exposes 8080', (t) => {
  const [f, ...rest] = findingsOf('SQ40104', {
    config: { ExposedPorts: ports(['22/tcp', '8080/tcp']) },
    history: [...DEBIAN_BASE, { createdBy: '/bin/sh -c #(nop)  EXPOSE 22', inherited: true }, 'EXPOSE map[8080/tcp:{}]'],
  });
  t.is(rest.length, 0);
  t.true(f!.inherited);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.ExposedPorts', historyIndex: 2, instruction: 'EXPOSE 22' });
  t.is(f!.message, 'Exposes 22/tcp (SSH: a remote shell into the container, often with baked-in keys); set by the base image at step 2 (EXPOSE 22)');
});
