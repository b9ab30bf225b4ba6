import test from 'ava';
import { copyDestination, copySources, exposedPortsOf, parseArgvList, parseCreatedBy } from '../../../src/image/instruction.js';
import type { Instruction } from '../../../src/image/facts.js';

const HEX = '6c2a8cd3b3b8a3e6c0a3f9ad4b2e0e1b4f5c7d8e9f0a1b2c3d4e5f60718293a4';

function parsed(createdBy: string): Instruction {
  const i = parseCreatedBy(createdBy);
  if (!i) throw new Error(`not parsed: ${createdBy}`);
  return i;
}

test('classic exec-form CMD: `/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]`', (t) => {
  t.deepEqual(parsed('/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]'), {
    keyword: 'CMD',
    args: '["sh" "-c" "x"]',
    form: 'exec',
    argv: ['sh', '-c', 'x'],
    builder: 'classic',
    display: 'CMD ["sh", "-c", "x"]',
  });
});

test('classic shell-form CMD and ENTRYPOINT are recorded as `/bin/sh -c` argv', (t) => {
  // The classic builder stores the shell form already wrapped.
  const cmd = parsed('/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "node server.js"]');
  t.is(cmd.form, 'exec');
  t.deepEqual(cmd.argv, ['/bin/sh', '-c', 'node server.js']);
  const ep = parsed('/bin/sh -c #(nop)  ENTRYPOINT ["/docker-entrypoint.sh"]');
  t.like(ep, { keyword: 'ENTRYPOINT', form: 'exec', builder: 'classic' });
  t.deepEqual(ep.argv, ['/docker-entrypoint.sh']);
});

test('classic COPY/ADD record `<kind>:<hash> in <dest>`: the destination is read, trailing space ignored', (t) => {
  const copy = parsed(`/bin/sh -c #(nop) COPY file:${HEX} in rel/ `);
  t.like(copy, { keyword: 'COPY', builder: 'classic', form: 'none', args: `file:${HEX} in rel/` });
  t.is(copyDestination(copy), 'rel/');
  t.deepEqual(copySources(copy), [`file:${HEX}`]);
  t.is(copyDestination(parsed(`/bin/sh -c #(nop) COPY dir:${HEX} in /app `)), '/app');
  t.is(copyDestination(parsed(`/bin/sh -c #(nop) COPY multi:${HEX} in /usr/local/bin/ `)), '/usr/local/bin/');
  const add = parsed(`/bin/sh -c #(nop) ADD file:${HEX} in / `);
  t.like(add, { keyword: 'ADD', builder: 'classic' });
  t.is(copyDestination(add), '/');
});

test('classic RUN with build args: `|2 A=1 B=2 /bin/sh -c make`', (t) => {
  t.deepEqual(parsed('|2 A=1 B=2 /bin/sh -c make'), {
    keyword: 'RUN',
    args: '/bin/sh -c make',
    form: 'shell',
    builder: 'classic',
    display: 'RUN make',
  });
  t.like(parsed('/bin/sh -c apt-get update && apt-get install -y curl'), {
    keyword: 'RUN',
    builder: 'classic',
    display: 'RUN apt-get update && apt-get install -y curl',
  });
  t.like(parsed('|1 EMPTY= /bin/sh -c true'), { keyword: 'RUN', display: 'RUN true' });
});

test('classic RUN with a build arg whose value has spaces is still a RUN', (t) => {
  // The classic builder joins `|N`, each `NAME=value` and the command with spaces, values unquoted.
  t.like(parseCreatedBy('|1 MSG=hello world /bin/sh -c echo "$MSG"'), { keyword: 'RUN', display: 'RUN echo "$MSG"', builder: 'classic' });
});

