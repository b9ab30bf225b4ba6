// Every daemon rule, in policy-ID order. The one place that lists them: a new
// rule is a module in this folder, policies/<ID>.yaml (scope: daemon), a test
// in test/unit/runtime/, and one line here.
import type { DaemonRule } from '../runtime-rule.js';
import { unauthenticatedApi } from './DSP30101-02-unauthenticated-api.js';
import { socketPermissions } from './DSP30103-socket-permissions.js';
import { userNamespaces } from './DSP30104-user-namespaces.js';
import { insecureRegistries } from './DSP30105-insecure-registries.js';
import { liveRestore } from './DSP30106-live-restore.js';
import { debugMode } from './DSP30107-debug-mode.js';
import { engineEndOfLife } from './DSP30108-engine-eol.js';

export const daemonRules: DaemonRule[] = [
  unauthenticatedApi,
  socketPermissions,
  userNamespaces,
  insecureRegistries,
  liveRestore,
  debugMode,
  engineEndOfLife,
];
