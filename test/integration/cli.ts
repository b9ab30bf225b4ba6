// Runs the built CLI as a user would, against the daemon DOCKER_HOST names
// (the private test daemon that `npm test` starts).
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonReport } from '../../src/report/json.js';

export const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// No user-level configuration from the machine running the tests, and a
// layer cache of the test run's own (scripts/test.sh sets one), never the user's.
const NO_USER_CONFIG = join(tmpdir(), 'dsp-test-no-user-config');
const TEST_CACHE = process.env.DSP_CACHE_DIR ?? join(tmpdir(), `dsp-test-cache-${process.pid}`);

export interface RunOptions {
  cwd?: string;
  /** A command to run the CLI under (e.g. `setpriv --reuid=nobody`). */
  prefix?: string[];
  /** Called with the process ID once it started (to signal it, or watch its I/O). */
  onSpawn?: (pid: number) => void;
}

export function run(args: string[], env: Record<string, string | undefined> = {}, options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const argv = [...(options.prefix ?? []), process.execPath, MAIN, ...args];
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: NO_USER_CONFIG, DSP_CACHE_DIR: TEST_CACHE, ...env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export async function checkJson(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: { cwd?: string } = {},
): Promise<{ run: Run; report: JsonReport }> {
  const r = await run(['check', '--format', 'json', ...args], env, options);
  let report: JsonReport;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`check did not print JSON (exit ${r.code}): ${r.stderr}`);
  }
  return { run: r, report };
}

/** Integration tests need a daemon; `npm test` provides one. */
export function daemonAvailable(): boolean {
  return Boolean(process.env.DOCKER_HOST) && process.env.DSP_FIXTURES_READY === '1';
}

import anyTest, { type TestFn } from 'ava';

/**
 * `test` for integration cases: runs them when the daemon and fixtures are
 * ready; skips them only when DSP_SKIP_INTEGRATION=1 says so; otherwise one
 * failing case says how to run them, so a missing daemon never passes silently.
 */
export function integrationTest(file: string): TestFn {
  if (daemonAvailable()) return anyTest;
  if (process.env.DSP_SKIP_INTEGRATION !== '1') {
    anyTest(`${file}: integration tests need the test daemon and fixtures (run \`npm test\`)`, (t) => {
      t.fail('DOCKER_HOST and DSP_FIXTURES_READY=1 are not set; set DSP_SKIP_INTEGRATION=1 to skip on purpose');
    });
  }
  return skipping();
}

/** A `test` whose cases are all skipped and whose hooks never run (serial cases and hooks included). */
export function skipping(): TestFn {
  const none = (): void => {};
  const skip = anyTest.skip;
  return Object.assign((...args: Parameters<typeof skip>) => skip(...args), {
    skip,
    serial: Object.assign((...args: Parameters<typeof skip>) => anyTest.serial.skip(...args), { skip: anyTest.serial.skip }),
    only: skip,
    failing: skip,
    before: none,
    beforeEach: none,
    after: Object.assign(none, { always: none }),
    afterEach: Object.assign(none, { always: none }),
    todo: anyTest.todo,
  }) as unknown as TestFn;
}
