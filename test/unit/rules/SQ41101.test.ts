import test from 'ava';
import { DEBIAN_BASE, IMPORTED_BASE, findingsOf } from '../helpers/facts.js';

const CURL = `HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/"] "30s" "3s" "0s" "0s" '\\x03'}`;

test('SQ41101 fires when there is no HEALTHCHECK, located at Config.Healthcheck', (t) => {
  const [f, ...rest] = findingsOf('SQ41101', { config: { Cmd: ['nginx'] }, history: [...DEBIAN_BASE, 'CMD ["nginx"]'] });
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Healthcheck' });
  t.false(f!.inherited);
  t.regex(f!.message, /^No HEALTHCHECK is defined/);
});

test('SQ41101 fires when the healthcheck test is empty', (t) => {
  t.is(findingsOf('SQ41101', { config: { Healthcheck: { Test: [] } } }).length, 1);
  t.is(findingsOf('SQ41101', { config: { Healthcheck: { Test: null } } }).length, 1);
  t.is(findingsOf('SQ41101', { config: { Healthcheck: null } }).length, 1);
});

test('SQ41101 fires on HEALTHCHECK NONE in the own build and locates that step (BuildKit)', (t) => {
  const [f] = findingsOf('SQ41101', {
    config: { Healthcheck: { Test: ['NONE'] } },
    history: [
      ...DEBIAN_BASE,
      { createdBy: CURL, inherited: true },
      `HEALTHCHECK &{["NONE"] "0s" "0s" "0s" "0s" '\\x00'}`,
      'COPY app /app # buildkit',
    ],
  });
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Healthcheck', historyIndex: 3, instruction: 'HEALTHCHECK NONE' });
  t.false(f!.inherited);
  t.regex(f!.message, /^HEALTHCHECK NONE at step 3 \(HEALTHCHECK NONE\) disables health checking/);
});

test('SQ41101 marks a HEALTHCHECK NONE that came from the base image (classic builder) as inherited', (t) => {
  const [f] = findingsOf('SQ41101', {
    config: { Healthcheck: { Test: ['NONE'] } },
    history: [...DEBIAN_BASE, { createdBy: `/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" '\\x00'}`, inherited: true }, 'COPY app /app # buildkit'],
  });
  t.true(f!.inherited);
  t.regex(f!.message, /base-image step 2/);
});

test('SQ41101 does not fire when the own build defines a HEALTHCHECK', (t) => {
  t.deepEqual(
    findingsOf('SQ41101', {
      config: { Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/'], Interval: 30e9, Retries: 3 } },
      history: [...DEBIAN_BASE, CURL],
    }),
    [],
  );
});

test('SQ41101 does not fire when the HEALTHCHECK is inherited from the base image', (t) => {
  t.deepEqual(
    findingsOf('SQ41101', {
      config: { Healthcheck: { Test: ['CMD', '/healthcheck'] } },
      history: [...DEBIAN_BASE, { createdBy: `HEALTHCHECK &{["CMD" "/healthcheck"] "0s" "0s" "0s" "0s" '\\x00'}`, inherited: true }, 'COPY app /app # buildkit'],
    }),
    [],
  );
});

test('SQ41101 fires when the own build turns an inherited probe off with a classic HEALTHCHECK NONE', (t) => {
  const [f, ...rest] = findingsOf('SQ41101', {
    config: { Healthcheck: { Test: ['NONE'] } },
    history: [
      ...DEBIAN_BASE,
      { createdBy: `/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/"] "30s" "3s" "0s" '\\x03'}`, inherited: true },
      `/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" '\\x00'}`,
    ],
  });
  t.is(rest.length, 0);
  t.false(f!.inherited);
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Healthcheck', historyIndex: 3, instruction: 'HEALTHCHECK NONE' });
});

test('SQ41101 stays silent when the own build replaces an inherited HEALTHCHECK NONE with a probe', (t) => {
  t.deepEqual(
    findingsOf('SQ41101', {
      config: { Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/'], Interval: 30e9, Timeout: 3e9, Retries: 3 } },
      history: [...DEBIAN_BASE, { createdBy: `/bin/sh -c #(nop)  HEALTHCHECK &{["NONE"] "0s" "0s" "0s" '\\x00'}`, inherited: true }, CURL],
    }),
    [],
  );
});

test('SQ41101 fires on an imported root filesystem, which has no config at all', (t) => {
  const [f] = findingsOf('SQ41101', { history: [...IMPORTED_BASE] });
  t.deepEqual(f!.location, { kind: 'config', field: 'Config.Healthcheck' });
  t.false(f!.inherited);
});
