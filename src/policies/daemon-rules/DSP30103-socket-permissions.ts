// DSP30103: the daemon's unix socket is world-writable or world-readable. Write
// permission on the socket is what connecting needs, so o+w lets every local
// user drive the API (root on the host); o+r alone does not let others
// connect, but shows the socket's permissions were loosened from dockerd's
// 0660 root:docker. Only judged for a local unix socket the caller stat'ed.
import type { DaemonRule } from '../runtime-rule.js';
import { daemonFinding, daemonSubject } from './common.js';

export const socketPermissions: DaemonRule = {
  scope: 'daemon',
  ids: ['DSP30103'],
  evaluate(d) {
    const socket = d.socket;
    if (!socket || d.endpoint.scheme !== 'unix') return [];
    const mode = socket.mode & 0o777;
    const writable = (mode & 0o002) !== 0;
    const readable = (mode & 0o004) !== 0;
    if (!writable && !readable) return [];
    const octal = mode.toString(8).padStart(4, '0');
    const what = writable
      ? 'world-writable: every local user can connect and drive the API, which is root on the host'
      : 'world-readable: others cannot connect without write permission, but the socket is looser than dockerd makes it';
    return [
      daemonFinding(
        'DSP30103',
        'Socket',
        `${daemonSubject(d)}'s socket ${socket.path} has mode ${octal}, ${what}. ` +
          `Fix: chmod 660 ${socket.path} and chown root:docker ${socket.path} (dockerd's default, -G docker; with systemd, ` +
          'SocketMode=0660 in docker.socket), and remove whatever loosened it (a chmod 666 in a script or unit)',
        { path: socket.path },
      ),
    ];
  },
};
