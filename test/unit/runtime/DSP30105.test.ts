import test from 'ava';
import { registryHost } from '../../../src/policies/daemon-rules/DSP30105-insecure-registries.js';
import { daemon, daemonFindings } from '../helpers/runtime-facts.js';

const registries = (InsecureRegistryCIDRs: string[], IndexConfigs: Record<string, { Name: string; Secure: boolean; Official?: boolean; Mirrors?: string[] }> = {}) =>
  daemon({
    info: {
      RegistryConfig: {
        InsecureRegistryCIDRs,
        IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true }, ...IndexConfigs },
        Mirrors: [],
      },
    },
  });

test('DSP30105 fires on an insecure registry by name, once per registry', (t) => {
  const d = registries(['127.0.0.0/8'], {
    'registry.corp:5000': { Name: 'registry.corp:5000', Secure: false, Official: false, Mirrors: [] },
    '10.0.0.9:5000': { Name: '10.0.0.9:5000', Secure: false, Official: false, Mirrors: [] },
  });
  const findings = daemonFindings('DSP30105', d);
  t.is(findings.length, 2);
  t.deepEqual(findings[0]!.location, { kind: 'daemon', field: 'RegistryConfig.IndexConfigs' });
  t.regex(findings[0]!.message, /pulls from registry\.corp:5000 as an insecure registry/);
  t.regex(findings[0]!.message, /"insecure-registries" in daemon\.json/);
  t.regex(findings[1]!.message, /10\.0\.0\.9:5000/);
});

test('DSP30105 fires on an insecure CIDR outside loopback', (t) => {
  const [f, ...rest] = daemonFindings('DSP30105', registries(['10.0.0.0/8', '127.0.0.0/8', '::1/128']));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'daemon', field: 'RegistryConfig.InsecureRegistryCIDRs' });
  t.regex(f!.message, /every registry in 10\.0\.0\.0\/8 as insecure/);
  t.is(daemonFindings('DSP30105', registries(['0.0.0.0/0'])).length, 1);
});

test("DSP30105 does not fire on dockerd's loopback defaults, localhost registries or Docker Desktop's internal hub proxy", (t) => {
  t.deepEqual(daemonFindings('DSP30105', registries(['127.0.0.0/8'])), []);
  t.deepEqual(daemonFindings('DSP30105', registries(['::1/128', '127.0.0.0/8', '127.0.0.1/32'])), []);
  const d = registries(['::1/128', '127.0.0.0/8'], {
    'hubproxy.docker.internal:5555': { Name: 'hubproxy.docker.internal:5555', Secure: false, Official: false, Mirrors: [] },
    'localhost:5000': { Name: 'localhost:5000', Secure: false },
    '[::1]:5000': { Name: '[::1]:5000', Secure: false },
    '127.0.0.1:5000': { Name: '127.0.0.1:5000', Secure: false },
  });
  t.deepEqual(daemonFindings('DSP30105', d), []);
  t.deepEqual(daemonFindings('DSP30105', daemon()), []);
});

test('registry names give their host', (t) => {
  t.is(registryHost('registry.corp:5000'), 'registry.corp');
  t.is(registryHost('[::1]:5000'), '::1');
  t.is(registryHost('docker.io'), 'docker.io');
});
