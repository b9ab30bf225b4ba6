import test from 'ava';
import { DEBIAN_BASE, IMPORTED_BASE, contentHash, findingsOf } from '../helpers/facts.js';

test('SQ41106 fires on COPY to a relative target with no WORKDIR (BuildKit)', (t) => {
  const [f, ...rest] = findingsOf('SQ41106', { history: [...DEBIAN_BASE, 'COPY a rel/ # buildkit'] });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: 'COPY a rel/' });
  t.false(f!.inherited);
  t.is(
    f!.message,
    'COPY at step 2 (COPY a rel/) writes to the relative path "rel/" but no WORKDIR is set before it, so the files land under the default directory /',
  );
});

test('SQ41106 fires on a classic-builder COPY file:<hash> in rel/', (t) => {
  const [f] = findingsOf('SQ41106', { history: [...DEBIAN_BASE, '/bin/sh -c #(nop) COPY file:0a1b2c in rel/ '] });
  t.regex(f!.message, /relative path "rel\/"/);
});

test('SQ41106 fires on COPY . . and on COPY with flags', (t) => {
  const findings = findingsOf('SQ41106', {
    history: [...DEBIAN_BASE, 'COPY . . # buildkit', 'COPY --chown=app:app --chmod=644 conf.yaml etc/ # buildkit', 'COPY --from=build /out ./bin # buildkit'],
  });
  t.deepEqual(findings.map((f) => f.location.kind === 'history' && f.location.index), [2, 3, 4]);
});

test('SQ41106 fires when the WORKDIR comes only after the COPY', (t) => {
  const findings = findingsOf('SQ41106', { history: [...DEBIAN_BASE, 'COPY a rel/ # buildkit', 'WORKDIR /app', 'COPY b rel/ # buildkit'] });
  t.deepEqual(findings.map((f) => f.location.kind === 'history' && f.location.index), [2]);
});

test('SQ41106 resolves $VAR destinations from the image Env and names both forms', (t) => {
  const [f] = findingsOf('SQ41106', {
    config: { Env: ['PATH=/usr/bin', 'APP_DIR=app'] },
    history: [...DEBIAN_BASE, 'COPY src ${APP_DIR}/src # buildkit'],
  });
  t.regex(f!.message, /relative path "\$\{APP_DIR\}\/src" \(= "app\/src"\)/);
});

test('SQ41106 does not fire when the $VAR resolves to an absolute path, or cannot be resolved', (t) => {
  t.deepEqual(findingsOf('SQ41106', { config: { Env: ['APP_HOME=/srv/app'] }, history: [...DEBIAN_BASE, 'COPY src $APP_HOME/src # buildkit'] }), []);
  t.deepEqual(findingsOf('SQ41106', { config: { Env: [] }, history: [...DEBIAN_BASE, 'COPY src $BUILD_ARG/src # buildkit'] }), []);
});

test('SQ41106 does not fire after a WORKDIR in the own build (classic and BuildKit)', (t) => {
  t.deepEqual(findingsOf('SQ41106', { history: [...DEBIAN_BASE, '/bin/sh -c #(nop) WORKDIR /app', '/bin/sh -c #(nop) COPY file:0a1b2c in rel/ '] }), []);
  t.deepEqual(findingsOf('SQ41106', { history: [...DEBIAN_BASE, 'WORKDIR /app', 'COPY . . # buildkit'] }), []);
});

test('SQ41106 does not fire when the WORKDIR is inherited from the base image', (t) => {
  t.deepEqual(
    findingsOf('SQ41106', {
      history: [...DEBIAN_BASE, { createdBy: 'WORKDIR /usr/src/app', inherited: true }, 'COPY package.json ./ # buildkit'],
    }),
    [],
  );
});

test('SQ41106 does not fire on absolute destinations, ADD, RUN cd, or inherited COPY steps', (t) => {
  t.deepEqual(
    findingsOf('SQ41106', {
      history: [
        ...DEBIAN_BASE,
        { createdBy: 'COPY x rel/ # buildkit', inherited: true },
        'COPY a /opt/app/ # buildkit',
        '/bin/sh -c #(nop) COPY dir:9f8e in /srv ',
        'ADD b rel/ # buildkit',
        'RUN /bin/sh -c cd /app && make # buildkit',
      ],
    }),
    [],
  );
});

test('SQ41106 on Windows treats C:\\ and \\ targets as absolute and fires on relative ones', (t) => {
  const findings = findingsOf('SQ41106', {
    os: 'windows',
    history: ['COPY a C:\\app\\ # buildkit', 'COPY b \\tools\\ # buildkit', 'COPY c rel\\ # buildkit'],
  });
  t.deepEqual(findings.map((f) => f.location.kind === 'history' && f.location.index), [2]);
  t.regex(findings[0]!.message, /default directory C:\\$/);
});

const HASH = contentHash('conf');

test('SQ41106 fires on the classic COPY --chown=app:appfile:<hash> in conf/ (flag glued to the source)', (t) => {
  const [f, ...rest] = findingsOf('SQ41106', { history: [...DEBIAN_BASE, `/bin/sh -c #(nop) COPY --chown=app:appfile:${HASH} in conf/`] });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: `COPY --chown=app:appfile:${HASH} in conf/` });
  t.regex(f!.message, /writes to the relative path "conf\/" but no WORKDIR is set before it/);
});

test('SQ41106 stays silent on the classic --chown COPY after a classic WORKDIR', (t) => {
  t.deepEqual(
    findingsOf('SQ41106', {
      history: [...DEBIAN_BASE, '/bin/sh -c #(nop) WORKDIR /app', `/bin/sh -c #(nop) COPY --chown=app:appfile:${HASH} in conf/`],
    }),
    [],
  );
});

test('SQ41106 stays silent after a classic WORKDIR inherited from the base image', (t) => {
  t.deepEqual(
    findingsOf('SQ41106', {
      history: [...DEBIAN_BASE, { createdBy: '/bin/sh -c #(nop) WORKDIR /app', inherited: true }, `/bin/sh -c #(nop) COPY file:${HASH} in rel/ `],
    }),
    [],
  );
});

test('SQ41106 fires on a bare $VAR that Config.Env resolves to a relative path', (t) => {
  const [f] = findingsOf('SQ41106', { config: { Env: ['DEST=conf'] }, history: [...DEBIAN_BASE, 'COPY a $DEST/ # buildkit'] });
  t.regex(f!.message, /relative path "\$DEST\/" \(= "conf\/"\)/);
});

test('SQ41106 stays silent on ADD to a relative path (SQ41102 covers ADD), classic or BuildKit', (t) => {
  t.deepEqual(
    findingsOf('SQ41106', { history: [...DEBIAN_BASE, `/bin/sh -c #(nop) ADD file:${HASH} in rel/ `, 'ADD a rel/ # buildkit'] }),
    [],
  );
});

test('SQ41106 treats a relative WORKDIR as set', (t) => {
  t.deepEqual(findingsOf('SQ41106', { history: [...DEBIAN_BASE, 'WORKDIR app', 'COPY a rel/ # buildkit'] }), []);
});

test('SQ41106 fires on each relative COPY of the own build on top of an imported root filesystem', (t) => {
  const findings = findingsOf('SQ41106', {
    history: [...IMPORTED_BASE, `/bin/sh -c #(nop) COPY file:${HASH} in rel/ `, 'COPY b etc/ # buildkit'],
  });
  t.deepEqual(findings.map((f) => f.location.kind === 'history' && f.location.index), [1, 2]);
});
