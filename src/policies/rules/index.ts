// Every rule, in policy-ID order. The one place that lists them: a new rule is
// a module in this folder (or its family's folder, whose index.ts lists it),
// policies/<ID>.yaml, a test, and one line in the list.
import type { Rule } from '../rule.js';
import { rootUser } from './SQ40101-root-user.js';
import { setuidSetgid } from './SQ40102-setuid-setgid.js';
import { remoteAccessPorts } from './SQ40103-08-remote-access-ports.js';
import { healthcheck } from './SQ41101-healthcheck.js';
import { addInstruction } from './SQ41102-add-instruction.js';
import { shellFormCmd } from './SQ41103-shell-form-cmd.js';
import { duplicateCmd, duplicateEntrypoint } from './SQ41104-05-duplicate-cmd-entrypoint.js';
import { relativeCopyWithoutWorkdir } from './SQ41106-relative-copy-without-workdir.js';
import { secretRules } from './secrets/index.js';
import { accountRules } from './accounts/index.js';
import { remoteLoginRules } from './remote-login/index.js';
import { hygieneRules } from './hygiene/index.js';
import { vulnRules } from './vulns/index.js';
import { entriesOutsideRoot } from './DSP10601-entries-outside-root.js';

export const allRules: Rule[] = [
  ...secretRules,
  ...accountRules,
  ...remoteLoginRules,
  ...hygieneRules,
  ...vulnRules,
  entriesOutsideRoot,
  rootUser,
  setuidSetgid,
  remoteAccessPorts,
  healthcheck,
  addInstruction,
  shellFormCmd,
  duplicateCmd,
  duplicateEntrypoint,
  relativeCopyWithoutWorkdir,
];
