// One walk over the merged filesystem for all the hygiene policies that need
// one (package caches, VCS metadata, stray files, world-writable paths): an
// image can hold a few hundred thousand paths, so each path gets a handful of
// cheap string checks, once, and the result is kept per facts object for the
// other rules of the same run.
import type { FileFact, ImageFacts } from '../../../image/facts.js';
import { effectiveMode } from './where.js';

export interface CacheKind {
  /** What it is, for messages: `apt package lists`. */
  name: string;
  /** How to leave it out, for messages. */
  fix: string;
}

export const CACHES = {
  aptLists: { name: 'apt package lists', fix: 'end the RUN that runs apt-get update with `rm -rf /var/lib/apt/lists/*`' },
  aptCache: { name: 'apt package cache (.debs and .bin caches)', fix: 'run `apt-get clean` at the end of the RUN that installs' },
  apk: { name: 'apk package cache', fix: 'install with `apk add --no-cache`' },
  yum: { name: 'yum cache', fix: 'end the RUN that installs with `yum clean all && rm -rf /var/cache/yum`' },
  dnf: { name: 'dnf cache', fix: 'end the RUN that installs with `dnf clean all`' },
  pip: { name: 'pip cache', fix: 'install with `pip install --no-cache-dir` (or set PIP_NO_CACHE_DIR=1)' },
  npm: { name: 'npm cache', fix: 'end the RUN that installs with `npm cache clean --force`, or use a cache mount' },
  yarn: { name: 'yarn cache', fix: 'end the RUN that installs with `yarn cache clean`, or use a cache mount' },
} as const satisfies Record<string, CacheKind>;

/** Files under one root (a cache, a `.git`), with the bytes each layer wrote. */
export interface PathGroup {
  root: string;
  bytes: number;
  files: number;
  /** Layer index → bytes of the group's files that layer last wrote. */
  layers: Map<number, number>;
}

export interface CacheGroup extends PathGroup {
  cache: CacheKind;
}

export interface VcsGroup extends PathGroup {
  /** `Git`, `Subversion`, `Mercurial`. */
  system: string;
}

export interface StrayFile {
  file: FileFact;
  /** What it is: `a macOS Finder metadata file`. */
  what: string;
}

export interface Survey {
  caches: CacheGroup[];
  vcs: VcsGroup[];
  stray: StrayFile[];
  /** World-writable regular files, hardlinks and non-sticky directories outside the temporary directories. */
  worldWritable: Array<{ file: FileFact; mode: number }>;
}

const VCS_DIRS: ReadonlyArray<[marker: string, system: string]> = [
  ['/.git/', 'Git'],
  ['/.svn/', 'Subversion'],
  ['/.hg/', 'Mercurial'],
];

/** Paths where world-writable is the point (sticky or not): temporary directories and kernel filesystems. */
const TEMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '/run/lock', '/var/lock', '/proc', '/sys'];

export function isTempPath(path: string): boolean {
  for (const dir of TEMP_DIRS) {
    if (path.startsWith(dir) && (path.length === dir.length || path.charCodeAt(dir.length) === 0x2f)) return true;
  }
  return false;
}

const LOGS = new Set(['npm-debug.log', 'yarn-error.log', 'yarn-debug.log', 'lerna-debug.log']);

/** What a stray file is, from its base name, or undefined when it is not one. */
export function strayKind(base: string): string | undefined {
  if (base === '.DS_Store') return 'a macOS Finder metadata file';
  if (base === 'Thumbs.db') return 'a Windows thumbnail cache';
  if (LOGS.has(base)) return 'a package-manager debug log';
  if (base.length > 1 && base.endsWith('~')) return 'an editor backup';
  if (base.length > 2 && base.startsWith('#') && base.endsWith('#')) return 'an Emacs auto-save file';
  if (base.length > 4 && base.startsWith('.') && (base.endsWith('.swp') || base.endsWith('.swo'))) return 'a Vim swap file';
  return undefined;
}

