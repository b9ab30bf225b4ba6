// DSP30108: the Docker Engine release line is past its end of life: it gets no
// more fixes, security fixes included.
//
// Source of the dates: endoflife.date's docker-engine page (products/
// docker-engine.md in github.com/endoflife-date/endoflife.date, as of March
// 2026), which follows moby's project/BRANCHES-AND-TAGS.md and the release
// notes at https://docs.docker.com/engine/release-notes/. Lines without an
// announced end (25.0, 28, 29 then) are left out: a version whose line is not
// in the table is unknown and never flagged. Before 23.0 lines are YY.MM
// (20.10); 26 was maintained as two lines (26.0, 26.1); from 27 a line is the
// major version. Update the table when a line's end is announced.
//
// Distribution packages (Debian's 20.10.24+dfsg1, Ubuntu's docker.io) may get
// security backports from the distribution after upstream's end of life; the
// message says so, but the line is still flagged: upstream fixes stop.
import type { DaemonFacts } from '../../runtime/facts.js';
import type { DaemonRule } from '../runtime-rule.js';
import { daemonFinding, daemonSubject } from './common.js';

/** Release line → its end-of-life date (YYYY-MM-DD, the line is unsupported from that day). */
export const ENGINE_EOL: Readonly<Record<string, string>> = {
  '17.03': '2017-05-05',
  '17.04': '2017-06-04',
  '17.05': '2017-07-28',
  '17.06': '2017-09-29',
  '17.07': '2017-10-26',
  '17.09': '2017-11-17',
  '17.10': '2017-12-20',
  '17.11': '2018-01-27',
  '17.12': '2018-02-10',
  '18.01': '2018-03-07',
  '18.02': '2018-04-21',
  '18.03': '2018-05-10',
  '18.04': '2018-06-09',
  '18.05': '2018-08-18',
  '18.06': '2018-12-08',
  '18.09': '2019-08-22',
  '19.03': '2021-01-08',
  '20.10': '2023-12-10',
  '23.0': '2025-05-19',
  '24.0': '2024-06-08',
  '26.0': '2024-06-08',
  '26.1': '2025-02-17',
  '27': '2025-05-03',
};

/** The release line of an engine version: `20.10.24+dfsg1` → 20.10, `26.1.4` → 26.1, `27.5.1` → 27; undefined when unreadable. */
export function releaseLine(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+~].*)?$/.exec(version.trim());
  if (!m) return undefined;
  const major = m[1] ?? '';
  const minor = m[2] ?? '';
  for (const line of [`${major}.${minor}`, `${major}.${Number(minor)}`, major]) {
    if (ENGINE_EOL[line] !== undefined) return line;
  }
  return undefined;
}

/** The ISO date of a Date, UTC. */
function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function engineVersion(d: DaemonFacts): string | undefined {
  return d.info.ServerVersion || d.version.Version || undefined;
}

/** True when the API is another engine's (Podman's compatible API reports its own versions). */
function notDockerEngine(d: DaemonFacts): boolean {
  return (d.version.Components ?? []).some((c) => /podman/i.test(c.Name));
}

export const engineEndOfLife: DaemonRule = {
  scope: 'daemon',
  ids: ['DSP30108'],
  evaluate(d) {
    const version = engineVersion(d);
    if (!version || notDockerEngine(d)) return [];
    const line = releaseLine(version);
    const eol = line === undefined ? undefined : ENGINE_EOL[line];
    if (line === undefined || eol === undefined || isoDay(d.now) < eol) return [];
    const distro = /[+~]|ubuntu|deb|el\d|fc\d/i.test(version.replace(/^[\d.]+/, ''))
      ? ' This looks like a distribution package: the distribution may still backport some fixes, but upstream ones stopped.'
      : '';
    return [
      daemonFinding(
        'DSP30108',
        'ServerVersion',
        `${daemonSubject(d)} runs Docker Engine ${version}, release line ${line}, which reached its end of life on ${eol}: ` +
          `it gets no more security fixes.${distro} Fix: upgrade to a maintained release (https://docs.docker.com/engine/install/; ` +
          'Docker Desktop: Check for updates)',
      ),
    ];
  },
};
