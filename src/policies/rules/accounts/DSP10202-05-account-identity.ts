// DSP10202-05: who is who. A second uid-0 account is a second root
// (DSP10202); accounts sharing a uid (DSP10203) or groups sharing a gid
// (DSP10204) own each other's files; a name defined twice (DSP10205) is
// resolved to its first entry by getpwnam/getgrnam, so the second is dead or,
// worse, used by tools that read the file differently.
import { GROUP, PASSWD, SHADOW } from '../../../accounts/accounts.js';
import { fileFinding } from '../../../accounts/image-files.js';
import { readAccountFiles } from '../../../accounts/read.js';
import type { RawFinding, Rule } from '../../rule.js';

interface Named {
  line: number;
  name: string;
}

/** Every entry after the first that shares `key` with an earlier one, with that first entry. */
function repeats<T extends Named, K>(entries: readonly T[], key: (e: T) => K): Array<{ entry: T; first: T }> {
  const firstBy = new Map<K, T>();
  const out: Array<{ entry: T; first: T }> = [];
  for (const e of entries) {
    const k = key(e);
    const first = firstBy.get(k);
    if (first) out.push({ entry: e, first });
    else firstBy.set(k, e);
  }
  return out;
}

function firstOfEachName<T extends Named>(entries: readonly T[]): T[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.name) && seen.add(e.name));
}

export const accountIdentity: Rule = {
  ids: ['DSP10202', 'DSP10203', 'DSP10204', 'DSP10205'],
  needs: { contents: [PASSWD, SHADOW, GROUP] },
  evaluate(facts) {
    const files = readAccountFiles(facts);
    const passwd = files.passwd ?? [];
    const group = files.group ?? [];
    const findings: RawFinding[] = [];

    for (const p of passwd) {
      if (p.uid !== 0 || p.name === 'root') continue;
      findings.push(
        fileFinding(facts, 'DSP10202', PASSWD, p.line, `${p.name} has uid 0, so it is a second root account; give it its own uid or remove it`),
      );
    }

    // uid 0 repeats are DSP10202's; names defined twice are DSP10205's.
    const distinctNames = firstOfEachName(passwd);
    for (const { entry, first } of repeats(distinctNames, (p) => p.uid)) {
      if (entry.uid === 0) continue;
      findings.push(
        fileFinding(
          facts,
          'DSP10203',
          PASSWD,
          entry.line,
          `${entry.name} has uid ${entry.uid}, which ${first.name} (line ${first.line}) also has, so each owns the other's files; give ${entry.name} a uid of its own`,
        ),
      );
    }

    const distinctGroups = firstOfEachName(group);
    for (const { entry, first } of repeats(distinctGroups, (g) => g.gid)) {
      findings.push(
        fileFinding(
          facts,
          'DSP10204',
          GROUP,
          entry.line,
          `group ${entry.name} has gid ${entry.gid}, which group ${first.name} (line ${first.line}) also has, so their members share access; give ${entry.name} a gid of its own`,
        ),
      );
    }

    for (const { entry, first } of repeats(passwd, (p) => p.name)) {
      findings.push(
        fileFinding(
          facts,
          'DSP10205',
          PASSWD,
          entry.line,
          `account ${entry.name} is defined again (first at line ${first.line}); the system uses the first entry only, remove one of them`,
        ),
      );
    }
    for (const { entry, first } of repeats(files.shadow ?? [], (s) => s.name)) {
      findings.push(
        fileFinding(facts, 'DSP10205', SHADOW, entry.line, `account ${entry.name} has a second shadow entry (first at line ${first.line}); remove one of them`),
      );
    }
    for (const { entry, first } of repeats(group, (g) => g.name)) {
      findings.push(
        fileFinding(
          facts,
          'DSP10205',
          GROUP,
          entry.line,
          `group ${entry.name} is defined again (first at line ${first.line}); the system uses the first entry only, remove one of them`,
        ),
      );
    }
    return findings;
  },
};
