// SQ41106: COPY to a relative destination while no WORKDIR is set, so the
// files land relative to whatever the default directory happens to be (`/`).
// A WORKDIR anywhere earlier in the history counts, including one inherited
// from the base image: in an image the directory in effect is known exactly.
// `$VAR` destinations are resolved from the image's Env; when that is not
// possible (e.g. a build ARG) the rule stays silent rather than guess.
// ADD is SQ41102's business, and `RUN cd` alone does not fire.
import { copyDestination } from '../../image/instruction.js';
import {
  describeStep,
  envOf,
  expandVars,
  historyLocation,
  isAbsolutePath,
  isWindows,
  ownSteps,
  workdirAt,
} from '../history.js';
import type { RawFinding, Rule } from '../rule.js';

export const relativeCopyWithoutWorkdir: Rule = {
  ids: ['SQ41106'],
  needs: {},
  evaluate(facts) {
    const findings: RawFinding[] = [];
    const windows = isWindows(facts);
    let env: Map<string, string> | undefined;
    for (const step of ownSteps(facts)) {
      if (step.instruction?.keyword !== 'COPY') continue;
      const written = copyDestination(step.instruction);
      if (written === undefined) continue;
      const dest = written.includes('$') ? expandVars(written, (env ??= envOf(facts.config))) : written;
      if (dest === undefined || dest === '' || isAbsolutePath(dest, windows)) continue;
      if (workdirAt(facts, step.index) !== undefined) continue;
      const shown = dest === written ? `"${dest}"` : `"${written}" (= "${dest}")`;
      findings.push({
        policy: 'SQ41106',
        message:
          `COPY at ${describeStep(step)} writes to the relative path ${shown} but no WORKDIR is set before it, ` +
          `so the files land under the default directory ${windows ? 'C:\\' : '/'}`,
        location: historyLocation(step),
        inherited: false,
      });
    }
    return findings;
  },
};
