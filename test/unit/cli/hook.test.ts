// `hook install` / `hook uninstall` on config.json contents: our keys only.
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HOOK_COMMANDS, FEATURE_MARKER, hookStatus, installHookKeys, normaliseCommands, pluginsWithHooks, runHook, uninstallHookKeys } from '../../../src/cli/hook.js';
import { emptyGlobalOptions } from '../../../src/plugin/argv.js';
import type { JsonObject } from '../../../src/plugin/docker-config-file.js';

const userConfig = (): JsonObject => ({
  auths: { 'registry.example.com': { auth: 'dXNlcjpwYXNz' } },
  credHelpers: { 'gcr.io': 'gcloud' },
  currentContext: 'remote',
  plugins: { scout: { hooks: 'pull,build' }, securitypolicy: { color: 'never' } },
  psFormat: 'table {{.ID}}',
});

test('install adds the hook list and turns hooks on; everything else stays', (t) => {
  const c = userConfig();
  const r = installHookKeys(c, 'securitypolicy');
  t.deepEqual(r, { changed: true, commands: DEFAULT_HOOK_COMMANDS, turnedOn: true });
  t.deepEqual(c, {
    ...userConfig(),
    plugins: { scout: { hooks: 'pull,build' }, securitypolicy: { color: 'never', hooks: DEFAULT_HOOK_COMMANDS, [FEATURE_MARKER]: 'unset' } },
    features: { hooks: 'true' },
  });
  t.false(installHookKeys(c, 'securitypolicy').changed, 'twice is once');
});

test('install then uninstall gives back the original, key for key', (t) => {
  for (const original of [userConfig(), {}, { features: { hooks: 'false', 'containerd-snapshotter': 'true' } }, { features: { hooks: 'true' } }]) {
    const c = structuredClone(original) as JsonObject;
    installHookKeys(c, 'securitypolicy');
    t.is((c.features as JsonObject).hooks, 'true');
    t.true(uninstallHookKeys(c, 'securitypolicy').changed);
    t.deepEqual(c, original);
  }
});

test('uninstall puts features.hooks back as it was, unless the user changed it since', (t) => {
  const c: JsonObject = {};
  installHookKeys(c, 'securitypolicy');
  (c.plugins as JsonObject).scout = { hooks: 'pull' };
  t.deepEqual(uninstallHookKeys(c, 'securitypolicy'), { changed: true, turnedOff: true });
  t.deepEqual(c, { plugins: { scout: { hooks: 'pull' } } });
  t.deepEqual(pluginsWithHooks(c, 'securitypolicy'), ['scout']);

  const d: JsonObject = { features: { hooks: 'false' } };
  installHookKeys(d, 'securitypolicy');
  (d.features as JsonObject).hooks = '1'; // the user's own change since
  uninstallHookKeys(d, 'securitypolicy');
  t.deepEqual(d, { features: { hooks: '1' } });
});

test('uninstall with nothing of ours changes nothing', (t) => {
  const c = userConfig();
  t.deepEqual(uninstallHookKeys(c, 'securitypolicy'), { changed: false, turnedOff: false });
  t.deepEqual(c, userConfig());
});

test('an existing hook list is kept unless --commands says otherwise', (t) => {
  const c: JsonObject = { plugins: { securitypolicy: { hooks: 'build' } }, features: { hooks: 'true' } };
  t.deepEqual(installHookKeys(c, 'securitypolicy'), { changed: false, commands: 'build', turnedOn: false });
  t.deepEqual(installHookKeys(c, 'securitypolicy', 'build,compose build'), { changed: true, commands: 'build,compose build', turnedOn: false });
});

test('Go-style case-insensitive keys are edited where docker reads them', (t) => {
  const c: JsonObject = { Features: { x: 'y' }, Plugins: {} };
  installHookKeys(c, 'securitypolicy');
  t.deepEqual(Object.keys(c), ['Features', 'Plugins']);
  t.is((c.Features as JsonObject).hooks, 'true');
  uninstallHookKeys(c, 'securitypolicy');
  t.deepEqual(c, { Features: { x: 'y' } });
});

test('status reads as the docker CLI decides: DOCKER_CLI_HOOKS, DOCKER_CLI_HINTS, then features.hooks', (t) => {
  const c: JsonObject = {};
  t.deepEqual(hookStatus(c, 'securitypolicy', {}), { enabled: false, enabledBy: 'features.hooks is not set' });
  installHookKeys(c, 'securitypolicy');
  t.like(hookStatus(c, 'securitypolicy', {}), { commands: DEFAULT_HOOK_COMMANDS, enabled: true });
  t.like(hookStatus(c, 'securitypolicy', { DOCKER_CLI_HOOKS: 'false' }), { enabled: false, enabledBy: 'DOCKER_CLI_HOOKS' });
  t.like(hookStatus(c, 'securitypolicy', { DOCKER_CLI_HINTS: 'nonsense' }), { enabled: false, enabledBy: 'DOCKER_CLI_HINTS' });
});

test('--commands is normalised: the CLI neither trims entries nor skips empty ones', (t) => {
  t.is(normaliseCommands(' build , buildx   build,,build'), 'build,buildx build');
  t.throws(() => normaliseCommands(' , '), { message: /at least one/ });
});

test('runHook install/uninstall on a real file keeps auths, credHelpers and other hooks', (t) => {
  const d = mkdtempSync(join(tmpdir(), 'dsp-hookcmd-'));
  const original = JSON.stringify(userConfig(), null, '\t');
  writeFileSync(join(d, 'config.json'), original);
  const out: string[] = [];
  t.is(runHook({ action: 'install' }, { ...emptyGlobalOptions(), configDir: d }, (l) => out.push(l)), 0);
  t.regex(out.join('\n'), /Installed the post-build hook/);
  t.regex(out.join('\n'), /also runs the hooks of scout/);
  const installed = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as JsonObject;
  t.like(installed, { auths: userConfig().auths, credHelpers: userConfig().credHelpers, currentContext: 'remote', features: { hooks: 'true' } });
  t.is(((installed.plugins as JsonObject).scout as JsonObject).hooks, 'pull,build');
  t.is(runHook({ action: 'uninstall' }, { ...emptyGlobalOptions(), configDir: d }, (l) => out.push(l)), 0);
  t.is(readFileSync(join(d, 'config.json'), 'utf8'), original);
  t.is(runHook({ action: 'status' }, { ...emptyGlobalOptions(), configDir: d }, (l) => out.push(l)), 0);
  t.regex(out.at(-1)!, /not installed/);
});
