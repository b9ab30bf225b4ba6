import test from 'ava';
import { DANGEROUS_CAPABILITIES } from '../../../src/policies/container-rules/DSP20109-dangerous-capabilities.js';
import { HARDENED, container, containerFindings } from '../helpers/runtime-facts.js';

const caps = (CapAdd: string[] | null, CapDrop: string[] | null = null) => container({ name: 'vpn', hostConfig: { CapAdd, CapDrop } });

test('DSP20109 fires once per dangerous capability, in the order added, with the fix', (t) => {
  const findings = containerFindings('DSP20109', caps(['SYS_ADMIN', 'NET_ADMIN']));
  t.is(findings.length, 2);
  t.regex(findings[0]!.message, /^Container vpn adds the capability SYS_ADMIN \(HostConfig\.CapAdd: SYS_ADMIN\): mount, namespaces/);
  t.regex(findings[0]!.message, /remove --cap-add SYS_ADMIN \(compose: cap_add: \[SYS_ADMIN\]\)/);
  t.regex(findings[0]!.message, /--cap-drop ALL/);
  t.regex(findings[1]!.message, /NET_ADMIN/);
  for (const f of findings) t.is(f.location.kind === 'container' ? f.location.field : '', 'HostConfig.CapAdd');
});

test('DSP20109 reads capabilities as docker does: any case, with or without CAP_ (the probe: --cap-add cap_sys_admin)', (t) => {
  const [a, b, ...rest] = containerFindings('DSP20109', caps(['cap_sys_admin', 'sys_ptrace']));
  t.is(rest.length, 0);
  t.regex(a!.message, /adds the capability SYS_ADMIN \(HostConfig\.CapAdd: cap_sys_admin\)/);
  t.regex(b!.message, /SYS_PTRACE/);
  t.is(containerFindings('DSP20109', caps(['CAP_SYS_MODULE', 'SYS_MODULE'])).length, 1, 'one finding per capability');
});

test('DSP20109 fires on ALL and names what is dropped from it', (t) => {
  const [f] = containerFindings('DSP20109', caps(['ALL'], ['NET_RAW', 'MKNOD']));
  t.regex(f!.message, /adds the capability ALL \(HostConfig\.CapAdd: ALL, minus CapDrop NET_RAW, MKNOD\)/);
});

test('DSP20109 fires on every capability of the issue list', (t) => {
  for (const cap of ['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH']) {
    t.is(containerFindings('DSP20109', caps([cap])).length, 1, cap);
    t.truthy(DANGEROUS_CAPABILITIES[cap]);
  }
});

test('DSP20109 still fires when an added capability is also dropped (docker keeps added capabilities)', (t) => {
  t.is(containerFindings('DSP20109', caps(['SYS_ADMIN'], ['SYS_ADMIN'])).length, 1);
  t.is(containerFindings('DSP20109', caps(['SYS_PTRACE'], ['ALL'])).length, 1);
});

test('DSP20109 does not fire on narrow or default capabilities, or on none', (t) => {
  t.deepEqual(containerFindings('DSP20109', caps(['NET_BIND_SERVICE', 'CHOWN', 'SETUID', 'SETGID', 'NET_RAW', 'KILL'])), []);
  t.deepEqual(containerFindings('DSP20109', caps(['NET_BIND_SERVICE'], ['ALL'])), []);
  t.deepEqual(containerFindings('DSP20109', caps(null)), []);
  t.deepEqual(containerFindings('DSP20109', container(HARDENED)), []);
});
