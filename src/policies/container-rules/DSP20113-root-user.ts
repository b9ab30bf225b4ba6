// DSP20113: the container's processes run as root: Config.User (what --user set,
// else what the daemon copied from the image's USER) is empty, `root` or uid 0;
// on Windows, empty or ContainerAdministrator. When the container's user is
// empty, the image's own Config.User is read when the caller gave it. A named
// user is taken as unprivileged (the image's /etc/passwd is not read here;
// image policy SQ40101 does that).
import type { ContainerFacts } from '../../runtime/facts.js';
import type { ContainerRule } from '../runtime-rule.js';
import { finding, subjectOf } from './common.js';

/** Why the user is an administrator, or undefined. */
function adminReason(c: ContainerFacts): string | undefined {
  const own = (c.Config.User ?? '').trim();
  const image = (c.imageUser ?? '').trim();
  const configured = own || image;
  const from = own ? `Config.User: ${own}` : image ? `Config.User is empty and the image sets USER ${image}` : 'Config.User is empty and the image sets no USER';
  const user = configured.split(':')[0] ?? '';
  if ((c.Platform ?? 'linux').toLowerCase() === 'windows') {
    if (user === '') return `it runs as ContainerAdministrator (${from})`;
    return user.toLowerCase() === 'containeradministrator' ? `it runs as ContainerAdministrator (${from})` : undefined;
  }
  if (user === '') return `it runs as root, uid 0 (${from})`;
  if (user === 'root' || /^0+$/.test(user)) return `it runs as root, uid 0 (${from})`;
  return undefined;
}

export const rootUser: ContainerRule = {
  scope: 'container',
  ids: ['DSP20113'],
  evaluate(c) {
    const reason = adminReason(c);
    if (!reason) return [];
    const windows = (c.Platform ?? '').toLowerCase() === 'windows';
    const fix = windows
      ? 'Fix: --user ContainerUser (compose: user: ContainerUser), or USER ContainerUser in the image'
      : 'Fix: --user 10001:10001 (compose: user: "10001:10001"), or a non-root USER in the image';
    return [finding(c, 'DSP20113', 'Config.User', `${subjectOf(c)} has administrative privileges: ${reason}. ${fix}`)];
  },
};
