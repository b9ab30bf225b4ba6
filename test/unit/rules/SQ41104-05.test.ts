import test from 'ava';
import { BOUNDARY_UNKNOWN_NOTE } from '../../../src/policies/history.js';
import { ALPINE_BASE, DEBIAN_BASE, findingsOf } from '../helpers/facts.js';

test('SQ41104 fires on a second CMD in the own build, reporting the superseded step', (t) => {
  const [f, ...rest] = findingsOf('SQ41104', {
    history: [...DEBIAN_BASE, 'CMD ["npm" "run" "dev"]', 'COPY . /app # buildkit', 'CMD ["node" "server.js"]'],
  });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: 'CMD ["npm", "run", "dev"]' });
  t.false(f!.inherited);
  t.falsy(f!.warnOnly);
  t.is(
    f!.message,
    'CMD at step 2 (CMD ["npm", "run", "dev"]) is superseded by step 4 (CMD ["node", "server.js"]); the build has 2 CMD instructions and only the last takes effect',
  );
});

test('SQ41104 reports every superseded CMD of the classic builder, not the last', (t) => {
  const findings = findingsOf('SQ41104', {
    history: [
      ...ALPINE_BASE,
      '/bin/sh -c #(nop)  CMD ["a"]',
      '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]',
      '/bin/sh -c #(nop)  CMD ["c"]',
    ],
    boundarySource: 'base-image',
  });
  t.deepEqual(findings.map((f) => f.location.kind === 'history' && f.location.index), [2, 3]);
  t.regex(findings[1]!.message, /the build has 3 CMD instructions/);
});

test('SQ41104 does not count the base image\'s CMD', (t) => {
  t.deepEqual(findingsOf('SQ41104', { history: [...DEBIAN_BASE, 'COPY . /app # buildkit', 'CMD ["node" "server.js"]'] }), []);
});

test('SQ41104 does not count a HEALTHCHECK\'s CMD as a CMD step', (t) => {
  t.deepEqual(
    findingsOf('SQ41104', {
      history: [
        ...DEBIAN_BASE,
        `HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/"] "30s" "3s" "0s" "0s" '\\x03'}`,
        'CMD ["node" "server.js"]',
      ],
    }),
    [],
  );
});

test('SQ41104 only warns, and says why, when the base-image boundary is unknown', (t) => {
  const [f] = findingsOf('SQ41104', {
    history: ['/bin/sh -c #(nop) ADD file:3b5e in / ', '/bin/sh -c #(nop)  CMD ["bash"]', 'COPY . /app # buildkit', 'CMD ["node" "server.js"]'],
    boundarySource: 'unknown',
  });
  t.true(f!.warnOnly);
  t.false(f!.inherited);
  t.true(f!.message.includes(`(${BOUNDARY_UNKNOWN_NOTE})`));
  t.true(f!.message.includes("base-image boundary unknown: these may include the base image's steps"));
});

test('SQ41104 only warns when the boundary comes from timestamps (a hint)', (t) => {
  const [f] = findingsOf('SQ41104', {
    history: [...DEBIAN_BASE, 'CMD ["a"]', 'CMD ["b"]'],
    boundarySource: 'timestamps',
  });
  t.true(f!.warnOnly);
});

test('SQ41105 fires on a second ENTRYPOINT in the own build', (t) => {
  const [f, ...rest] = findingsOf('SQ41105', {
    history: [...DEBIAN_BASE, 'ENTRYPOINT ["/docker-entrypoint.sh"]', '/bin/sh -c #(nop)  ENTRYPOINT ["/usr/local/bin/app"]'],
    boundarySource: 'dockerfile',
  });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: 'ENTRYPOINT ["/docker-entrypoint.sh"]' });
  t.regex(f!.message, /^ENTRYPOINT at step 2 .* is superseded by step 3 \(ENTRYPOINT \["\/usr\/local\/bin\/app"\]\)/);
});

