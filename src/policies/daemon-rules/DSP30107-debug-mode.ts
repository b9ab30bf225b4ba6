// DSP30107: the daemon runs in debug mode outside development. Debug logging
// records every API call and the JSON body of small POSTs (moby's
// DebugRequestMiddleware: up to 4 KB, only keys named password, secret or
// jointoken masked), so container environments and the secrets in them end
// up in the daemon log; it also fills the disk. A development daemon is one the caller
// says is (DaemonFacts.development), else a desktop VM (Docker Desktop…).
import type { DaemonRule } from '../runtime-rule.js';
import { daemonFinding, daemonSubject, isDesktop } from './common.js';

export const debugMode: DaemonRule = {
  scope: 'daemon',
  ids: ['DSP30107'],
  evaluate(d) {
    if (d.info.Debug !== true) return [];
    if (d.development ?? isDesktop(d)) return [];
    return [
      daemonFinding(
        'DSP30107',
        'Debug',
        `${daemonSubject(d)} runs in debug mode (Debug: true) outside development: its log records every API call and the ` +
          'body of small requests (container environments, and the secrets in them, included). Fix: remove "debug": true from daemon.json ' +
          '(or the -D / --debug flag), then reload the daemon (systemctl reload docker, or SIGHUP)',
      ),
    ];
  },
};
