import test from 'ava';
import { execFormOf } from '../../../src/policies/rules/SQ41103-shell-form-cmd.js';
import { ALPINE_BASE, DEBIAN_BASE, IMPORTED_BASE, findingsOf } from '../helpers/facts.js';

test('SQ41103 fires on a shell-form CMD and locates the CMD step (BuildKit)', (t) => {
  const [f, ...rest] = findingsOf('SQ41103', {
    config: { Cmd: ['/bin/sh', '-c', 'node server.js'] },
    history: [...DEBIAN_BASE, 'COPY . /app # buildkit', 'CMD ["/bin/sh" "-c" "node server.js"]'],
  });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Cmd', historyIndex: 3, instruction: 'CMD ["/bin/sh", "-c", "node server.js"]' });
  t.false(f!.inherited);
  t.regex(f!.message, /^CMD runs through a shell \(step 3 .*\): \/bin\/sh -c "node server\.js"; the shell becomes PID 1/);
  t.regex(f!.message, /Use the exec form: CMD \["node", "server\.js"\]$/);
});

test('SQ41103 fires on a classic-builder shell-form CMD with shell operators, without guessing a rewrite', (t) => {
  const [f] = findingsOf('SQ41103', {
    config: { Cmd: ['/bin/sh', '-c', 'nginx -g "daemon off;" && echo done'] },
    history: [...DEBIAN_BASE, '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "nginx -g \\"daemon off;\\" && echo done"]'],
  });
  t.is(f!.location.kind === 'config' ? f!.location.historyIndex : -1, 2);
  t.regex(f!.message, /Use the exec form, CMD \["program", "arg", …\]$/);
});

test('SQ41103 fires on an explicit CMD ["/bin/sh", "-c", …] too (indistinguishable, same runtime behaviour)', (t) => {
  t.is(findingsOf('SQ41103', { config: { Cmd: ['/bin/sh', '-c', 'exec app'] }, history: ['CMD ["/bin/sh" "-c" "exec app"]'] }).length, 1);
});

test('SQ41103 follows a SHELL instruction (Config.Shell)', (t) => {
  const [f] = findingsOf('SQ41103', {
    config: { Shell: ['/bin/bash', '-o', 'pipefail', '-c'], Cmd: ['/bin/bash', '-o', 'pipefail', '-c', 'run.sh | tee log'] },
  });
  t.regex(f!.message, /\/bin\/bash -o pipefail -c "run\.sh \| tee log"/);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Cmd' });
});

test('SQ41103 fires on a Windows shell-form CMD (cmd /S /C)', (t) => {
  t.is(findingsOf('SQ41103', { os: 'windows', config: { Cmd: ['cmd', '/S', '/C', 'app.exe'] } }).length, 1);
});

test('SQ41103 marks a shell-form CMD inherited from the base image as inherited', (t) => {
  const [f] = findingsOf('SQ41103', {
    config: { Cmd: ['/bin/sh', '-c', 'httpd-foreground'] },
    history: [...ALPINE_BASE, { createdBy: '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "httpd-foreground"]', inherited: true }, 'COPY site /var/www # buildkit'],
  });
  t.true(f!.inherited);
  t.regex(f!.message, /base-image step 2/);
});

test('SQ41103 says the ENTRYPOINT receives the shell when one is set', (t) => {
  const [f] = findingsOf('SQ41103', { config: { Entrypoint: ['/entrypoint.sh'], Cmd: ['/bin/sh', '-c', 'serve'] } });
  t.regex(f!.message, /the ENTRYPOINT receives the shell and its command line as arguments/);
});

test('SQ41103 does not fire on an exec-form CMD', (t) => {
  t.deepEqual(findingsOf('SQ41103', { config: { Cmd: ['node', 'server.js'] }, history: ['CMD ["node" "server.js"]'] }), []);
  t.deepEqual(findingsOf('SQ41103', { config: { Cmd: ['bash'] }, history: [...DEBIAN_BASE] }), []);
});