test('SQ41105 does not fire on one own ENTRYPOINT after the base image\'s ENTRYPOINT', (t) => {
  t.deepEqual(
    findingsOf('SQ41105', {
      history: [...DEBIAN_BASE, { createdBy: 'ENTRYPOINT ["/base-entry"]', inherited: true }, 'ENTRYPOINT ["/app"]'],
    }),
    [],
  );
});

test('SQ41105 does not fire on a CMD and an ENTRYPOINT together', (t) => {
  t.deepEqual(findingsOf('SQ41105', { history: [...DEBIAN_BASE, 'ENTRYPOINT ["/app"]', 'CMD ["--help"]'] }), []);
});

test('SQ41104 fires once on two own classic CMD steps, on the superseded one', (t) => {
  const [f, ...rest] = findingsOf('SQ41104', {
    history: [...ALPINE_BASE, '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]', '/bin/sh -c #(nop) WORKDIR /app', '/bin/sh -c #(nop)  CMD ["/app/run"]'],
  });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'history', index: 2, instruction: 'CMD ["sh", "-c", "x"]' });
  t.falsy(f!.warnOnly);
  t.false(f!.inherited);
});

test('SQ41104 stays silent on one own BuildKit CMD after the base image\'s classic CMD', (t) => {
  t.deepEqual(findingsOf('SQ41104', { history: [...ALPINE_BASE, 'WORKDIR /app', 'CMD ["sh" "-c" "x"]'], boundarySource: 'base-image' }), []);
});

test('SQ41104 does not count a classic HEALTHCHECK CMD-SHELL as a CMD step', (t) => {
  t.deepEqual(
    findingsOf('SQ41104', {
      history: [
        ...DEBIAN_BASE,
        `/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/"] "30s" "3s" "0s" '\\x03'}`,
        '/bin/sh -c #(nop)  CMD ["sh" "-c" "x"]',
      ],
    }),
    [],
  );
});

test('SQ41105 only warns, with the boundary note, when the boundary is unknown and the base\'s ENTRYPOINT is counted', (t) => {
  const [f, ...rest] = findingsOf('SQ41105', {
    history: ['', '/bin/sh -c #(nop)  ENTRYPOINT ["/docker-entrypoint.sh"]', 'COPY a /a # buildkit', 'ENTRYPOINT ["/app"]'],
    boundarySource: 'unknown',
  });
  t.is(rest.length, 0);
  t.true(f!.warnOnly);
  t.is(f!.location.kind === 'history' ? f!.location.index : -1, 1);
  t.is(
    f!.message,
    'ENTRYPOINT at step 1 (ENTRYPOINT ["/docker-entrypoint.sh"]) is superseded by step 3 (ENTRYPOINT ["/app"]); ' +
      `the build has 2 ENTRYPOINT instructions and only the last takes effect (${BOUNDARY_UNKNOWN_NOTE})`,
  );
});

test('SQ41105 only warns, with the boundary note, when the boundary was guessed from timestamps', (t) => {
  const [f] = findingsOf('SQ41105', {
    history: [...DEBIAN_BASE, 'ENTRYPOINT ["/a"]', 'ENTRYPOINT ["/b"]'],
    boundarySource: 'timestamps',
  });
  t.true(f!.warnOnly);
  t.true(f!.message.endsWith(`(${BOUNDARY_UNKNOWN_NOTE})`));
});

test('SQ41104 and SQ41105 fail normally (no warnOnly, no note) once the boundary is known', (t) => {
  for (const source of ['base-image', 'dockerfile', 'local-image'] as const) {
    const spec = { history: [...DEBIAN_BASE, 'CMD ["a"]', 'ENTRYPOINT ["/a"]', 'CMD ["b"]', 'ENTRYPOINT ["/b"]'], boundarySource: source };
    for (const policy of ['SQ41104', 'SQ41105']) {
      const [f, ...rest] = findingsOf(policy, spec);
      t.is(rest.length, 0, `${policy} ${source}`);
      t.falsy(f!.warnOnly, `${policy} ${source}`);
      t.false(f!.message.includes(BOUNDARY_UNKNOWN_NOTE), `${policy} ${source}`);
    }
  }
});
