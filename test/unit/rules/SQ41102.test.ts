import test from 'ava';
import { ALPINE_BASE, DEBIAN_BASE, IMPORTED_BASE, contentHash, findingsOf } from '../helpers/facts.js';

test('SQ41102 fires on ADD of a URL in the own build, naming the URL and the step', (t) => {
  const [f, ...rest] = findingsOf('SQ41102', { history: [...DEBIAN_BASE, 'ADD https://x/y.tgz /opt/ # buildkit'] });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: 'ADD https://x/y.tgz /opt/' });
  t.false(f!.inherited);
  t.is(f!.message, 'Uses ADD at step 2 (ADD https://x/y.tgz /opt/) to /opt/: downloads https://x/y.tgz at build time (the remote content can change)');
});

test('SQ41102 fires on ADD of a git repository', (t) => {
  const [f] = findingsOf('SQ41102', { history: [...ALPINE_BASE, 'ADD git@github.com:acme/tool.git /src # buildkit'] });
  t.regex(f!.message, /clones git@github\.com:acme\/tool\.git at build time/);
});

test('SQ41102 fires on ADD of a local tar archive, saying it is auto-extracted', (t) => {
  const [f] = findingsOf('SQ41102', { history: [...ALPINE_BASE, 'ADD --chown=app app.tar.gz /srv/ # buildkit'] });
  t.regex(f!.message, /auto-extracts app\.tar\.gz/);
});

test('SQ41102 fires on a classic-builder ADD, which records only a content hash', (t) => {
  const [f] = findingsOf('SQ41102', { history: [...DEBIAN_BASE, '/bin/sh -c #(nop) ADD file:0a1b2c3d in /app/ '] });
  t.regex(f!.message, /Uses ADD at step 2 \(ADD file:0a1b2c3d in \/app\/\) to \/app\/: adds build-context content \(the classic builder records only its hash\)/);
});

test('SQ41102 reports each own ADD step separately', (t) => {
  const findings = findingsOf('SQ41102', {
    history: [...DEBIAN_BASE, 'ADD conf /etc/app/ # buildkit', 'RUN /bin/sh -c make # buildkit', 'ADD bin /usr/local/bin/ # buildkit'],
  });
  t.deepEqual(findings.map((f) => f.location.kind === 'history' && f.location.index), [2, 4]);
});

test('SQ41102 fires on an ADD to / that is not the first layer', (t) => {
  const [f] = findingsOf('SQ41102', { history: [...DEBIAN_BASE, 'ADD overlay.tar / # buildkit'] });
  t.truthy(f);
});

test('SQ41102 does not fire on the rootfs ADD to / that made layer 0, even with the boundary unknown', (t) => {
  t.deepEqual(
    findingsOf('SQ41102', {
      history: ['/bin/sh -c #(nop) ADD file:3b5e4c8ad0e1f2a7c6d9 in / ', '/bin/sh -c #(nop)  CMD ["bash"]', 'COPY app /app # buildkit'],
      boundarySource: 'unknown',
    }),
    [],
  );
  t.deepEqual(findingsOf('SQ41102', { history: ['ADD rootfs.tar.xz / # buildkit', 'CMD ["/bin/sh"]'], boundarySource: 'dockerfile' }), []);
});

test('SQ41102 reports an ADD step of the base image marked inherited (so it warns; the fix lies in the base)', (t) => {
  const [f, ...rest] = findingsOf('SQ41102', {
    history: [...DEBIAN_BASE, { createdBy: 'ADD https://x/y.tgz /opt/ # buildkit', inherited: true }, 'COPY app /app # buildkit'],
  });
  t.is(rest.length, 0);
  t.true(f!.inherited);
  t.regex(f!.message, /^Uses ADD at the base image's step 2 \(ADD https:\/\/x\/y\.tgz \/opt\/\) to \/opt\/: downloads/);
});

test('SQ41102 does not fire on COPY', (t) => {
  t.deepEqual(findingsOf('SQ41102', { history: [...DEBIAN_BASE, 'COPY app.tar.gz /opt/ # buildkit', '/bin/sh -c #(nop) COPY file:0a1b2c in /x '] }), []);
});

const ROOTFS = `/bin/sh -c #(nop) ADD file:${contentHash('rootfs')} in / `;

test('SQ41102 stays silent on the classic rootfs ADD file:<sha256> in / that made layer 0', (t) => {
  t.deepEqual(findingsOf('SQ41102', { history: [ROOTFS, '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]'], boundarySource: 'unknown' }), []);
  t.deepEqual(findingsOf('SQ41102', { history: [{ createdBy: ROOTFS, inherited: true }, 'COPY a rel/ # buildkit'] }), []);
});

test('SQ41102 fires on a classic ADD to / on top of an imported root filesystem (not layer 0)', (t) => {
  const [f, ...rest] = findingsOf('SQ41102', { history: [...IMPORTED_BASE, ROOTFS] });
  t.is(rest.length, 0);
  t.false(f!.inherited);
  // The message shortens the 64-hex hash; the location keeps the whole instruction.
  t.deepEqual(f!.location, { kind: 'history', index: 1, instruction: `ADD file:${contentHash('rootfs')} in /` });
  t.regex(f!.message, /^Uses ADD at step 1 \(ADD file:[0-9a-f]+…\) to \/: adds build-context content/);
});

test('SQ41102 reports a base image\'s second ADD (classic, to /) marked inherited', (t) => {
  const [f, ...rest] = findingsOf('SQ41102', {
    history: [
      { createdBy: ROOTFS, inherited: true },
      { createdBy: `/bin/sh -c #(nop) ADD file:${contentHash('overlay')} in / `, inherited: true },
      { createdBy: '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]', inherited: true },
      'COPY a rel/ # buildkit',
    ],
  });
  t.is(rest.length, 0);
  t.true(f!.inherited);
  t.is(f!.location.kind === 'history' ? f!.location.index : -1, 1);
  t.regex(f!.message, /^Uses ADD at the base image's step 1 /);
});

test('SQ41102 fires on a classic ADD --chown=…file:<hash> and names its target', (t) => {
  const [f] = findingsOf('SQ41102', { history: [...DEBIAN_BASE, `/bin/sh -c #(nop) ADD --chown=app:appfile:${contentHash('srv')} in /srv/ `] });
  t.regex(f!.message, / to \/srv\/: adds build-context content/);
});

test('SQ41102 on an ADD of a URL in the own build marks it own and mentions the download', (t) => {
  const [f] = findingsOf('SQ41102', {
    history: [...DEBIAN_BASE, 'WORKDIR /app', 'ADD https://x/y.tgz /opt/ # buildkit', 'RUN /bin/sh -c chmod u+s /x # buildkit'],
    boundarySource: 'dockerfile',
  });
  t.false(f!.inherited);
  t.is(f!.location.kind === 'history' ? f!.location.index : -1, 3);
  t.true(f!.message.includes('downloads https://x/y.tgz at build time'));
});
