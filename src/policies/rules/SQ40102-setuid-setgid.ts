// SQ40102: files with the setuid or setgid bit in the merged filesystem (what
// the container sees, so a late `chmod u-s` or `rm` fixes it). Regular files
// and hardlinks to them; directories never (setgid directories are common and
// harmless, e.g. Debian's /var/mail).
import type { FileFact, ImageFacts } from '../../image/facts.js';
import { layerOrigin, octalMode, stepDisplay, stepOfLayer } from '../history.js';
import type { Location, RawFinding, Rule } from '../rule.js';

const SETUID = 0o4000;
const SETGID = 0o2000;

/** The regular file whose mode and owner count for `file`, or undefined when it is not one. */
function effectiveFile(facts: ImageFacts, file: FileFact): FileFact | undefined {
  if (file.type === 'file') return file;
  if (file.type !== 'hardlink') return undefined;
  const target = file.linkTarget ? facts.files.get(file.linkTarget) : undefined;
  if (!target) return file; // target not in the merged view: the link's own header is all we have
  return target.type === 'file' ? target : undefined;
}

export const setuidSetgid: Rule = {
  ids: ['SQ40102'],
  needs: { files: true },
  evaluate(facts) {
    if (!facts.layersRead) return [];
    const findings: RawFinding[] = [];
    for (const file of facts.files.values()) {
      const regular = effectiveFile(facts, file);
      if (!regular) continue;
      const bits = regular.mode & (SETUID | SETGID);
      if (bits === 0) continue;

      const kind = [bits & SETUID ? 'setuid' : '', bits & SETGID ? 'setgid' : ''].filter(Boolean).join('+');
      const layer = facts.layers[file.layerIndex];
      const step = stepOfLayer(facts, file.layerIndex);
      const link = file.type === 'hardlink' && file.linkTarget ? ` (hardlink to ${file.linkTarget})` : '';
      const runsAs = [
        bits & SETUID ? `runs as ${regular.uid === 0 ? 'root' : `uid ${regular.uid}`}` : '',
        bits & SETGID ? `${bits & SETUID ? 'with' : 'runs with'} group ${regular.gid === 0 ? 'root' : `gid ${regular.gid}`}` : '',
      ].filter(Boolean).join(' ');
      const origin = `written by ${layerOrigin(file.layerIndex, step)}`;

      const location: Location = {
        kind: 'file',
        path: file.path,
        layer: layer?.diffId ?? '',
        layerIndex: file.layerIndex,
      };
      if (layer?.historyIndex !== undefined) location.historyIndex = layer.historyIndex;
      if (step) location.instruction = stepDisplay(step);

      findings.push({
        policy: 'SQ40102',
        message:
          `${file.path}${link} is ${kind} (mode ${octalMode(regular.mode)}, owner ${regular.uid}:${regular.gid}; ` +
          `${runsAs} whoever starts it); ${origin}`,
        location,
        inherited: layer?.inherited ?? false,
        subject: { path: file.path },
      });
    }
    return findings.sort((a, b) => {
      const pa = a.subject?.path ?? '';
      const pb = b.subject?.path ?? '';
      return pa < pb ? -1 : pa > pb ? 1 : 0;
    });
  },
};
