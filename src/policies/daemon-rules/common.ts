// Helpers the daemon rules share. Pure.
import type { DaemonFacts } from '../../runtime/facts.js';
import type { RawRuntimeFinding } from '../runtime-rule.js';

export function daemonFinding(policy: string, field: string, message: string, subject?: RawRuntimeFinding['subject']): RawRuntimeFinding {
  const raw: RawRuntimeFinding = { policy, message, location: { kind: 'daemon', field } };
  if (subject) raw.subject = subject;
  return raw;
}

/** A Windows engine (Windows containers): user namespaces and live restore do not apply. */
export function isWindowsDaemon(d: DaemonFacts): boolean {
  return (d.info.OSType ?? d.version.Os ?? '').toLowerCase() === 'windows';
}

/** Docker Desktop (or another desktop VM that says so in OperatingSystem). */
export function isDesktop(d: DaemonFacts): boolean {
  return /\b(?:Docker Desktop|Rancher Desktop|OrbStack)\b/i.test(d.info.OperatingSystem ?? '');
}

/** `Daemon "vm" (Debian GNU/Linux 12 (bookworm))`, or `The daemon` when it gave no name: how messages start. */
export function daemonSubject(d: DaemonFacts): string {
  const name = d.info.Name ? ` "${d.info.Name}"` : '';
  const os = d.info.OperatingSystem ? ` (${d.info.OperatingSystem})` : '';
  return name || os ? `Daemon${name}${os}` : 'The daemon';
}
