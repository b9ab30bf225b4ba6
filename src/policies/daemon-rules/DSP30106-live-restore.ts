// DSP30106: live restore is off, so stopping or upgrading dockerd stops every
// container, which makes patching the engine disruptive and so postponed.
// Not judged where it cannot apply: Windows engines, swarm mode (live restore
// covers standalone containers only and dockerd refuses the two together), and
// desktop VMs (Docker Desktop), whose daemon lives and dies with the VM.
import type { DaemonRule } from '../runtime-rule.js';
import { daemonFinding, daemonSubject, isDesktop, isWindowsDaemon } from './common.js';

export const liveRestore: DaemonRule = {
  scope: 'daemon',
  ids: ['DSP30106'],
  evaluate(d) {
    if (d.info.LiveRestoreEnabled !== false) return [];
    if (isWindowsDaemon(d) || isDesktop(d) || d.info.Swarm?.LocalNodeState === 'active') return [];
    return [
      daemonFinding(
        'DSP30106',
        'LiveRestoreEnabled',
        `${daemonSubject(d)} has live restore off (LiveRestoreEnabled: false): restarting or upgrading dockerd stops every ` +
          'container, so engine security updates wait. Fix: "live-restore": true in daemon.json (dockerd --live-restore), then ' +
          'reload the daemon (systemctl reload docker, or SIGHUP): no container restart needed',
      ),
    ];
  },
};
