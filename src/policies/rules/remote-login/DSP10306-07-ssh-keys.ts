// DSP10306: authorized_keys baked into the image (a standing login for
// whoever holds the matching private keys). DSP10307: SSH host private keys
// baked into the image (every container shares one host identity; Debian's
// openssh-server generates them at install time). A name-only scanner finds
// them in every layer, so a key that a later layer deletes is still reported:
// its bytes ship in the layer that added it.
import type { FileScanner, LayerScanHit } from '../../../image/file-scanner.js';
import type { ImageFacts } from '../../../image/facts.js';
import type { RawFinding, Rule } from '../../rule.js';
import { fileLocation, layerDisplay, layerInherited } from '../hygiene/where.js';
import { installedServers } from './services.js';

const AUTHORIZED = 'authorized-keys';
const HOST_KEY = 'host-key';

function keyKind(path: string): string | undefined {
  if (path.endsWith('/.ssh/authorized_keys') || path.endsWith('/.ssh/authorized_keys2')) return AUTHORIZED;
  // /etc/ssh/ssh_host_ed25519_key (not the .pub); Dropbear's /etc/dropbear/dropbear_rsa_host_key.
  if (path.startsWith('/etc/ssh/ssh_host_') && path.endsWith('_key') && path.indexOf('/', 9) < 0) return HOST_KEY;
  if (path.startsWith('/etc/dropbear/dropbear_') && path.endsWith('_host_key') && path.indexOf('/', 14) < 0) return HOST_KEY;
  return undefined;
}

/** Name-only: the path says what the file is; an empty file (size 0) grants or proves nothing. */
export const sshKeyScanner: FileScanner = {
  id: 'ssh-keys',
  version: 1,
  maxBytes: 0,
  wants: (path, size) => size > 0 && keyKind(path) !== undefined,
  scan(path) {
    const kind = keyKind(path);
    return kind ? [{ kind, path }] : [];
  },
};

/** The account an authorized_keys file lets in, for the message. */
function account(path: string): string {
  const home = path.slice(0, path.lastIndexOf('/.ssh/'));
  if (home === '/root') return 'root';
  if (home.startsWith('/home/') && home.indexOf('/', 6) < 0) return `${home.slice(6)} (home ${home})`;
  return `the account whose home is ${home || '/'}`;
}

/**
 * The hits to report, one per path: the copy in the merged view when there is
 * one, else the newest layer that held the (since deleted) file.
 */
function reported(facts: ImageFacts): Array<{ hit: LayerScanHit; deleted: boolean }> {
  const newest = new Map<string, LayerScanHit>();
  for (const hit of facts.scanHits) {
    if (hit.scanner !== sshKeyScanner.id) continue;
    const seen = newest.get(hit.path);
    if (!seen || hit.layerIndex > seen.layerIndex) newest.set(hit.path, hit);
  }
  return [...newest.values()]
    .map((hit) => ({ hit, deleted: facts.files.get(hit.path)?.layerIndex !== hit.layerIndex }))
    .sort((a, b) => (a.hit.path < b.hit.path ? -1 : a.hit.path > b.hit.path ? 1 : 0));
}

export const sshKeys: Rule = {
  ids: ['DSP10306', 'DSP10307'],
  needs: { files: true, scanners: [sshKeyScanner] },
  evaluate(facts) {
    if (!facts.layersRead) return [];
    const ssh = installedServers(facts).some((s) => s.server.name === 'SSH');
    const findings: RawFinding[] = [];
    for (const { hit, deleted } of reported(facts)) {
      const origin = deleted
        ? `added by ${layerDisplay(facts, hit.layerIndex)} and deleted by a later layer, but its bytes still ship in layer ${hit.layerIndex}`
        : `written by ${layerDisplay(facts, hit.layerIndex)}`;
      const message =
        hit.kind === AUTHORIZED
          ? `${hit.path} is baked into the image: whoever holds a matching private key can log in as ${account(hit.path)} ` +
            `wherever a container runs an SSH server${ssh ? '' : ' (none is installed now)'}; ${origin}`
          : `${hit.path} is an SSH host private key baked into the image: every container from it has the same host identity, ` +
            `so anyone with the image can impersonate any of them to SSH clients (a man in the middle); ${origin}`;
      findings.push({
        policy: hit.kind === AUTHORIZED ? 'DSP10306' : 'DSP10307',
        message,
        location: fileLocation(facts, hit.path, hit.layerIndex),
        inherited: layerInherited(facts, hit.layerIndex),
        subject: { path: hit.path },
      });
    }
    return findings;
  },
};
