// DSP10402: package-manager caches and lists left in the image (apt lists and
// archives, apk, yum, dnf, pip, npm, yarn): bytes every pull downloads and
// nothing runs. One finding per cache directory, with its size (the sizes of
// its files in the merged view) and the layers that wrote it; caches smaller
// than the `minBytes` option are not worth a finding.
import type { Rule } from '../../rule.js';
import { surveyOf } from './survey.js';
import { fileLocation, formatBytes, groupOrigin, plural } from './where.js';

const DEFAULT_MIN_BYTES = 1024 * 1024;

export const packageCaches: Rule = {
  ids: ['DSP10402'],
  needs: { files: true },
  evaluate(facts, context) {
    if (!facts.layersRead) return [];
    const option = context.options('DSP10402').minBytes;
    const minBytes = typeof option === 'number' ? option : DEFAULT_MIN_BYTES;
    return surveyOf(facts)
      .caches.filter((group) => group.bytes >= minBytes && group.files > 0)
      .map((group) => {
        const origin = groupOrigin(facts, group.layers);
        return {
          policy: 'DSP10402',
          message:
            `${group.root} holds ${formatBytes(group.bytes)} of ${group.cache.name} (${plural(group.files, 'file')}) ` +
            `that nothing needs at run time; written by ${origin.text}; ${group.cache.fix}`,
          location: fileLocation(facts, group.root, origin.layerIndex),
          inherited: origin.inherited,
          subject: { path: group.root },
        };
      });
  },
};
