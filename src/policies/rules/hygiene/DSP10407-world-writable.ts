// DSP10407: world-writable files and directories outside the temporary
// directories (/tmp, /var/tmp, /dev/shm, /run/lock, /var/lock): any process
// in the container, whatever its user, can change them. Symlinks (always
// 0777), devices and sticky directories are left out. A world-writable
// directory stands for the world-writable paths beneath it (one
// `chmod -R 777` makes thousands, and one chmod fixes them), and past the
// `maxFindings` option the rest is summed up in one finding.
import type { FileFact } from '../../../image/facts.js';
import { octalMode } from '../../history.js';
import type { RawFinding, Rule } from '../../rule.js';
import { surveyOf } from './survey.js';
import { fileLocation, layerDisplay, layerInherited, plural } from './where.js';

const DEFAULT_MAX_FINDINGS = 50;

interface Root {
  file: FileFact;
  mode: number;
  beneath: number;
}

export const worldWritable: Rule = {
  ids: ['DSP10407'],
  needs: { files: true },
  evaluate(facts, context) {
    if (!facts.layersRead) return [];
    const all = surveyOf(facts).worldWritable;
    const dirs = new Set(all.filter((w) => w.file.type === 'dir').map((w) => w.file.path));

    // Each path goes to its topmost world-writable ancestor directory, if any.
    const roots = new Map<string, Root>();
    const covered: Array<{ path: string; root: string }> = [];
    for (const w of all) {
      const path = w.file.path;
      let top: string | undefined;
      for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
        const ancestor = path.slice(0, i);
        if (dirs.has(ancestor)) top = ancestor;
      }
      if (top === undefined) roots.set(path, { file: w.file, mode: w.mode, beneath: 0 });
      else covered.push({ path, root: top });
    }
    for (const c of covered) {
      const root = roots.get(c.root);
      if (root) root.beneath++;
    }

    const option = context.options('DSP10407').maxFindings;
    const max = typeof option === 'number' ? option : DEFAULT_MAX_FINDINGS;
    const list = [...roots.values()]; // already sorted by path
    const findings: RawFinding[] = list.slice(0, max).map(({ file, mode, beneath }) => {
      const what = file.type === 'dir' ? 'directory' : 'file';
      const risk =
        file.type === 'dir'
          ? 'any user in the container can add, replace or delete what it holds'
          : 'any user in the container can change it';
      const under = beneath > 0 ? `, and so ${beneath === 1 ? 'is 1 path' : `are ${beneath} paths`} beneath it` : '';
      const fix = file.type === 'dir' ? `chmod o-w${beneath > 0 ? ' -R' : ''}` : 'chmod o-w';
      return {
        policy: 'DSP10407',
        message:
          `${file.path} is a world-writable ${what} (mode ${octalMode(mode)}, owner ${file.uid}:${file.gid})${under}: ${risk}; ` +
          `written by ${layerDisplay(facts, file.layerIndex)}; ${fix} it, or give it to the user that needs to write`,
        location: fileLocation(facts, file.path, file.layerIndex),
        inherited: layerInherited(facts, file.layerIndex),
        subject: { path: file.path },
      };
    });
    const rest = list.slice(max);
    const first = rest[0];
    if (first) {
      const count = rest.reduce((n, r) => n + 1 + r.beneath, 0);
      const layers = [...new Set(rest.map((r) => r.file.layerIndex))].sort((a, b) => a - b);
      findings.push({
        policy: 'DSP10407',
        message:
          `…and ${plural(count, 'more world-writable path')} (the first ${max} are reported one by one), ` +
          `e.g. ${rest.slice(0, 3).map((r) => r.file.path).join(', ')}; in ${plural(layers.length, 'layer')} (${layers.join(', ')}); ` +
          'list them with `find / -xdev -perm -o+w ! -type l ! -type c`',
        location: fileLocation(facts, first.file.path, first.file.layerIndex),
        inherited: rest.every((r) => layerInherited(facts, r.file.layerIndex)),
      });
    }
    return findings;
  },
};