test('classic metadata steps: WORKDIR, ENV, LABEL, USER, EXPOSE, HEALTHCHECK, Windows `cmd /S /C`', (t) => {
  t.like(parsed('/bin/sh -c #(nop) WORKDIR /app'), { keyword: 'WORKDIR', args: '/app', builder: 'classic', display: 'WORKDIR /app' });
  t.like(parsed('/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/usr/bin'), { keyword: 'ENV', args: 'PATH=/usr/local/bin:/usr/bin' });
  t.like(parsed('/bin/sh -c #(nop)  USER app'), { keyword: 'USER', args: 'app' });
  const expose = parsed('/bin/sh -c #(nop)  EXPOSE 22/tcp 80/tcp');
  t.deepEqual(exposedPortsOf(expose.args), ['22/tcp', '80/tcp']);
  const exposeMap = parsed('/bin/sh -c #(nop)  EXPOSE map[3389/tcp:{}]');
  t.deepEqual(exposedPortsOf(exposeMap.args), ['3389/tcp']);
  t.is(exposeMap.display, 'EXPOSE 3389/tcp');
  t.like(parsed('/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "3s" "0s" \'\\x03\'}'), {
    keyword: 'HEALTHCHECK',
    form: 'none',
    builder: 'classic',
  });
  const win = parsed('cmd /S /C #(nop)  CMD ["app.exe"]');
  t.like(win, { keyword: 'CMD', builder: 'classic', form: 'exec' });
  t.deepEqual(win.argv, ['app.exe']);
});

test('BuildKit COPY with flags: `COPY --chown=1:1 a b rel/ # buildkit`', (t) => {
  const copy = parsed('COPY --chown=1:1 a b rel/ # buildkit');
  t.like(copy, { keyword: 'COPY', args: '--chown=1:1 a b rel/', builder: 'buildkit', form: 'none', display: 'COPY --chown=1:1 a b rel/' });
  t.is(copyDestination(copy), 'rel/');
  t.deepEqual(copySources(copy), ['a', 'b']);
  const from = parsed('COPY --from=build --chmod=755 /out/app /usr/local/bin/app # buildkit');
  t.is(copyDestination(from), '/usr/local/bin/app');
  t.deepEqual(copySources(from), ['/out/app']);
  const json = parsed('COPY ["my file.txt","dest dir/"] # buildkit');
  t.is(copyDestination(json), 'dest dir/');
  t.deepEqual(copySources(json), ['my file.txt']);
});

test('BuildKit RUN with build args: `RUN |1 X=y /bin/sh -c echo # buildkit`', (t) => {
  t.deepEqual(parsed('RUN |1 X=y /bin/sh -c echo # buildkit'), {
    keyword: 'RUN',
    args: '|1 X=y /bin/sh -c echo',
    form: 'shell',
    builder: 'buildkit',
    display: 'RUN echo',
  });
  t.like(parsed('RUN /bin/sh -c apk add --no-cache curl # buildkit'), { keyword: 'RUN', form: 'shell', display: 'RUN apk add --no-cache curl' });
});

test('BuildKit EXPOSE records Go\'s map syntax: `EXPOSE map[22/tcp:{} 80/tcp:{}]`', (t) => {
  const expose = parsed('EXPOSE map[22/tcp:{} 80/tcp:{}]');
  t.like(expose, { keyword: 'EXPOSE', builder: 'buildkit', display: 'EXPOSE 22/tcp 80/tcp' });
  t.deepEqual(exposedPortsOf(expose.args), ['22/tcp', '80/tcp']);
  t.deepEqual(exposedPortsOf('map[]'), []);
  t.deepEqual(exposedPortsOf('8080'), ['8080']);
  t.deepEqual(exposedPortsOf('map[53/udp:{}]'), ['53/udp']);
});

test('BuildKit HEALTHCHECK records a Go struct: `HEALTHCHECK &{["CMD-SHELL" "x"] …}`', (t) => {
  t.like(parsed('HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "5m0s" "3s" "0s" "0s" \'\\x00\'}'), {
    keyword: 'HEALTHCHECK',
    builder: 'buildkit',
    form: 'none',
  });
  t.like(parsed('HEALTHCHECK &{["NONE"] "0s" "0s" "0s" "0s" \'\\x00\'}'), { keyword: 'HEALTHCHECK' });
});

test('BuildKit ADD of a URL: `ADD https://x/y.tgz /opt/ # buildkit`', (t) => {
  const add = parsed('ADD https://x/y.tgz /opt/ # buildkit');
  t.like(add, { keyword: 'ADD', args: 'https://x/y.tgz /opt/', builder: 'buildkit' });
  t.is(copyDestination(add), '/opt/');
  t.deepEqual(copySources(add), ['https://x/y.tgz']);
});

