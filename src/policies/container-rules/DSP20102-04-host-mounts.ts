// DSP20102–DSP20104: host paths bind-mounted into a container. Each bind mount
// (inspect's top-level Mounts, which covers -v, --mount and compose volumes)
// is put in exactly one class, the most severe that applies:
//   DSP20102  a container-runtime API socket (Docker, containerd, Podman,
//             CRI-O, BuildKit), or the daemon's own socket: control of the
//             daemon, so root on the host. Read-only does not help.
//   DSP20103  the host's root filesystem `/`.
//   DSP20104  a sensitive host path: /etc, /root, /proc, /sys, /boot, /dev,
//             /var/run (/run), /var/lib/docker, the user's home directory or
//             a credentials directory in a home (~/.ssh, ~/.aws, …), anything
//             beneath those, and any directory that contains one (/var,
//             /home). A few read-only trust and time files (/etc/localtime,
//             /etc/ssl/certs…) are fine. A project directory inside a home
//             (~/src/app) is not flagged.
// Volumes, tmpfs and other mount types are not host paths and are skipped.
import type { ContainerFacts, ContainerMount, HostContext } from '../../runtime/facts.js';
import type { ContainerRule, RawRuntimeFinding } from '../runtime-rule.js';
import { finding, subjectOf } from './common.js';

/** File names of container-runtime API sockets (Docker Desktop's `docker.sock.raw` and host-services proxy included). */
const SOCKET_NAME =
  /^(?:docker(?:\.proxy)?\.sock(?:\.raw)?|docker-cli-api\.sock|containerd\.sock(?:\.ttrpc)?|cri-dockerd\.sock|dockershim\.sock|podman\.sock|crio\.sock|buildkitd\.sock)$/;
/** The Docker engine's named pipe on Windows. */
const DOCKER_PIPE = /[/\\]pipe[/\\](?:docker_engine|dockerDesktopLinuxEngine|dockerDesktopWindowsEngine|containerd-containerd)$/i;

/** Trees whose every path is sensitive, with why. */
const SENSITIVE_TREES: ReadonlyArray<[string, string]> = [
  ['/etc', 'host configuration and secrets (/etc/shadow, keys, sudoers)'],
  ['/root', "root's home directory (SSH keys, credentials, shell history)"],
  ['/proc', 'host processes and kernel interfaces'],
  ['/sys', 'kernel, cgroup and device settings'],
  ['/boot', 'the kernel and boot loader'],
  ['/dev', 'host devices (disks, memory, terminals)'],
  ['/var/run', 'host runtime state and sockets (Docker, containerd, D-Bus, systemd)'],
  ['/run', 'host runtime state and sockets (Docker, containerd, D-Bus, systemd)'],
  ['/var/lib/docker', "the Docker data root: every image's and container's files"],
  ['/var/lib/containerd', "containerd's data: every image's and container's files"],
];

/** Credential directories inside a home directory. */
const CREDENTIAL_DIRS = ['.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker', '.config/gcloud', '.password-store'];

/** Read-only files and directories under a sensitive tree that are routinely shared and harmless to read. */
const READ_ONLY_OK = new Set([
  '/etc/localtime',
  '/etc/timezone',
  '/etc/ssl/certs',
  '/etc/ca-certificates',
  '/etc/pki/ca-trust',
  '/etc/pki/tls/certs',
  '/etc/machine-id',
]);

/** `/etc//x/` → `/etc/x`; `/` stays `/`. */
export function normalizeHostPath(path: string): string {
  const p = path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return p === '' && path.startsWith('/') ? '/' : p;
}

function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** A home directory the path is in (or is): the known one, or /home/NAME, /Users/NAME. */
function homeOf(path: string, homeDir: string | undefined): string | undefined {
  const home = homeDir ? normalizeHostPath(homeDir) : undefined;
  if (home && home !== '/' && within(path, home)) return home;
  return /^(\/home\/[^/]+|\/Users\/[^/]+)(?:\/|$)/.exec(path)?.[1];
}

