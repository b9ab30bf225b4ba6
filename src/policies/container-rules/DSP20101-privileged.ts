// DSP20101: the container runs privileged (`--privileged`): every capability,
// every host device, no seccomp or AppArmor confinement, writable /sys and
// /proc. Root in such a container is root on the host.
import type { ContainerRule } from '../runtime-rule.js';
import { finding, subjectOf } from './common.js';

export const privileged: ContainerRule = {
  scope: 'container',
  ids: ['DSP20101'],
  evaluate(c) {
    if (c.HostConfig.Privileged !== true) return [];
    return [
      finding(
        c,
        'DSP20101',
        'HostConfig.Privileged',
        `${subjectOf(c)} is privileged (HostConfig.Privileged: true): it gets every capability and every host device and runs ` +
          'without seccomp or AppArmor, so root in it is root on the host. Fix: run it without --privileged ' +
          '(compose: remove `privileged: true`) and add only the capabilities or devices it needs (--cap-add, --device; compose: cap_add, devices)',
      ),
    ];
  },
};
