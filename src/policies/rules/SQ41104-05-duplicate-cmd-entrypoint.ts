// SQ41104 / SQ41105: more than one CMD (ENTRYPOINT) in the image's own build.
// Only the last takes effect; the others are dead code. Counts own-build steps
// only: nearly every base image has its own CMD. A HEALTHCHECK's CMD is a
// HEALTHCHECK step, not a CMD step. When the base boundary is unknown or only
// guessed, the count may include base steps, so the findings only warn.
import type { ImageFacts } from '../../image/facts.js';
import { BOUNDARY_UNKNOWN_NOTE, boundaryKnown, describeStep, historyLocation, stepsWithKeyword } from '../history.js';
import type { RawFinding, Rule } from '../rule.js';

function duplicates(facts: ImageFacts, policy: string, keyword: 'CMD' | 'ENTRYPOINT'): RawFinding[] {
  const steps = stepsWithKeyword(facts, keyword, { own: true });
  const last = steps[steps.length - 1];
  if (!last || steps.length < 2) return [];
  const known = boundaryKnown(facts);
  return steps.slice(0, -1).map((step): RawFinding => {
    const finding: RawFinding = {
      policy,
      message:
        `${keyword} at ${describeStep(step)} is superseded by ${describeStep(last)}; ` +
        `the build has ${steps.length} ${keyword} instructions and only the last takes effect` +
        (known ? '' : ` (${BOUNDARY_UNKNOWN_NOTE})`),
      location: historyLocation(step),
      inherited: false,
    };
    if (!known) finding.warnOnly = true;
    return finding;
  });
}

export const duplicateCmd: Rule = {
  ids: ['SQ41104'],
  needs: {},
  evaluate: (facts) => duplicates(facts, 'SQ41104', 'CMD'),
};

export const duplicateEntrypoint: Rule = {
  ids: ['SQ41105'],
  needs: {},
  evaluate: (facts) => duplicates(facts, 'SQ41105', 'ENTRYPOINT'),
};