function isSocket(m: ContainerMount, path: string, host: HostContext): boolean {
  if (m.Type === 'npipe') return DOCKER_PIPE.test(m.Source);
  const daemonSocket = host.daemonSocket ? normalizeHostPath(host.daemonSocket) : undefined;
  return path === daemonSocket || SOCKET_NAME.test(path.split('/').pop() ?? '');
}

/** Why the bind source is sensitive, or undefined. */
export function sensitiveReason(path: string, readOnly: boolean, homeDir: string | undefined): string | undefined {
  if (readOnly && READ_ONLY_OK.has(path)) return undefined;
  for (const [tree, why] of SENSITIVE_TREES) {
    if (within(path, tree)) return path === tree ? why : `it is inside ${tree}: ${why}`;
  }
  const home = homeOf(path, homeDir);
  if (home) {
    if (path === home) return "it is a user's home directory (SSH keys, cloud credentials, browser data)";
    const cred = CREDENTIAL_DIRS.find((d) => within(path, `${home}/${d}`));
    if (cred) return `it holds credentials (~/${cred})`;
    return undefined; // a project directory inside a home
  }
  // A directory that contains a sensitive one: /var holds /var/run, /home the homes.
  const tree = SENSITIVE_TREES.find(([t]) => t.startsWith(`${path}/`));
  if (tree) return `it contains ${tree[0]}: ${tree[1]}`;
  const knownHome = homeDir ? normalizeHostPath(homeDir) : undefined;
  if (knownHome?.startsWith(`${path}/`)) return `it contains the home directory ${knownHome} (SSH keys, cloud credentials, browser data)`;
  if (path === '/home' || path === '/Users') return "it contains the users' home directories (SSH keys, cloud credentials)";
  return undefined;
}

function mountOption(m: ContainerMount): string {
  return `-v ${m.Source}:${m.Destination}${m.RW ? '' : ':ro'}`;
}

function access(m: ContainerMount): string {
  return m.RW ? 'read-write' : 'read-only';
}

function classify(c: ContainerFacts, m: ContainerMount, host: HostContext): RawRuntimeFinding | undefined {
  if (m.Type !== 'bind' && m.Type !== 'npipe') return undefined;
  const path = m.Type === 'npipe' ? m.Source : normalizeHostPath(m.Source);
  const who = subjectOf(c);
  const remove = `Fix: remove ${mountOption(m)} (compose: the volumes entry "${m.Source}:${m.Destination}")`;
  if (isSocket(m, path, host)) {
    return finding(
      c,
      'DSP20102',
      'Mounts',
      `${who} mounts the container runtime's API socket ${m.Source} at ${m.Destination} (${access(m)}): whoever can write to it ` +
        `controls the daemon and so the host, as root, and :ro does not stop that. ${remove}; if it must reach the API, ` +
        'put a filtering proxy in between that allows only the calls it needs',
      { path: m.Source },
    );
  }
  if (path === '/') {
    return finding(
      c,
      'DSP20103',
      'Mounts',
      `${who} mounts the host's root filesystem / at ${m.Destination} (${access(m)}): every host file, ` +
        `secrets and the Docker socket included, is in the container. ${remove}; mount only the directory it needs, read-only (:ro)`,
      { path: m.Source },
    );
  }
  const why = sensitiveReason(path, !m.RW, host.homeDir);
  if (!why) return undefined;
  return finding(
    c,
    'DSP20104',
    'Mounts',
    `${who} mounts the sensitive host path ${m.Source} at ${m.Destination} (${access(m)}): ${why}. ` +
      `${remove}; mount only the files it needs, read-only (:ro), or use a volume`,
    { path: m.Source },
  );
}

export const hostMounts: ContainerRule = {
  scope: 'container',
  ids: ['DSP20102', 'DSP20103', 'DSP20104'],
  evaluate(c, host) {
    return c.Mounts.flatMap((m) => classify(c, m, host) ?? []);
  },
};
