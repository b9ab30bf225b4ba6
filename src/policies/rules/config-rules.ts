// The rules that judge an image's config or history: they run on every check,
// `--no-layers` too (some also read files, when the layers were read). A new
// rule that can find something without the layers is one line here; one that
// judges only files goes in layer-rules.ts (a test holds each list to that).
import type { Rule } from '../rule.js';
import { configSecrets } from './secrets/config.js';
import { historySecrets } from './secrets/history.js';
import { remoteLoginServers } from './remote-login/DSP10301-02-remote-login-servers.js';
import { packageUpgrade } from './hygiene/DSP10405-package-upgrade.js';
import { latestTag } from './hygiene/DSP10406-latest-tag.js';
import { rootUser } from './SQ40101-root-user.js';
import { remoteAccessPorts } from './SQ40103-08-remote-access-ports.js';
import { healthcheck } from './SQ41101-healthcheck.js';
import { addInstruction } from './SQ41102-add-instruction.js';
import { shellFormCmd } from './SQ41103-shell-form-cmd.js';
import { duplicateCmd, duplicateEntrypoint } from './SQ41104-05-duplicate-cmd-entrypoint.js';
import { relativeCopyWithoutWorkdir } from './SQ41106-relative-copy-without-workdir.js';

export const configRules: Rule[] = [
  configSecrets,
  historySecrets,
  remoteLoginServers,
  packageUpgrade,
  latestTag,
  rootUser,
  remoteAccessPorts,
  healthcheck,
  addInstruction,
  shellFormCmd,
  duplicateCmd,
  duplicateEntrypoint,
  relativeCopyWithoutWorkdir,
];
