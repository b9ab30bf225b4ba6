// The plugin launcher's body (scripts/plugin-launcher.sh), run by sh as the
// installed launcher runs it, with a stand-in `node` that reports how it was started.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAUNCHER = fileURLToPath(new URL('../../../../scripts/plugin-launcher.sh', import.meta.url));

const bin = mkdtempSync(join(tmpdir(), 'dsp-launcher-'));
process.on('exit', () => rmSync(bin, { recursive: true, force: true }));
writeFileSync(join(bin, 'node'), '#!/bin/sh\nprintf "args=%s\\n" "$*"\nprintf "NODE_EXTRA_CA_CERTS=%s\\n" "${NODE_EXTRA_CA_CERTS-unset}"\nprintf "DSP_EXTRA_CA_CERTS=%s\\n" "${DSP_EXTRA_CA_CERTS-unset}"\n');
chmodSync(join(bin, 'node'), 0o755);

function launch(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('sh', [LAUNCHER, ...args], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, launch_metadata: '{"SchemaVersion":"0.1.0"}', launch_node: '/nonexistent/node', launch_flags: '--expose-gc --no-memory-reducer', launch_main: '/lib/dsp/main.js', ...env },
  });
}

test('the metadata query is answered without starting node', (t) => {
  t.is(launch(['docker-cli-plugin-metadata']), '{"SchemaVersion":"0.1.0"}\n');
});

test('a command starts node with the flags and the program, and its arguments as given', (t) => {
  t.regex(launch(['securitypolicy', 'check', '--format', 'json', 'app:1']), /^args=--expose-gc --no-memory-reducer \/lib\/dsp\/main.js securitypolicy check --format json app:1$/m);
});

test('check starts node without NODE_EXTRA_CA_CERTS (parsed at every start-up) and passes its path as DSP_EXTRA_CA_CERTS', (t) => {
  const out = launch(['securitypolicy', 'check', 'app:1'], { NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem' });
  t.regex(out, /^NODE_EXTRA_CA_CERTS=unset$/m);
  t.regex(out, /^DSP_EXTRA_CA_CERTS=\/etc\/ssl\/corp.pem$/m);
});

test('db keeps NODE_EXTRA_CA_CERTS: its downloads go through Node\'s default CAs', (t) => {
  const out = launch(['securitypolicy', 'db', 'update'], { NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem' });
  t.regex(out, /^NODE_EXTRA_CA_CERTS=\/etc\/ssl\/corp.pem$/m);
  t.regex(out, /^DSP_EXTRA_CA_CERTS=unset$/m);
});

test('without NODE_EXTRA_CA_CERTS nothing is set', (t) => {
  t.regex(launch(['securitypolicy', 'check', 'app:1']), /^NODE_EXTRA_CA_CERTS=unset\nDSP_EXTRA_CA_CERTS=unset$/m);
});

test("the docker CLI's hook call after a failed command exits 0 without starting node", (t) => {
  t.is(launch(['securitypolicy', 'docker-cli-plugin-hooks', '{"RootCmd":"build","CommandError":"exit status 1"}']), '');
  t.regex(launch(['securitypolicy', 'docker-cli-plugin-hooks', '{"RootCmd":"build","CommandError":""}']), /^args=.*docker-cli-plugin-hooks/m);
});
