// DSP20105–DSP20108: the container shares a namespace with the host instead of
// having its own: network (`--network host`), PID (`--pid host`), IPC
// (`--ipc host`), UTS (`--uts host`). Sharing with another container
// (`container:<id>`) is not flagged: that stays inside the container boundary.
import type { ContainerFacts } from '../../runtime/facts.js';
import type { ContainerRule, RawRuntimeFinding } from '../runtime-rule.js';
import { finding, subjectOf } from './common.js';

interface Namespace {
  policy: string;
  field: 'NetworkMode' | 'PidMode' | 'IpcMode' | 'UTSMode';
  name: string;
  /** What sharing it gives the container. */
  risk: string;
  option: string;
  compose: string;
  /** What to do instead. */
  instead: string;
}

const NAMESPACES: readonly Namespace[] = [
  {
    policy: 'DSP20105',
    field: 'NetworkMode',
    name: 'network',
    risk: "it sees and binds the host's interfaces directly, reaches services listening on the host's loopback, and its ports are open without any -p",
    option: '--network host',
    compose: 'network_mode: host',
    instead: 'use a user-defined network (docker network create) and publish only the ports it needs on 127.0.0.1 (-p 127.0.0.1:8080:80)',
  },
  {
    policy: 'DSP20106',
    field: 'PidMode',
    name: 'PID',
    risk: "it sees every host process, their command lines and environments, and can signal them (or trace them with SYS_PTRACE)",
    option: '--pid host',
    compose: 'pid: host',
    instead: 'let it have its own PID namespace (the default)',
  },
  {
    policy: 'DSP20107',
    field: 'IpcMode',
    name: 'IPC',
    risk: "it can read and write the host's shared memory segments and message queues",
    option: '--ipc host',
    compose: 'ipc: host',
    instead: 'use the default private IPC namespace, or --ipc shareable / container:NAME between the containers that need it',
  },
  {
    policy: 'DSP20108',
    field: 'UTSMode',
    name: 'UTS',
    risk: "it shares the host's hostname and domain name (and can change them with SYS_ADMIN)",
    option: '--uts host',
    compose: 'uts: host',
    instead: 'use the default private UTS namespace',
  },
];

function check(c: ContainerFacts, ns: Namespace): RawRuntimeFinding[] {
  if ((c.HostConfig[ns.field] ?? '').toLowerCase() !== 'host') return [];
  return [
    finding(
      c,
      ns.policy,
      `HostConfig.${ns.field}`,
      `${subjectOf(c)} shares the host's ${ns.name} namespace (HostConfig.${ns.field}: host): ${ns.risk}. ` +
        `Fix: remove ${ns.option} (compose: ${ns.compose}); ${ns.instead}`,
    ),
  ];
}

export const hostNamespaces: ContainerRule = {
  scope: 'container',
  ids: NAMESPACES.map((ns) => ns.policy),
  evaluate(c) {
    return NAMESPACES.flatMap((ns) => check(c, ns));
  },
};
