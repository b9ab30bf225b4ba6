// Which exception, if any, covers a finding: same policy, same image, same
// path or port, and not expired. Expired ones are kept so the report can say so.
import type { PolicyException } from './model.js';
import { advisoryMatches, imageMatches, inRange, packageMatches, pathMatches, portMatches, type ImageNames } from './selectors.js';
import type { FindingSubject } from '../policies/rule.js';

export interface Subjected {
  policy: string;
  subject?: FindingSubject;
}

export interface ExceptionMatch {
  /** The first exception that covers the finding and still applies. */
  active?: PolicyException;
  /** When none applies: the matching exception that expired last. */
  expired?: PolicyException;
}

export function matchException(finding: Subjected, image: ImageNames, exceptions: PolicyException[], now: Date): ExceptionMatch {
  let expired: PolicyException | undefined;
  for (const e of exceptions) {
    if (!covers(e, finding, image)) continue;
    if (!isExpired(e, now)) return { active: e };
    if (!expired || (e.expires ?? '') > (expired.expires ?? '')) expired = e;
  }
  return expired ? { expired } : {};
}

function covers(e: PolicyException, finding: Subjected, image: ImageNames): boolean {
  if (!e.policies.some((range) => inRange(range, finding.policy))) return false;
  if (e.image !== undefined && !imageMatches(e.image, image)) return false;
  if (e.path !== undefined && !(finding.subject?.path !== undefined && pathMatches(e.path, finding.subject.path))) return false;
  if (e.port !== undefined && !(finding.subject?.port !== undefined && portMatches(e.port, finding.subject.port))) return false;
  if (e.advisory !== undefined && !(finding.subject && advisoryMatches(e.advisory, finding.subject))) return false;
  if (e.package !== undefined && !(finding.subject && packageMatches(e.package, finding.subject))) return false;
  return true;
}

/** An exception with `expires: 2027-03-31` stops applying at 2027-03-31T00:00Z. */
export function isExpired(e: Pick<PolicyException, 'expires'>, now: Date): boolean {
  if (!e.expires) return false;
  return now.getTime() >= Date.parse(`${e.expires}T00:00:00Z`);
}
