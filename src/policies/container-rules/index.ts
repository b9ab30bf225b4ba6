// Every container rule, in policy-ID order. The one place that lists them: a new
// rule is a module in this folder, policies/<ID>.yaml (scope: container), a test
// in test/unit/runtime/, and one line here.
import type { ContainerRule } from '../runtime-rule.js';
import { privileged } from './DSP20101-privileged.js';
import { hostMounts } from './DSP20102-04-host-mounts.js';
import { hostNamespaces } from './DSP20105-08-host-namespaces.js';
import { dangerousCapabilities } from './DSP20109-dangerous-capabilities.js';
import { unconfinedProfiles } from './DSP20110-11-unconfined-profiles.js';
import { noNewPrivileges } from './DSP20112-no-new-privileges.js';
import { rootUser } from './DSP20113-root-user.js';
import { remoteAccessPorts } from './DSP20114-19-remote-access-ports.js';
import { allInterfaces } from './DSP20120-all-interfaces.js';
import { resourceLimits } from './DSP20121-22-resource-limits.js';
import { writableRootfs } from './DSP20123-writable-rootfs.js';

export const containerRules: ContainerRule[] = [
  privileged,
  hostMounts,
  hostNamespaces,
  dangerousCapabilities,
  unconfinedProfiles,
  noNewPrivileges,
  rootUser,
  remoteAccessPorts,
  allInterfaces,
  resourceLimits,
  writableRootfs,
];
