// The two rule lists: config rules run on every check; layer rules judge only
// what the layers hold, so a config-only run does not load them. These cases
// hold each rule to the list it is in.
import test from 'ava';
import { configRules } from '../../../src/policies/rules/config-rules.js';
import { layerRules } from '../../../src/policies/rules/layer-rules.js';
import { allRules } from '../../../src/policies/rules/index.js';
import { loadRules } from '../../../src/policies/rules/load.js';
import { contextWith, makeFacts, DEBIAN_BASE } from '../helpers/facts.js';

// An image whose config and history trip every config rule there is: root,
// remote-access ports, sshd started, a secret in ENV and in a RUN, ADD, shell-form
// CMD, two ENTRYPOINTs, a relative COPY, an upgrade, a :latest base, no HEALTHCHECK.
const everythingInTheConfig = makeFacts({
  config: {
    Env: ['PATH=/usr/bin', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ExposedPorts: { '21/tcp': {}, '22/tcp': {}, '23/tcp': {}, '512/tcp': {}, '514/tcp': {}, '3389/tcp': {} },
    Entrypoint: ['/usr/sbin/sshd', '-D'],
    Cmd: ['/bin/sh', '-c', 'vsftpd'],
  },
  history: [
    ...DEBIAN_BASE,
    'ADD https://example.com/app.tgz /opt/ # buildkit',
    'RUN /bin/sh -c apt-get update && apt-get upgrade -y # buildkit',
    'RUN /bin/sh -c curl -u admin:s3cr3tPassw0rd https://example.com/x # buildkit',
    'COPY app rel/ # buildkit',
    'ENTRYPOINT ["/bin/true"]',
    'ENTRYPOINT ["/usr/sbin/sshd" "-D"]',
    'CMD ["/bin/sh" "-c" "vsftpd"]',
  ],
  reference: 'example/app:latest',
  layersRead: false,
});

test('the config rules find something in an image whose layers were not read (the case below is not empty)', (t) => {
  const policies = new Set(configRules.flatMap((r) => r.evaluate(everythingInTheConfig, contextWith())).map((f) => f.policy));
  for (const id of ['SQ40101', 'SQ40104', 'SQ41101', 'SQ41102', 'SQ41105', 'DSP10302']) t.true(policies.has(id), `${id} fires from the config alone`);
});

test('no layer rule finds anything when the layers were not read, however bad the config: config-only runs need not load them', (t) => {
  for (const rule of layerRules) t.deepEqual(rule.evaluate(everythingInTheConfig, contextWith()), [], rule.ids.join(','));
});

test('every layer rule asks for files, contents or scanners', (t) => {
  for (const rule of layerRules) {
    const { files, contents = [], scanners = [] } = rule.needs;
    t.true(files === true || contents.length > 0 || scanners.length > 0, rule.ids.join(','));
  }
});

test('the two lists together are every rule, none in both', (t) => {
  t.deepEqual(allRules, [...configRules, ...layerRules]);
  const configIds = new Set(configRules.flatMap((r) => r.ids));
  t.deepEqual(layerRules.flatMap((r) => r.ids).filter((id) => configIds.has(id)), []);
});

const ids = (rules: { ids: string[] }[]) => rules.flatMap((r) => r.ids).sort();

test('--no-layers loads the config rules only', async (t) => {
  t.deepEqual(ids(await loadRules({ layers: false, enabledPolicies: ['SQ40101', 'SQ40102'] })), ids(configRules));
});

test('a run whose enabled policies are all config policies loads the config rules only', async (t) => {
  t.deepEqual(ids(await loadRules({ layers: true, enabledPolicies: ['SQ41101', 'DSP10302'] })), ids(configRules));
});

test('a run with a layer policy enabled loads every rule', async (t) => {
  t.deepEqual(ids(await loadRules({ layers: true, enabledPolicies: ['SQ41101', 'SQ40102'] })), ids(allRules));
});
