// The rules that judge only what the layers hold: with the layers not read
// they have nothing to say, so a config-only run does not even load them
// (rules/load.ts). A new file-only rule is one line here.
import type { Rule } from '../rule.js';
import { fileSecrets } from './secrets/files.js';
import { emptyPassword } from './accounts/DSP10201-empty-password.js';
import { accountIdentity } from './accounts/DSP10202-05-account-identity.js';
import { passwordHashes } from './accounts/DSP10206-08-password-hashes.js';
import { unneededPassword } from './accounts/DSP10209-unneeded-password.js';
import { hashInPasswd } from './accounts/DSP10210-hash-in-passwd.js';
import { passwordRules } from './accounts/DSP10211-13-password-rules.js';
import { sshdConfig } from './remote-login/DSP10303-05-sshd-config.js';
import { sshKeys } from './remote-login/DSP10306-07-ssh-keys.js';
import { sudoInstalled } from './hygiene/DSP10401-sudo.js';
import { packageCaches } from './hygiene/DSP10402-package-caches.js';
import { leftoverFiles } from './hygiene/DSP10403-04-leftover-files.js';
import { worldWritable } from './hygiene/DSP10407-world-writable.js';
import { knownVulnerabilities } from './vulns/DSP10501-02-known-vulnerabilities.js';
import { entriesOutsideRoot } from './DSP10601-entries-outside-root.js';
import { setuidSetgid } from './SQ40102-setuid-setgid.js';

export const layerRules: Rule[] = [
  fileSecrets,
  emptyPassword,
  accountIdentity,
  passwordHashes,
  unneededPassword,
  hashInPasswd,
  passwordRules,
  sshdConfig,
  sshKeys,
  sudoInstalled,
  packageCaches,
  leftoverFiles,
  worldWritable,
  knownVulnerabilities,
  entriesOutsideRoot,
  setuidSetgid,
];
