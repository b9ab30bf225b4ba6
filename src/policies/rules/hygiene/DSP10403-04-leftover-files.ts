// DSP10403: version-control metadata (.git, .svn, .hg) shipped in the image,
// one finding per repository (its metadata directory), since `COPY . .`
// without a .dockerignore brings the whole history. DSP10404: stray files
// that only the developer's machine makes (.DS_Store, editor backups and swap
// files, npm/yarn debug logs), one per file up to the `maxFindings` option and
// then one summary, so a node_modules full of .DS_Store stays readable.
import type { RawFinding, Rule } from '../../rule.js';
import { surveyOf } from './survey.js';
import { fileLocation, formatBytes, groupOrigin, layerDisplay, layerInherited, plural } from './where.js';

const DEFAULT_MAX_FINDINGS = 25;

export const leftoverFiles: Rule = {
  ids: ['DSP10403', 'DSP10404'],
  needs: { files: true },
  evaluate(facts, context) {
    if (!facts.layersRead) return [];
    const survey = surveyOf(facts);
    const findings: RawFinding[] = [];

    for (const group of survey.vcs) {
      const origin = groupOrigin(facts, group.layers);
      const repo = group.root.slice(0, group.root.lastIndexOf('/')) || '/';
      findings.push({
        policy: 'DSP10403',
        message:
          `${group.root} is the ${group.system} metadata of ${repo} (${formatBytes(group.bytes)} in ${plural(group.files, 'file')}): ` +
          `it ships the repository's history, including anything ever committed and removed; written by ${origin.text}; ` +
          `exclude it in .dockerignore`,
        location: fileLocation(facts, group.root, origin.layerIndex),
        inherited: origin.inherited,
        subject: { path: group.root },
      });
    }

    const option = context.options('DSP10404').maxFindings;
    const max = typeof option === 'number' ? option : DEFAULT_MAX_FINDINGS;
    const stray = survey.stray;
    for (const { file, what } of stray.slice(0, max)) {
      findings.push({
        policy: 'DSP10404',
        message: `${file.path} is ${what} that should not ship; written by ${layerDisplay(facts, file.layerIndex)}; delete it or exclude it in .dockerignore`,
        location: fileLocation(facts, file.path, file.layerIndex),
        inherited: layerInherited(facts, file.layerIndex),
        subject: { path: file.path },
      });
    }
    const rest = stray.slice(max);
    const first = rest[0];
    if (first) {
      const layers = [...new Set(rest.map((s) => s.file.layerIndex))].sort((a, b) => a - b);
      findings.push({
        policy: 'DSP10404',
        message:
          `…and ${plural(rest.length, 'more stray file')} (the first ${max} are reported one by one), ` +
          `e.g. ${rest.slice(0, 3).map((s) => s.file.path).join(', ')}; in ${plural(layers.length, 'layer')} (${layers.join(', ')}); ` +
          `exclude such files in .dockerignore`,
        location: fileLocation(facts, first.file.path, first.file.layerIndex),
        inherited: rest.every((s) => layerInherited(facts, s.file.layerIndex)),
      });
    }
    return findings;
  },
};