/** Where under /var a cache file belongs, as [root, kind]; undefined when it is not a cache file. */
function varCache(p: string): [string, CacheKind] | undefined {
  if (p.startsWith('/var/lib/apt/lists/')) {
    // `lock` and `partial/` are apt's working state, not lists.
    if (p === '/var/lib/apt/lists/lock' || p.startsWith('/var/lib/apt/lists/partial/')) return undefined;
    return ['/var/lib/apt/lists', CACHES.aptLists];
  }
  if (p.startsWith('/var/cache/')) {
    if (p.startsWith('/var/cache/apt/')) {
      const archive = p.startsWith('/var/cache/apt/archives/') && p.endsWith('.deb');
      const bin = p.endsWith('.bin') && p.indexOf('/', 15) < 0;
      return archive || bin ? ['/var/cache/apt', CACHES.aptCache] : undefined;
    }
    if (p.startsWith('/var/cache/apk/')) return ['/var/cache/apk', CACHES.apk];
    if (p.startsWith('/var/cache/yum/')) return ['/var/cache/yum', CACHES.yum];
    if (p.startsWith('/var/cache/dnf/')) return ['/var/cache/dnf', CACHES.dnf];
    if (p.startsWith('/var/cache/libdnf5/')) return ['/var/cache/libdnf5', CACHES.dnf];
  }
  return undefined;
}

/** Home-directory caches (`/root/.cache/pip/…`), found after a `/.` in the path. */
function homeCache(p: string): [string, CacheKind] | undefined {
  let i = p.indexOf('/.cache/pip/');
  if (i >= 0) return [p.slice(0, i + 11), CACHES.pip];
  i = p.indexOf('/.cache/yarn/'); // also /usr/local/share/.cache/yarn
  if (i >= 0) return [p.slice(0, i + 12), CACHES.yarn];
  i = p.indexOf('/.npm/_cacache/');
  if (i >= 0) return [p.slice(0, i + 14), CACHES.npm];
  return undefined;
}

function add<G extends PathGroup>(groups: Map<string, G>, root: string, file: FileFact, make: () => G): void {
  let group = groups.get(root);
  if (!group) {
    group = make();
    groups.set(root, group);
  }
  group.files++;
  group.bytes += file.size;
  group.layers.set(file.layerIndex, (group.layers.get(file.layerIndex) ?? 0) + file.size);
}

function walk(facts: ImageFacts): Survey {
  const caches = new Map<string, CacheGroup>();
  const vcs = new Map<string, VcsGroup>();
  const stray: StrayFile[] = [];
  const worldWritable: Survey['worldWritable'] = [];

  for (const file of facts.files.values()) {
    const t = file.type;
    if (t !== 'file' && t !== 'dir' && t !== 'hardlink') continue; // symlinks are always 0777; devices are not files
    const mode = t === 'hardlink' ? effectiveMode(facts, file) : file.mode;
    if (mode & 0o002 && !(t === 'dir' && mode & 0o1000) && !isTempPath(file.path)) worldWritable.push({ file, mode });
    if (t === 'dir') continue;

    const p = file.path;
    if (p.startsWith('/var/')) {
      const cache = varCache(p);
      if (cache) {
        const [root, kind] = cache;
        add(caches, root, file, () => ({ root, cache: kind, bytes: 0, files: 0, layers: new Map() }));
        continue;
      }
    }
    // Dot components: VCS metadata, home caches, dotfile strays. Most paths have none.
    if (p.includes('/.')) {
      let inVcs = false;
      for (const [marker, system] of VCS_DIRS) {
        const i = p.indexOf(marker);
        if (i < 0) continue;
        const root = p.slice(0, i + marker.length - 1);
        add(vcs, root, file, () => ({ root, system, bytes: 0, files: 0, layers: new Map() }));
        inVcs = true;
        break;
      }
      if (inVcs) continue;
      const cache = homeCache(p);
      if (cache) {
        const [root, kind] = cache;
        add(caches, root, file, () => ({ root, cache: kind, bytes: 0, files: 0, layers: new Map() }));
        continue;
      }
    }
    // Slice out the base name only when its first or last character could make it a stray file.
    const slash = p.lastIndexOf('/');
    const first = p.charCodeAt(slash + 1);
    if (first === 0x2e || first === 0x23 || p.charCodeAt(p.length - 1) === 0x7e || p.endsWith('.log') || p.endsWith('/Thumbs.db')) {
      const what = strayKind(p.slice(slash + 1));
      if (what) stray.push({ file, what });
    }
  }
  const byRoot = <G extends PathGroup>(a: G, b: G): number => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0);
  const byFilePath = <T extends { file: FileFact }>(a: T, b: T): number =>
    a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0;
  return {
    caches: [...caches.values()].sort(byRoot),
    vcs: [...vcs.values()].sort(byRoot),
    stray: stray.sort(byFilePath),
    worldWritable: worldWritable.sort(byFilePath),
  };
}

const surveys = new WeakMap<ImageFacts, Survey>();

/** The survey of the facts' merged filesystem (computed on first use, then shared). */
export function surveyOf(facts: ImageFacts): Survey {
  let survey = surveys.get(facts);
  if (!survey) {
    survey = walk(facts);
    surveys.set(facts, survey);
  }
  return survey;
}
