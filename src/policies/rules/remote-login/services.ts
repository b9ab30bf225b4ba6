// The remote-login and file-transfer servers the DSP103xx policies look for:
// their program names, the port they would listen on and why they are a risk.
// These are the "might expose" signal behind SQ40103–SQ40108, which fire only
// on EXPOSE (or on the daemon being started): a server that is merely
// installed can still be started by an entrypoint script, supervisord or a
// `docker exec`, and listens whether or not the port was declared.
import type { FileFact, ImageFacts } from '../../../image/facts.js';
import { resolveFile } from '../hygiene/where.js';

export interface RemoteServer {
  /** `SSH`, `Telnet`, … */
  name: string;
  /** `an SSH server`, `a Telnet server`: the article goes by how the name is said. */
  article: 'a' | 'an';
  /** The port it listens on by default, `22/tcp`. */
  port: string;
  /** Why it is a risk, for messages. */
  risk: string;
  /** Program names (basenames) of its daemons. */
  programs: readonly string[];
}

export const REMOTE_SERVERS: readonly RemoteServer[] = [
  { name: 'SSH', article: 'an', port: '22/tcp', risk: 'a remote shell into the container', programs: ['sshd', 'dropbear', 'dropbearmulti'] },
  { name: 'Telnet', article: 'a', port: '23/tcp', risk: 'logins travel in clear text', programs: ['telnetd', 'in.telnetd', 'inetutils-telnetd', 'utelnetd'] },
  { name: 'rlogin', article: 'an', port: '513/tcp', risk: 'host-based trust and clear-text logins', programs: ['rlogind', 'in.rlogind'] },
  { name: 'rsh', article: 'an', port: '514/tcp', risk: 'host-based trust and clear-text commands', programs: ['rshd', 'in.rshd'] },
  { name: 'rexec', article: 'an', port: '512/tcp', risk: 'passwords and commands travel in clear text', programs: ['rexecd', 'in.rexecd'] },
  {
    name: 'FTP',
    article: 'an',
    port: '21/tcp',
    risk: 'logins and files travel in clear text',
    programs: ['vsftpd', 'proftpd', 'pure-ftpd', 'pure-ftpd-mysql', 'pure-ftpd-postgresql', 'pure-ftpd-ldap', 'in.ftpd', 'ftpd', 'inetutils-ftpd'],
  },
  { name: 'TFTP', article: 'a', port: '69/udp', risk: 'file transfer without any authentication', programs: ['tftpd', 'in.tftpd'] },
  { name: 'RDP', article: 'an', port: '3389/tcp', risk: 'a remote desktop and a favourite brute-force target', programs: ['xrdp'] },
  {
    name: 'VNC',
    article: 'a',
    port: '5900/tcp',
    risk: 'a remote desktop, often behind a weak or no password',
    programs: ['x11vnc', 'Xvnc', 'Xtigervnc', 'Xtightvnc', 'vncserver', 'tigervncserver'],
  },
];

/** Where packages put daemons (and where people copy them). */
export const PROGRAM_DIRS: readonly string[] = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

const SERVER_OF_PROGRAM = new Map<string, RemoteServer>();
for (const server of REMOTE_SERVERS) for (const program of server.programs) SERVER_OF_PROGRAM.set(program, server);

/** The server a program name (basename) belongs to. */
export function serverOfProgram(program: string): RemoteServer | undefined {
  return SERVER_OF_PROGRAM.get(program);
}

export interface InstalledServer {
  server: RemoteServer;
  program: string;
  /** The path found at a program directory (a symlink's own path when it is one). */
  path: string;
  /** The regular file (or hardlink) it resolves to. */
  file: FileFact;
}

/**
 * The remote servers installed in the merged filesystem: each program name at
 * each program directory, by direct lookup (no walk). Symlinks count when they
 * resolve to a file; two paths of one server ending at the same file are
 * reported once, at the first (e.g. `/usr/sbin/sshd` rather than a `/sbin/sshd` link to it).
 */
export function installedServers(facts: ImageFacts): InstalledServer[] {
  if (!facts.layersRead) return [];
  const out: InstalledServer[] = [];
  const seen = new Set<string>();
  for (const server of REMOTE_SERVERS) {
    for (const program of server.programs) {
      for (const dir of PROGRAM_DIRS) {
        const path = `${dir}/${program}`;
        if (!facts.files.get(path)) continue;
        const file = resolveFile(facts, path);
        // Keyed by server too: busybox-extras links telnetd, ftpd and tftpd to one file.
        const key = `${server.name}\0${file?.path ?? ''}`;
        if (!file || (file.type !== 'file' && file.type !== 'hardlink') || seen.has(key)) continue;
        seen.add(key);
        out.push({ server, program, path, file });
      }
    }
  }
  return out;
}