test('BuildKit metadata steps carry no suffix: CMD, ENTRYPOINT, WORKDIR, USER, ENV, LABEL, SHELL, STOPSIGNAL', (t) => {
  const cmd = parsed('CMD ["/bin/sh" "-c" "node server.js"]');
  t.like(cmd, { keyword: 'CMD', form: 'exec', builder: 'buildkit' });
  t.deepEqual(cmd.argv, ['/bin/sh', '-c', 'node server.js']);
  t.like(parsed('ENTRYPOINT ["docker-entrypoint.sh"]'), { keyword: 'ENTRYPOINT', form: 'exec' });
  t.like(parsed('WORKDIR /app'), { keyword: 'WORKDIR', args: '/app', form: 'none' });
  t.like(parsed('USER 1000:1000'), { keyword: 'USER', args: '1000:1000' });
  t.like(parsed('ENV NODE_ENV=production'), { keyword: 'ENV' });
  t.like(parsed('LABEL org.opencontainers.image.source=https://x'), { keyword: 'LABEL' });
  const shell = parsed('SHELL ["/bin/bash" "-o" "pipefail" "-c"]');
  t.deepEqual(shell.argv, ['/bin/bash', '-o', 'pipefail', '-c']);
  t.like(parsed('STOPSIGNAL SIGQUIT'), { keyword: 'STOPSIGNAL', args: 'SIGQUIT' });
  t.like(parsed('CMD'), { keyword: 'CMD', args: '', display: 'CMD' });
});

test('Go-escaped quotes, backslashes and control characters in argv are unescaped', (t) => {
  const cmd = parsed('CMD ["sh" "-c" "echo \\"hi there\\" \\\\ done"]');
  t.deepEqual(cmd.argv, ['sh', '-c', 'echo "hi there" \\ done']);
  t.deepEqual(parsed('ENTRYPOINT ["printf" "a\\tb\\n" "\\x1b[0m" "caf\\u00e9" "\\U0001F600"]').argv, ['printf', 'a\tb\n', '\x1b[0m', 'café', '😀']);
  // JSON (comma-separated) too.
  t.deepEqual(parsed('/bin/sh -c #(nop)  CMD ["a","b c"]').argv, ['a', 'b c']);
  t.is(parsed('CMD ["a" "b\\"c"]').display, 'CMD ["a", "b\\"c"]');
});

test('parseArgvList rejects what is not a list of quoted strings', (t) => {
  t.deepEqual(parseArgvList('[]'), []);
  t.is(parseArgvList('echo hi'), undefined);
  t.is(parseArgvList('[a b]'), undefined);
  t.is(parseArgvList('["unterminated]'), undefined);
  t.deepEqual(parseArgvList(' ["x" ] '), ['x']);
});

test('what is not an instruction parses to null: imports, commits, free text', (t) => {
  t.is(parseCreatedBy(''), null);
  t.is(parseCreatedBy('   '), null);
  t.is(parseCreatedBy('bash'), null);
  t.is(parseCreatedBy('bazel build //app:image'), null);
  t.is(parseCreatedBy('Imported from -'), null);
});

test('copyDestination is only for COPY and ADD', (t) => {
  t.is(copyDestination(parsed('WORKDIR /app')), undefined);
  t.is(copyDestination(parsed('COPY onlyone # buildkit')), undefined);
});

test('classic steps under a custom SHELL are still recognised: RUN and #(nop) instructions', (t) => {
  const run = parseCreatedBy('/bin/bash -o pipefail -c set -x && make');
  t.is(run?.keyword, 'RUN');
  t.is(run?.display, 'RUN set -x && make');
  const cmd = parseCreatedBy('/bin/bash -o pipefail -c #(nop)  CMD ["app"]');
  t.is(cmd?.keyword, 'CMD');
  t.deepEqual(cmd?.argv, ['app']);
  t.is(parseCreatedBy('pwsh -Command Install-Module x')?.keyword, 'RUN');
});
