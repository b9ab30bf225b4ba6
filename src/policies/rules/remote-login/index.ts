// Remote-login and file-transfer services installed, started or configured (DSP103xx).
import type { Rule } from '../../rule.js';
import { remoteLoginServers } from './DSP10301-02-remote-login-servers.js';
import { sshdConfig } from './DSP10303-05-sshd-config.js';
import { sshKeys } from './DSP10306-07-ssh-keys.js';

export const remoteLoginRules: Rule[] = [remoteLoginServers, sshdConfig, sshKeys];