test('SQ41103 does not fire on a shell invoked with extra arguments, a shell-form ENTRYPOINT, or no CMD', (t) => {
  t.deepEqual(findingsOf('SQ41103', { config: { Cmd: ['/bin/sh', '-c', 'echo $0', 'name'] } }), []);
  t.deepEqual(findingsOf('SQ41103', { config: { Entrypoint: ['/bin/sh', '-c', 'serve'], Cmd: null } }), []);
  t.deepEqual(findingsOf('SQ41103', { config: {} }), []);
});

test('exec-form rewrite is offered only for simple command lines', (t) => {
  t.is(execFormOf('node server.js --port 80'), 'CMD ["node", "server.js", "--port", "80"]');
  t.is(execFormOf('echo $HOME'), undefined);
  t.is(execFormOf('a && b'), undefined);
});

test('SQ41103 points at the last CMD step when several set Cmd (the one in effect)', (t) => {
  const [f] = findingsOf('SQ41103', {
    config: { Cmd: ['/bin/sh', '-c', 'x'] },
    history: [...DEBIAN_BASE, '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "y"]', 'COPY a /a # buildkit', '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "x"]'],
  });
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Cmd', historyIndex: 4, instruction: 'CMD ["/bin/sh", "-c", "x"]' });
  t.false(f!.inherited);
  t.is(
    f!.message,
    'CMD runs through a shell (step 4 (CMD ["/bin/sh", "-c", "x"])): /bin/sh -c "x"; the shell becomes PID 1 and does not pass on stop signals. Use the exec form: CMD ["x"]',
  );
});

test('SQ41103 stays silent on CMD ["sh" "-c" "x"] of both builders: exec form, it does not start with Config.Shell (/bin/sh -c)', (t) => {
  for (const createdBy of ['/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]', 'CMD ["sh" "-c" "x"]']) {
    t.deepEqual(findingsOf('SQ41103', { config: { Cmd: ['sh', '-c', 'x'] }, history: [...DEBIAN_BASE, createdBy] }), [], createdBy);
  }
});

test('SQ41103 stays silent when an own ENTRYPOINT cleared the inherited shell-form CMD (Config.Cmd is null)', (t) => {
  t.deepEqual(
    findingsOf('SQ41103', {
      config: { Entrypoint: ['/bin/echo'], Cmd: null },
      history: [...DEBIAN_BASE, { createdBy: '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "echo base"]', inherited: true }, 'ENTRYPOINT ["/bin/echo"]'],
    }),
    [],
  );
});

test('SQ41103 fires on Windows cmd /S /C and points at the CMD step; exec form there stays silent', (t) => {
  const [f] = findingsOf('SQ41103', {
    os: 'windows',
    config: { Cmd: ['cmd', '/S', '/C', 'app.exe --serve'] },
    history: ['CMD ["cmd" "/S" "/C" "app.exe --serve"]'],
  });
  t.regex(f!.message, /^CMD runs through a shell \(step 0 .*\): cmd \/S \/C "app\.exe --serve"/);
  t.is(f!.location.kind === 'config' ? f!.location.historyIndex : -1, 0);
  t.deepEqual(findingsOf('SQ41103', { os: 'windows', config: { Cmd: ['app.exe', '--serve'] } }), []);
});

test('SQ41103 follows a Windows SHELL ["powershell", "-Command"]', (t) => {
  const [f] = findingsOf('SQ41103', {
    os: 'windows',
    config: { Shell: ['powershell', '-Command'], Cmd: ['powershell', '-Command', 'Start-Service w3svc'] },
  });
  t.regex(f!.message, /powershell -Command "Start-Service w3svc"/);
});

test('SQ41103 stays silent when no CMD is set anywhere (imported root filesystem)', (t) => {
  t.deepEqual(findingsOf('SQ41103', { config: { Cmd: null }, history: [...IMPORTED_BASE] }), []);
});
