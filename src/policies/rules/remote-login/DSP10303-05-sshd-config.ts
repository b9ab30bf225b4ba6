// DSP10303 PermitRootLogin yes, DSP10304 PermitEmptyPasswords yes, DSP10305
// password authentication on, in the sshd configuration that an installed
// OpenSSH server would read (sshd-config.ts says how it is read). Only when
// /usr/sbin/sshd (or another program dir's sshd) is installed: a config file
// without the server is inert.
//
// Defaults: PermitRootLogin is prohibit-password (keys only) since OpenSSH
// 7.0, so only an explicit `yes` fires; PermitEmptyPasswords is no. Password
// authentication is ON when nothing sets it, so DSP10305 fires on the default
// too (the message says so), unless its `includeDefault` option is false.
import type { ImageFacts } from '../../../image/facts.js';
import type { RawFinding, Rule } from '../../rule.js';
import { fileLocation, layerDisplay, layerInherited } from '../hygiene/where.js';
import { installedServers } from './services.js';
import {
  type Judged,
  type SshdDirective,
  JUDGED,
  SSHD_CONFIG,
  includeMatches,
  parseSshdConfig,
  sshdConfigScanner,
} from './sshd-config.js';

/** One directive as sshd would meet it, with the file (and its layer) it is in. */
interface Setting {
  keyword: Judged;
  value: string;
  path: string;
  line: number;
  layerIndex: number;
  global: boolean;
}

/** The drop-in settings still in the merged view, by path: hits of the layer that last wrote each file. */
function dropinSettings(facts: ImageFacts): Map<string, Setting[]> {
  const byPath = new Map<string, Setting[]>();
  for (const hit of facts.scanHits) {
    if (hit.scanner !== sshdConfigScanner.id) continue;
    if (facts.files.get(hit.path)?.layerIndex !== hit.layerIndex) continue; // replaced or deleted later
    if (!(JUDGED as readonly string[]).includes(hit.kind)) continue;
    const list = byPath.get(hit.path) ?? [];
    list.push({ keyword: hit.kind as Judged, value: hit.excerpt ?? '', path: hit.path, line: hit.line ?? 0, layerIndex: hit.layerIndex, global: true });
    byPath.set(hit.path, list);
  }
  for (const list of byPath.values()) list.sort((a, b) => a.line - b.line);
  return byPath;
}

/** Every judged setting in the order sshd reads them: the main file, with each Include's files spliced in. */
function settingsInOrder(facts: ImageFacts, main: SshdDirective[], mainLayer: number): Setting[] {
  const dropins = dropinSettings(facts);
  const dropinPaths = [...dropins.keys()].sort();
  const out: Setting[] = [];
  for (const d of main) {
    if (d.keyword !== 'Include') {
      out.push({ keyword: d.keyword, value: d.value, path: SSHD_CONFIG, line: d.line, layerIndex: mainLayer, global: d.global });
      continue;
    }
    for (const pattern of d.value.split(' ')) {
      for (const path of dropinPaths.filter((p) => includeMatches(pattern, p))) {
        // An Include inside a Match block makes all it brings conditional.
        for (const s of dropins.get(path) ?? []) out.push({ ...s, global: s.global && d.global });
      }
    }
  }
  return out;
}

const WHY: Record<Judged, string> = {
  PermitRootLogin: 'sshd lets root log in with a password',
  PermitEmptyPasswords: 'an account with an empty password can log in over SSH without one',
  PasswordAuthentication: 'sshd accepts password logins, which can be brute-forced',
};

const POLICY: Record<Judged, string> = {
  PermitRootLogin: 'DSP10303',
  PermitEmptyPasswords: 'DSP10304',
  PasswordAuthentication: 'DSP10305',
};

function where(setting: Pick<Setting, 'path' | 'line'>): string {
  return `${setting.path} line ${setting.line}`;
}

export const sshdConfig: Rule = {
  ids: ['DSP10303', 'DSP10304', 'DSP10305'],
  needs: { files: true, contents: [SSHD_CONFIG], scanners: [sshdConfigScanner] },
  evaluate(facts, context) {
    if (!facts.layersRead) return [];
    // Dropbear does not read sshd_config; only OpenSSH's sshd counts.
    const sshd = installedServers(facts).find((s) => s.program === 'sshd');
    const text = facts.contents.get(SSHD_CONFIG);
    const mainFile = facts.files.get(SSHD_CONFIG);
    // Without its main file sshd does not start: nothing to judge.
    if (!sshd || text === undefined || !mainFile) return [];

    const settings = settingsInOrder(facts, parseSshdConfig(text.toString('utf8')), mainFile.layerIndex);
    const findings: RawFinding[] = [];
    for (const keyword of JUDGED) {
      const global = settings.filter((s) => s.keyword === keyword && s.global);
      const first = global[0];
      const policy = POLICY[keyword];
      if (!first) {
        if (keyword !== 'PasswordAuthentication' || context.options(policy).includeDefault === false) continue;
        findings.push({
          policy,
          message:
            `${SSHD_CONFIG} does not set PasswordAuthentication, so OpenSSH's default (yes) applies: ${WHY[keyword]}; ` +
            `set PasswordAuthentication no; ${SSHD_CONFIG} written by ${layerDisplay(facts, mainFile.layerIndex)}`,
          location: fileLocation(facts, SSHD_CONFIG, mainFile.layerIndex),
          inherited: layerInherited(facts, mainFile.layerIndex),
          subject: { path: SSHD_CONFIG },
        });
        continue;
      }
      if (first.value.toLowerCase() !== 'yes') continue;
      // sshd keeps the first value: a later `no` is a trap worth naming.
      const ignored = global.find((s) => s.value.toLowerCase() !== 'yes');
      const trap = ignored
        ? `; the later ${keyword} ${ignored.value} at ${where(ignored)} has no effect (sshd keeps the first value it reads)`
        : '';
      findings.push({
        policy,
        message:
          `${where(first)} sets ${keyword} ${first.value}: ${WHY[keyword]}${trap}; ` +
          `written by ${layerDisplay(facts, first.layerIndex)}`,
        location: fileLocation(facts, first.path, first.layerIndex),
        inherited: layerInherited(facts, first.layerIndex),
        subject: { path: first.path },
      });
    }
    return findings;
  },
};
