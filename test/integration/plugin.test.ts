// The whole user path: ./install.sh into a fresh home, then the docker CLI
// runs the plugin (metadata query, global options before the plugin name),
// then ./install.sh --uninstall leaves nothing behind.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { integrationTest } from './cli.js';

const test = integrationTest('plugin');
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// The docker CLI with plugin support: the newer client when present, else the one on PATH.
const DOCKER = existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';

test.serial('install.sh installs a plugin the docker CLI runs, honouring -H before the plugin name; --uninstall removes it', async (t) => {
  const home = mkdtempSync(path.join(tmpdir(), 'dsp-home-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), DOCKER_CONFIG: path.join(home, 'docker'), NO_COLOR: '1' };
  delete env.DOCKER_HOST; // the endpoint must come from -H
  const host = process.env.DOCKER_HOST!;

  // install.sh runs `npm ci`, which would replace the node_modules this test runs from: install from a copy.
  const checkout = path.join(home, 'checkout');
  await run('bash', ['-c', `mkdir -p "$1" && tar -C "$2" --exclude=./node_modules --exclude=./dist --exclude=./.git -cf - . | tar -C "$1" -xf -`, 'copy', checkout, ROOT]);
  await run('bash', [path.join(checkout, 'install.sh')], { env, cwd: checkout, maxBuffer: 16 * 1024 * 1024 });
  const launcher = path.join(home, 'docker', 'cli-plugins', 'docker-securitypolicy');
  t.true(existsSync(launcher));
  // The copy's compiled policy catalog matches its YAML files (whose times the copy changed): no start parses YAML.
  const catalog = path.join(home, 'data', 'docker-security-policy', 'dist', 'src', 'policies', 'catalog.js');
  const current = await run(process.execPath, ['--input-type=module', '-e', 'const m = await import(process.argv[1]); process.stdout.write(String(m.compiledCatalogIsCurrent()));', pathToFileURL(catalog).href]);
  t.is(current.stdout, 'true');

  const meta = await run(launcher, ['docker-cli-plugin-metadata'], { env });
  t.like(JSON.parse(meta.stdout), { SchemaVersion: '0.1.0', Vendor: 'docker security-policy' });

  const version = await run(DOCKER, ['securitypolicy', '--version'], { env });
  t.regex(version.stdout, /^\d+\.\d+\.\d+/);

  const check = await run(DOCKER, ['-H', host, 'securitypolicy', 'check', '--format', 'json', 'dsp-fixture/clean:classic'], { env });
  const report = JSON.parse(check.stdout) as { results: Array<{ passed: boolean; findings: unknown[] }> };
  t.true(report.results[0].passed);

  const failing = await run(DOCKER, ['-H', host, 'securitypolicy', 'check', 'dsp-fixture/ports-remote:buildkit'], { env }).then(
    () => 0,
    (err: { code?: number; stdout?: string }) => {
      t.regex(err.stdout ?? '', /SQ40104/);
      return err.code ?? -1;
    },
  );
  t.is(failing, 1, 'remote-access ports fail the check through the docker CLI too');

  rmSync(checkout, { recursive: true, force: true }); // the plugin must not need the checkout
  const again = await run(DOCKER, ['securitypolicy', 'policies', 'SQ40104'], { env });
  t.regex(again.stdout, /SQ40104/);
  await run('bash', [path.join(ROOT, 'install.sh'), '--uninstall'], { env, cwd: ROOT });
  t.false(existsSync(launcher));
  t.false(existsSync(path.join(home, 'data', 'docker-security-policy')));
  t.deepEqual(readdirSync(path.join(home, 'docker', 'cli-plugins')), []);
});
