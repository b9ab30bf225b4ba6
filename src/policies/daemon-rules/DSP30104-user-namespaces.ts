// DSP30104: the daemon neither runs rootless nor remaps users (no `name=rootless`
// or `name=userns` in /info SecurityOptions), so uid 0 in a container is uid 0
// on the host: one isolation bug away from owning it. Not judged for Windows
// engines.
import type { DaemonRule } from '../runtime-rule.js';
import { daemonFinding, daemonSubject, isDesktop, isWindowsDaemon } from './common.js';

export const userNamespaces: DaemonRule = {
  scope: 'daemon',
  ids: ['DSP30104'],
  evaluate(d) {
    if (isWindowsDaemon(d)) return [];
    const options = d.info.SecurityOptions ?? [];
    const names = options.map((o) => /(?:^|,)name=([^,]+)/.exec(o)?.[1]?.toLowerCase());
    if (names.includes('userns') || names.includes('rootless')) return [];
    const shown = options.length > 0 ? options.join('; ') : 'none';
    const desktop = isDesktop(d)
      ? "; Docker Desktop: turn on Enhanced Container Isolation (Settings → General), since an escape lands in Desktop's VM with your shared folders"
      : '';
    return [
      daemonFinding(
        'DSP30104',
        'SecurityOptions',
        `${daemonSubject(d)} runs containers without user namespaces and not rootless (SecurityOptions: ${shown}): root in a ` +
          'container is root (uid 0) on the host. Fix: run Docker rootless (dockerd-rootless-setuptool.sh install), or remap ' +
          `container users with dockerd --userns-remap=default (daemon.json: "userns-remap": "default")${desktop}`,
      ),
    ];
  },
};
