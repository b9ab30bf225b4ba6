// What a runtime rule is: the policy IDs it evaluates and a pure function from
// one container's (or the daemon's) facts to raw findings. As with image rules,
// the words live in policies/<ID>.yaml (scope: container or daemon) and the
// runtime engine adds them and decides the action. A rule never does I/O.
import type { ContainerFacts, DaemonFacts, HostContext } from '../runtime/facts.js';

/** Where a runtime finding is: a field of a container's inspect, or a daemon setting. */
export type RuntimeLocation =
  | {
      kind: 'container';
      /** The container's name without the leading slash (`web`). */
      container: string;
      /** The full container ID. */
      id: string;
      /** The inspect field: `HostConfig.Privileged`, `Mounts`, `Config.User`… */
      field: string;
    }
  | {
      kind: 'daemon';
      /** The setting: `LiveRestoreEnabled`, `Endpoint`, `RegistryConfig.InsecureRegistryCIDRs`… */
      field: string;
    };

/** What a runtime rule reports; the runtime engine turns it into a Finding. */
export interface RawRuntimeFinding {
  policy: string;
  /** Specific: names the container, the exact setting and value, and the option that fixes it. */
  message: string;
  location: RuntimeLocation;
  /** What exceptions match on: a published port (`22/tcp`) or a host path. */
  subject?: { port?: string; path?: string };
}

export interface ContainerRule {
  scope: 'container';
  /** The policy IDs this module evaluates (one, or a tight family). */
  ids: string[];
  evaluate(facts: ContainerFacts, host: HostContext): RawRuntimeFinding[];
}

export interface DaemonRule {
  scope: 'daemon';
  ids: string[];
  evaluate(facts: DaemonFacts): RawRuntimeFinding[];
}

export type RuntimeRule = ContainerRule | DaemonRule;
