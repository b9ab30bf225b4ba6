// DSP10405: the image's own build upgrades every package (`apt-get upgrade`,
// `dist-upgrade`, `full-upgrade`, `apt upgrade`, `apk upgrade`, `yum/dnf
// update|upgrade`). What ends up installed then depends on the day of the
// build, not on the base image tag, and the fixes belong in the base image.
// A targeted upgrade (`dnf upgrade openssl`, `apk upgrade openssl`) names
// what it needs and is not reported.
import type { HistoryStep } from '../../../image/facts.js';
import { BOUNDARY_UNKNOWN_NOTE, baseName, boundaryKnown, describeStep, historyLocation, ownSteps } from '../../history.js';
import type { RawFinding, Rule } from '../../rule.js';

/** Each manager's whole-system upgrade verbs and the options that take a separate value. */
const MANAGERS: Record<string, { verbs: string[]; valued: string[] }> = {
  'apt-get': { verbs: ['upgrade', 'dist-upgrade', 'full-upgrade'], valued: ['-o', '-c', '-t', '--option', '--config-file', '--target-release'] },
  apt: { verbs: ['upgrade', 'dist-upgrade', 'full-upgrade'], valued: ['-o', '-c', '-t', '--option', '--config-file', '--target-release'] },
  apk: { verbs: ['upgrade'], valued: ['-X', '--repository', '-p', '--root', '--cache-dir', '--arch'] },
  yum: { verbs: ['update', 'upgrade'], valued: ['-x', '--exclude', '-c', '--config', '--enablerepo', '--disablerepo', '--releasever', '--installroot'] },
  dnf: { verbs: ['update', 'upgrade'], valued: ['-x', '--exclude', '-c', '--config', '--enablerepo', '--disablerepo', '--releasever', '--installroot'] },
  microdnf: { verbs: ['update', 'upgrade'], valued: ['--enablerepo', '--disablerepo', '--releasever', '--installroot'] },
};

/** The whole-system upgrade commands in a shell script, as written (`apt-get upgrade -y`). */
export function upgradeCommands(script: string): string[] {
  const found: string[] = [];
  for (const command of script.split(/&&|\|\||[;&|\n]/)) {
    const words = command.trim().split(/\s+/).filter(Boolean);
    for (let i = 0; i < words.length; i++) {
      const manager = MANAGERS[baseName(words[i] ?? '')];
      if (!manager) continue;
      // Options (and their values) may come before the verb: `apt-get -y -o X=1 upgrade`.
      let j = i + 1;
      const skip = (): void => {
        while (j < words.length && (words[j] ?? '').startsWith('-')) j += manager.valued.includes(words[j] ?? '') ? 2 : 1;
      };
      skip();
      const verb = words[j] ?? '';
      if (!manager.verbs.includes(verb)) break;
      j++;
      skip();
      // A package name after the verb makes it a targeted upgrade.
      if (j >= words.length) found.push(words.slice(i).join(' '));
      break;
    }
  }
  return found;
}

function scriptOf(step: HistoryStep): string | undefined {
  const instruction = step.instruction;
  if (instruction?.keyword !== 'RUN') return undefined;
  return instruction.argv ? instruction.argv.join(' ') : instruction.args;
}

export const packageUpgrade: Rule = {
  ids: ['DSP10405'],
  needs: {},
  evaluate(facts) {
    const findings: RawFinding[] = [];
    const known = boundaryKnown(facts);
    for (const step of ownSteps(facts)) {
      const script = scriptOf(step);
      if (!script) continue;
      const commands = upgradeCommands(script);
      if (commands.length === 0) continue;
      const finding: RawFinding = {
        policy: 'DSP10405',
        message:
          `Runs \`${commands.join('`, `')}\` at ${describeStep(step)}: the installed packages then depend on the day of the build, ` +
          `not on the base image; rebuild on an updated base image instead, or upgrade only the packages you need` +
          (known ? '' : ` (${BOUNDARY_UNKNOWN_NOTE})`),
        location: historyLocation(step),
        inherited: false,
      };
      if (!known) finding.warnOnly = true;
      findings.push(finding);
    }
    return findings;
  },
};
