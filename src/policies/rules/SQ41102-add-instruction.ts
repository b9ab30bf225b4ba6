// SQ41102: the image's own build uses ADD. ADD also downloads URLs, clones git
// repositories and unpacks archives, which hides what ends up in the image.
// The one accepted use is the base root filesystem: an ADD to `/` that made
// the image's first layer. The base image's own ADD steps are reported too,
// marked inherited (they warn: the fix lies in the base image).
import type { HistoryStep } from '../../image/facts.js';
import { copyDestination, copySources } from '../../image/instruction.js';
import { describeStep, historyLocation } from '../history.js';
import type { RawFinding, Rule } from '../rule.js';

const URL_SOURCE = /^(?:https?|ftp):\/\//i;
const GIT_SOURCE = /^(?:git@|git:\/\/|ssh:\/\/)|\.git(?:#.*)?$|^https?:\/\/[^#]*\.git(?:#|$)/i;
const ARCHIVE = /\.(?:tar|tgz|tbz2?|txz|tar\.(?:gz|bz2|xz))$/i;

/** The base root filesystem: an ADD to `/` that made layer 0. */
function isRootfs(step: HistoryStep): boolean {
  if (step.layerIndex !== 0 || !step.instruction) return false;
  const dest = copyDestination(step.instruction);
  return dest === '/' || dest === '\\' || /^[A-Za-z]:[\\/]?$/.test(dest ?? '');
}

/** What the ADD does beyond a plain copy, as a phrase for the message. */
function whatItAdds(step: HistoryStep): string {
  const instruction = step.instruction;
  if (!instruction) return '';
  const sources = copySources(instruction);
  const git = sources.filter((s) => GIT_SOURCE.test(s));
  const urls = sources.filter((s) => URL_SOURCE.test(s) && !GIT_SOURCE.test(s));
  const archives = sources.filter((s) => !URL_SOURCE.test(s) && !GIT_SOURCE.test(s) && ARCHIVE.test(s));
  const parts: string[] = [];
  if (urls.length) parts.push(`downloads ${urls.join(', ')} at build time (the remote content can change)`);
  if (git.length) parts.push(`clones ${git.join(', ')} at build time`);
  if (archives.length) parts.push(`auto-extracts ${archives.join(', ')}`);
  if (parts.length) return parts.join('; ');
  if (instruction.builder === 'classic') {
    return 'adds build-context content (the classic builder records only its hash); COPY does the same without the URL and unpacking side effects';
  }
  return 'copies build-context files; COPY does the same without the URL and unpacking side effects';
}

export const addInstruction: Rule = {
  ids: ['SQ41102'],
  needs: {},
  evaluate(facts) {
    const findings: RawFinding[] = [];
    for (const step of facts.history) {
      if (step.instruction?.keyword !== 'ADD' || isRootfs(step)) continue;
      const where = step.inherited ? `the base image's ${describeStep(step)}` : describeStep(step);
      findings.push({
        policy: 'SQ41102',
        message: `Uses ADD at ${where} to ${copyDestination(step.instruction) ?? '?'}: ${whatItAdds(step)}`,
        location: historyLocation(step),
        inherited: step.inherited,
      });
    }
    return findings;
  },
};
