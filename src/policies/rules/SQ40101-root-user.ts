// SQ40101: the image runs with administrative privileges (root, uid 0, or
// ContainerAdministrator on Windows). Judges the effective Config.User,
// inherited USER included: it is the identity the container starts with.
import type { ImageFacts } from '../../image/facts.js';
import { configLocation, describeStep, isWindows, stepThatSet } from '../history.js';
import type { RawFinding, Rule } from '../rule.js';

const PASSWD = '/etc/passwd';

/** Uid that /etc/passwd gives `name`, when the file lists it. */
export function uidFromPasswd(passwd: string, name: string): number | undefined {
  for (const line of passwd.split('\n')) {
    const fields = line.trim().split(':');
    if (fields.length < 3 || fields[0] !== name) continue;
    const uid = fields[2] ?? '';
    return /^\d+$/.test(uid) ? Number(uid) : undefined;
  }
  return undefined;
}

/** Why `user` (the part of Config.User before `:`) is an admin account, or undefined when it is not. */
function adminReason(facts: ImageFacts, user: string): string | undefined {
  if (isWindows(facts)) {
    if (user === '') return 'no USER is set, so it runs as ContainerAdministrator';
    if (user.toLowerCase() === 'containeradministrator') return `USER ${user} is the administrator account`;
    return undefined;
  }
  if (user === '') return 'no USER is set, so processes start as root (uid 0)';
  if (/^\d+$/.test(user)) return Number(user) === 0 ? `USER ${user} is uid 0 (root)` : undefined;
  if (user === 'root') return 'USER root';
  const passwd = facts.contents.get(PASSWD);
  if (passwd && uidFromPasswd(passwd.toString('utf8'), user) === 0) {
    return `USER ${user} maps to uid 0 (root) in ${PASSWD}`;
  }
  return undefined;
}

export const rootUser: Rule = {
  ids: ['SQ40101'],
  needs: { contents: [PASSWD] },
  evaluate(facts) {
    const configured = (facts.config.User ?? '').trim();
    const user = configured.split(':')[0] ?? '';
    const reason = adminReason(facts, user);
    if (!reason) return [];
    const step = stepThatSet(facts, 'User');
    const where = step ? `; set by ${step.inherited ? 'the base image at ' : ''}${describeStep(step)}` : '';
    const finding: RawFinding = {
      policy: 'SQ40101',
      message: `Runs with administrative privileges: ${reason}${where}`,
      location: configLocation('Config.User', step),
      inherited: step?.inherited ?? false,
    };
    return [finding];
  },
};
