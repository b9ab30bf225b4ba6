import test from 'ava';
import { emptyGlobalOptions, parseBool, splitArgv, splitDockerCommandLine } from '../../../src/plugin/argv.js';

// As the docker CLI execs a plugin: its own argv minus argv[0].
const viaDocker = (...args: string[]) => splitArgv(['securitypolicy', ...args]);

test('docker securitypolicy check img: no global options, our arguments after the name', (t) => {
  t.deepEqual(viaDocker('check', 'img'), {
    kind: 'command',
    global: emptyGlobalOptions(),
    rest: ['check', 'img'],
    viaDocker: true,
  });
});

test('every docker global option before the name is read', (t) => {
  const split = splitArgv([
    '-H', 'tcp://1.2.3.4:2375',
    '--config', '/d',
    '--tls', '--tlsverify',
    '--tlscacert', 'ca', '--tlscert', 'cert', '--tlskey', 'key',
    '-D', '-l', 'debug',
    'securitypolicy', 'check', 'img',
  ]);
  t.deepEqual(split.global, {
    hosts: ['tcp://1.2.3.4:2375'],
    configDir: '/d',
    tls: true,
    tlsVerify: true,
    tlsCaCert: 'ca',
    tlsCert: 'cert',
    tlsKey: 'key',
    debug: true,
    logLevel: 'debug',
  });
  t.deepEqual(split.rest, ['check', 'img']);
  t.true(split.viaDocker);
});

test('--context and its shorthand -c', (t) => {
  t.is(splitArgv(['--context', 'x', 'securitypolicy']).global.context, 'x');
  t.is(splitArgv(['--context=x', 'securitypolicy']).global.context, 'x');
  t.is(splitArgv(['-c', 'x', 'securitypolicy']).global.context, 'x');
});

test('--host=VALUE and --host VALUE', (t) => {
  t.deepEqual(splitArgv(['--host=tcp://h:1', 'securitypolicy']).global.hosts, ['tcp://h:1']);
  t.deepEqual(splitArgv(['--host', 'tcp://h:1', 'securitypolicy']).global.hosts, ['tcp://h:1']);
});

test('pflag shorthand forms: -H VALUE, -HVALUE, -H=VALUE', (t) => {
  for (const args of [['-H', 'tcp://h:1'], ['-Htcp://h:1'], ['-H=tcp://h:1']]) {
    t.deepEqual(splitArgv([...args, 'securitypolicy', 'check']).global.hosts, ['tcp://h:1'], args.join(' '));
  }
});

test('pflag shorthand groups: -DH VALUE sets debug and the host; -Dl VALUE debug and the level', (t) => {
  const a = splitArgv(['-DH', 'tcp://h:1', 'securitypolicy']).global;
  t.true(a.debug);
  t.deepEqual(a.hosts, ['tcp://h:1']);
  const b = splitArgv(['-Dlwarn', 'securitypolicy']).global;
  t.true(b.debug);
  t.is(b.logLevel, 'warn');
});

test('repeated -H are all kept, in order (endpoint resolution rejects more than one)', (t) => {
  t.deepEqual(splitArgv(['-H', 'a', '--host=b', 'securitypolicy']).global.hosts, ['a', 'b']);
});

test('boolean options take =VALUE as Go parses booleans', (t) => {
  const g = splitArgv(['--tls=false', '--tlsverify=0', '--debug=True', 'securitypolicy']).global;
  t.is(g.tls, false);
  t.is(g.tlsVerify, false);
  t.true(g.debug);
  t.false(splitArgv(['-D=false', 'securitypolicy']).global.debug);
});

test('TLS options not given stay undefined, so the environment can decide', (t) => {
  const g = viaDocker('check').global;
  t.is(g.tls, undefined);
  t.is(g.tlsVerify, undefined);
});

test('after the plugin name, --config and -H belong to our command', (t) => {
  const split = splitArgv(['--config', '/docker', 'securitypolicy', 'check', '--config', 'policy.yaml', '-H', 'x', 'img']);
  t.is(split.global.configDir, '/docker');
  t.deepEqual(split.global.hosts, []);
  t.deepEqual(split.rest, ['check', '--config', 'policy.yaml', '-H', 'x', 'img']);
});

test('a -- before the plugin name ends docker\'s options; after it, it is ours', (t) => {
  const before = splitArgv(['-D', '--', 'securitypolicy', 'check', 'img']);
  t.true(before.viaDocker);
  t.true(before.global.debug);
  t.deepEqual(before.rest, ['check', 'img']);
  t.deepEqual(viaDocker('check', '--', '-weird-image-name').rest, ['check', '--', '-weird-image-name']);
});

