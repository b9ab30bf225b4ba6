// DSP20121, DSP20122: the container has no memory limit (HostConfig.Memory 0)
// or no PID limit (HostConfig.PidsLimit null, 0 or negative), so a leak, a
// fork bomb or an attacker in it can exhaust the host's memory or process
// table and take every other container down with it.
import type { ContainerFacts } from '../../runtime/facts.js';
import type { ContainerRule, RawRuntimeFinding } from '../runtime-rule.js';
import { finding, subjectOf } from './common.js';

function memory(c: ContainerFacts): RawRuntimeFinding[] {
  if ((c.HostConfig.Memory ?? 0) > 0) return [];
  return [
    finding(
      c,
      'DSP20121',
      'HostConfig.Memory',
      `${subjectOf(c)} has no memory limit (HostConfig.Memory: ${c.HostConfig.Memory ?? 0}): it can take all of the host's memory ` +
        'and get other processes OOM-killed. Fix: --memory 512m, sized to the workload (compose: mem_limit: 512m, or deploy.resources.limits.memory)',
    ),
  ];
}

function pids(c: ContainerFacts): RawRuntimeFinding[] {
  const limit = c.HostConfig.PidsLimit;
  if (typeof limit === 'number' && limit > 0) return [];
  return [
    finding(
      c,
      'DSP20122',
      'HostConfig.PidsLimit',
      `${subjectOf(c)} has no PID limit (HostConfig.PidsLimit: ${limit ?? 'null'}): a fork bomb in it can fill the host's process table. ` +
        'Fix: --pids-limit 200, sized to the workload (compose: pids_limit: 200, or deploy.resources.limits.pids)',
    ),
  ];
}

export const resourceLimits: ContainerRule = {
  scope: 'container',
  ids: ['DSP20121', 'DSP20122'],
  evaluate(c) {
    return [...memory(c), ...pids(c)];
  },
};
