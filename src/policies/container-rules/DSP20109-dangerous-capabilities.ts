// DSP20109: the container adds a capability that breaks isolation (`--cap-add`):
// ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH, NET_ADMIN and the
// other kernel-facing ones below. One finding per capability. Capabilities
// docker grants by default (CHOWN, NET_BIND_SERVICE…) are not flagged. As in
// docker (moby's TweakCapabilities), an added capability stays even when also
// dropped, except that `--cap-add ALL` gives every capability but the dropped.
import type { ContainerFacts } from '../../runtime/facts.js';
import type { ContainerRule, RawRuntimeFinding } from '../runtime-rule.js';
import { capabilityName, finding, subjectOf } from './common.js';

/** Dangerous capabilities and what each gives. */
export const DANGEROUS_CAPABILITIES: Readonly<Record<string, string>> = {
  ALL: 'every capability, the equivalent of root on the host kernel',
  SYS_ADMIN: 'mount, namespaces, BPF and much more: the known container escapes (cgroup release_agent, mounting host disks) need it',
  SYS_MODULE: 'loading kernel modules, that is code in the host kernel',
  SYS_PTRACE: "tracing and injecting code into other processes (the host's, with --pid host)",
  DAC_READ_SEARCH: "bypassing file read permissions and open_by_handle_at, which reads host files (the 'Shocker' escape)",
  NET_ADMIN: "reconfiguring interfaces, routes and firewall rules (the host's, with --network host)",
  SYS_RAWIO: 'raw I/O ports and /dev/mem',
  SYS_BOOT: 'rebooting and loading a new kernel (kexec)',
  SYS_TIME: "setting the host's clock",
  MAC_ADMIN: 'changing the AppArmor or SELinux policy',
  MAC_OVERRIDE: 'bypassing AppArmor or SELinux',
  BPF: 'loading BPF programs into the host kernel',
  PERFMON: 'observing the host kernel and other processes through perf events',
  SYSLOG: 'reading the kernel log, which leaks kernel addresses',
};

function added(c: ContainerFacts): Array<{ cap: string; written: string }> {
  const seen = new Set<string>();
  const out: Array<{ cap: string; written: string }> = [];
  for (const written of c.HostConfig.CapAdd ?? []) {
    const cap = capabilityName(written);
    if (seen.has(cap) || !(cap in DANGEROUS_CAPABILITIES)) continue;
    seen.add(cap);
    out.push({ cap, written });
  }
  return out;
}

export const dangerousCapabilities: ContainerRule = {
  scope: 'container',
  ids: ['DSP20109'],
  evaluate(c) {
    const dropped = (c.HostConfig.CapDrop ?? []).map(capabilityName).filter((d) => d !== 'ALL');
    return added(c).map(({ cap, written }): RawRuntimeFinding => {
      const minus = cap === 'ALL' && dropped.length > 0 ? `, minus CapDrop ${dropped.join(', ')}` : '';
      return finding(
        c,
        'DSP20109',
        'HostConfig.CapAdd',
        `${subjectOf(c)} adds the capability ${cap} (HostConfig.CapAdd: ${written}${minus}): ${DANGEROUS_CAPABILITIES[cap]}. ` +
          `Fix: remove --cap-add ${written} (compose: cap_add: [${written}]); start from --cap-drop ALL ` +
          '(compose: cap_drop: [ALL]) and add back only the narrow capabilities it needs',
      );
    });
  },
};