test('a value that looks like the plugin name is a value, not the name', (t) => {
  const split = splitArgv(['--context', 'securitypolicy', 'securitypolicy', 'check']);
  t.is(split.global.context, 'securitypolicy');
  t.deepEqual(split.rest, ['check']);
});

test('docker help securitypolicy [cmd] asks for our help', (t) => {
  t.deepEqual(splitArgv(['help', 'securitypolicy']).rest, ['--help']);
  t.deepEqual(splitArgv(['-D', 'help', 'securitypolicy', 'check']).rest, ['check', '--help']);
  t.deepEqual(splitArgv(['--help', 'securitypolicy']).rest, ['--help']);
  t.deepEqual(splitArgv(['-h', 'securitypolicy', 'check']).rest, ['check', '--help']);
});

test('standalone: docker-security-policy check img keeps every argument', (t) => {
  t.deepEqual(splitArgv(['check', 'img']), {
    kind: 'command',
    global: emptyGlobalOptions(),
    rest: ['check', 'img'],
    viaDocker: false,
  });
});

test('standalone: --version and --help are ours', (t) => {
  t.deepEqual(splitArgv(['--version']).rest, ['--version']);
  t.false(splitArgv(['--version']).viaDocker);
  t.deepEqual(splitArgv(['--help']).rest, ['--help']);
  t.deepEqual(splitArgv([]).rest, []);
});

test('standalone: docker-looking options without the plugin name are left to our command', (t) => {
  const split = splitArgv(['--config', 'policy.yaml', 'check', 'img']);
  t.false(split.viaDocker);
  t.deepEqual(split.global, emptyGlobalOptions());
  t.deepEqual(split.rest, ['--config', 'policy.yaml', 'check', 'img']);
});

test('standalone: an option docker does not have, or one missing its value, means not docker\'s form', (t) => {
  t.false(splitArgv(['--format', 'json', 'securitypolicy']).viaDocker);
  t.false(splitArgv(['-H']).viaDocker);
  t.false(splitArgv(['--tls=maybe', 'securitypolicy']).viaDocker);
});

test('docker-cli-plugin-metadata as first argument is the metadata query', (t) => {
  const split = splitArgv(['docker-cli-plugin-metadata']);
  t.is(split.kind, 'metadata');
  t.deepEqual(split.rest, []);
});

test('docker-cli-plugin-metadata anywhere else is an ordinary argument', (t) => {
  t.is(viaDocker('docker-cli-plugin-metadata').kind, 'command');
});

test('the docker CLI\'s own command name is passed on from DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND', (t) => {
  const env = { DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND: '/usr/bin/docker' };
  t.is(splitArgv(['securitypolicy', 'check'], { env }).dockerCliCommand, '/usr/bin/docker');
  t.is(splitArgv(['securitypolicy', 'check'], { env: {} }).dockerCliCommand, undefined);
});

test('the plugin name can be changed in one place', (t) => {
  const split = splitArgv(['-D', 'secpolicy', 'check'], { pluginName: 'secpolicy' });
  t.true(split.viaDocker);
  t.deepEqual(split.rest, ['check']);
});

test('parseBool accepts exactly Go\'s spellings', (t) => {
  for (const v of ['1', 't', 'T', 'true', 'TRUE', 'True']) t.true(parseBool(v), v);
  for (const v of ['0', 'f', 'F', 'false', 'FALSE', 'False']) t.false(parseBool(v), v);
  for (const v of ['', 'yes', 'on', 'tRUE']) t.is(parseBool(v), undefined, v);
});

test('the hook call: `NAME docker-cli-plugin-hooks JSON` via docker, and standalone', (t) => {
  const request = '{"RootCmd":"build","Flags":{},"CommandError":""}';
  t.deepEqual(viaDocker('docker-cli-plugin-hooks', request), { kind: 'hooks', global: emptyGlobalOptions(), rest: [request], viaDocker: true });
  t.deepEqual(splitArgv(['docker-cli-plugin-hooks', request]), { kind: 'hooks', global: emptyGlobalOptions(), rest: [request], viaDocker: false });
  // after another command it is just an argument
  t.is(viaDocker('check', 'docker-cli-plugin-hooks').kind, 'command');
});

test('a docker command line splits into global options and the command', (t) => {
  t.deepEqual(splitDockerCommandLine(['--context', 'prod', '-D', 'build', '-t', 'x', '.']), {
    global: { ...emptyGlobalOptions(), context: 'prod', debug: true },
    command: ['build', '-t', 'x', '.'],
  });
  t.is(splitDockerCommandLine(['--nope', 'build']), undefined);
  t.is(splitDockerCommandLine(['--help', 'build']), undefined);
});
