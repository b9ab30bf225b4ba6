// DSP10401: sudo (or doas) is installed. A container runs as one user from
// start to finish and needs no privilege switching; an installed sudo is a
// ready path to root for an attacker holding a sudoer account (and SQ40102
// reports its setuid bit). Direct lookups, no walk.
import { octalMode } from '../../history.js';
import type { RawFinding, Rule } from '../../rule.js';
import { fileLocation, layerDisplay, layerInherited, resolveFile } from './where.js';

const PROGRAMS = ['sudo', 'doas'];
const DIRS = ['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin', '/sbin'];

export const sudoInstalled: Rule = {
  ids: ['DSP10401'],
  needs: { files: true },
  evaluate(facts) {
    if (!facts.layersRead) return [];
    const findings: RawFinding[] = [];
    const seen = new Set<string>();
    for (const program of PROGRAMS) {
      for (const dir of DIRS) {
        const path = `${dir}/${program}`;
        if (!facts.files.get(path)) continue;
        const file = resolveFile(facts, path);
        // Reported once per program file: /bin/sudo is often a link to /usr/bin/sudo.
        if (!file || (file.type !== 'file' && file.type !== 'hardlink') || seen.has(file.path)) continue;
        seen.add(file.path);
        const setuid = file.mode & 0o4000 && file.uid === 0 ? ` (setuid root, mode ${octalMode(file.mode)})` : '';
        findings.push({
          policy: 'DSP10401',
          message:
            `${path} is installed${setuid}: anyone who gets a shell as an account it allows can become root; ` +
            `a container needs no privilege switching, run its process as the right user instead; ` +
            `installed by ${layerDisplay(facts, file.layerIndex)}`,
          location: fileLocation(facts, path, file.layerIndex),
          inherited: layerInherited(facts, file.layerIndex),
          subject: { path },
        });
      }
    }
    return findings;
  },
};
