// DSP20123: the container's root filesystem is writable (no --read-only), so an
// attacker in it can drop tools, change binaries or persist in the container
// layer. Volumes and tmpfs mounts stay writable with --read-only.
import type { ContainerRule } from '../runtime-rule.js';
import { finding, subjectOf } from './common.js';

export const writableRootfs: ContainerRule = {
  scope: 'container',
  ids: ['DSP20123'],
  evaluate(c) {
    if (c.HostConfig.ReadonlyRootfs === true) return [];
    return [
      finding(
        c,
        'DSP20123',
        'HostConfig.ReadonlyRootfs',
        `${subjectOf(c)} has a writable root filesystem (HostConfig.ReadonlyRootfs: false): anything in it can change its binaries ` +
          'or drop tools into it. Fix: --read-only, with --tmpfs /tmp and volumes for the paths it writes (compose: read_only: true, tmpfs: [/tmp])',
      ),
    ];
  },
};
