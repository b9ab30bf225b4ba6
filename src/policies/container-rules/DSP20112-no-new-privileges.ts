// DSP20112: no-new-privileges is not set, so a process in the container can gain
// privileges through setuid/setgid binaries or file capabilities (su, sudo,
// ping…). Set with --security-opt no-new-privileges[=true] (or the legacy
// `:true`); `=false` counts as not set. dockerd's daemon-wide
// `"no-new-privileges": true` is not visible in container inspect, so a
// container covered only by it is still reported (the message says so).
import type { ContainerRule } from '../runtime-rule.js';
import { finding, securityOptions, subjectOf } from './common.js';

export const noNewPrivileges: ContainerRule = {
  scope: 'container',
  ids: ['DSP20112'],
  evaluate(c) {
    const opt = securityOptions(c)
      .filter((o) => o.key === 'no-new-privileges')
      .pop();
    const value = opt?.value.toLowerCase() ?? '';
    if (opt && (value === '' || value === 'true')) return [];
    const setting = opt ? `HostConfig.SecurityOpt has ${opt.text}` : 'HostConfig.SecurityOpt has no no-new-privileges';
    return [
      finding(
        c,
        'DSP20112',
        'HostConfig.SecurityOpt',
        `${subjectOf(c)} can gain privileges (${setting}): setuid and setgid programs and file capabilities in the image ` +
          'still raise a process\'s privileges. Fix: --security-opt no-new-privileges (compose: security_opt: ["no-new-privileges:true"]); ' +
          'if dockerd already sets "no-new-privileges": true in daemon.json, this is covered (the API does not show it)',
      ),
    ];
  },
};
