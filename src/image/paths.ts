// Tar entry names → absolute image paths. Layer tars name entries
// `usr/bin/su`, `./usr/bin/su` or `usr/bin/`; the image sees `/usr/bin/su`.
import path from 'node:path';

export function imagePath(name: string): string {
  // Fast path for the common, already-clean shapes.
  let p = name;
  if (p.startsWith('./')) p = p.slice(2);
  else if (p.startsWith('/')) p = p.replace(/^\/+/, '');
  if (p.endsWith('/')) p = p.replace(/\/+$/, '');
  if (p === '' || p === '.') return '/';
  if (p.includes('//') || p.includes('/./') || p.includes('..') || p.endsWith('/.')) {
    // Normalise, and clamp `..` at the root as the container runtime would.
    return path.posix.resolve('/', p);
  }
  return '/' + p;
}

/** The parent directory of an absolute path (`/` for top-level entries). */
export function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** True when a tar entry name would land outside the image root. */
export function escapesRoot(name: string): boolean {
  if (!name.includes('..')) return false; // every entry comes here: the common case without a split
  const parts = name.split('/');
  let depth = 0;
  for (const part of parts) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}
