// DSP20110, DSP20111: the container turns off a kernel confinement profile with
// --security-opt: seccomp=unconfined (every system call reaches the kernel)
// or apparmor=unconfined (no mandatory access control). Docker's legacy
// `seccomp:unconfined` form counts too. A privileged container is unconfined
// as well, but that is DSP20101's finding; this reads the option as set.
import type { ContainerRule, RawRuntimeFinding } from '../runtime-rule.js';
import { finding, securityOptions, subjectOf } from './common.js';

const PROFILES = [
  {
    policy: 'DSP20110',
    key: 'seccomp',
    risk: "every system call reaches the host kernel, including the 40-odd that docker's default profile blocks (keyctl, kexec_load, mount, open_by_handle_at, unshare…)",
    instead: 'drop the option to get the default profile; if a system call is missing, allow just it in a custom profile: --security-opt seccomp=profile.json',
  },
  {
    policy: 'DSP20111',
    key: 'apparmor',
    risk: 'AppArmor no longer restricts mounts, /proc and /sys writes, or file access',
    instead: 'drop the option to get the docker-default profile, or load a tailored profile and use --security-opt apparmor=PROFILE',
  },
] as const;

export const unconfinedProfiles: ContainerRule = {
  scope: 'container',
  ids: PROFILES.map((p) => p.policy),
  evaluate(c) {
    const options = securityOptions(c);
    const findings: RawRuntimeFinding[] = [];
    for (const profile of PROFILES) {
      const opt = options.find((o) => o.key === profile.key && o.value.toLowerCase() === 'unconfined');
      if (!opt) continue;
      findings.push(
        finding(
          c,
          profile.policy,
          'HostConfig.SecurityOpt',
          `${subjectOf(c)} runs without ${profile.key} confinement (HostConfig.SecurityOpt: ${opt.text}): ${profile.risk}. ` +
            `Fix: remove --security-opt ${opt.text} (compose: security_opt: ["${profile.key}:unconfined"]); ${profile.instead}`,
        ),
      );
    }
    return findings;
  },
};
