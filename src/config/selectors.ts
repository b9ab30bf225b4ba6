// What an exception's fields mean: policy IDs and ranges, image patterns
// (glob on repo:tag, or an ID), path globs and ports.
import type Picomatch from 'picomatch';
import { lazyModule } from '../lazy-module.js';
import type { PolicyRange, PortSelector } from './model.js';

// Loaded on the first glob: most runs have no exceptions to match (start-up time).
const picomatch = lazyModule<typeof Picomatch>('picomatch');

/** One policy ID or an inclusive range of IDs, e.g. SQ40104 or SQ40103-SQ40108. */
export const POLICY_REF = /^\s*([A-Za-z]+)(\d+)\s*(?:-\s*([A-Za-z]+)(\d+)\s*)?$/;
/** 22, 22/tcp, 20-21, 20-21/tcp. */
export const PORT_REF = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?(?:\/(tcp|udp|sctp|TCP|UDP|SCTP))?\s*$/i;

export function parsePolicyRef(ref: string): PolicyRange | null {
  const m = POLICY_REF.exec(ref);
  if (!m) return null;
  const prefix = m[1].toUpperCase();
  const from = Number(m[2]);
  if (m[3] === undefined) return { prefix, from, to: from };
  if (m[3].toUpperCase() !== prefix) return null;
  return { prefix, from, to: Number(m[4]) };
}

/** Why a reference names no known policy, or null when it is fine. */
export function unknownIdsIn(range: PolicyRange, ref: string, known: string[]): string | null {
  const covered = known.filter((id) => inRange(range, id));
  if (range.from === range.to) {
    return covered.length === 0 ? `unknown policy ID ${ref.trim()}; \`policies\` lists them` : null;
  }
  return covered.length === 0 ? `the range ${ref.trim()} covers no known policy` : null;
}

export function inRange(range: PolicyRange, id: string): boolean {
  const m = /^([A-Za-z]+)(\d+)$/.exec(id);
  if (!m || m[1].toUpperCase() !== range.prefix) return false;
  const n = Number(m[2]);
  return n >= range.from && n <= range.to;
}

export function parsePort(value: number | string): PortSelector | null {
  if (typeof value === 'number') return value >= 1 && value <= 65535 ? { from: value, to: value } : null;
  const m = PORT_REF.exec(value);
  if (!m) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || from > to) return null;
  return m[3] ? { from, to, protocol: m[3].toLowerCase() } : { from, to };
}

/** A finding's port subject (`22/tcp`, `22`) against the selector. */
export function portMatches(selector: PortSelector, subject: string): boolean {
  const m = /^(\d+)(?:\/(\w+))?$/.exec(subject.trim());
  if (!m) return false;
  const port = Number(m[1]);
  const protocol = (m[2] ?? 'tcp').toLowerCase();
  return port >= selector.from && port <= selector.to && (!selector.protocol || selector.protocol === protocol);
}

/** An advisory ID or alias, case-insensitively (CVE-2024-3094 covers DSA-… filed for it). */
export function advisoryMatches(id: string, subject: { advisory?: string; aliases?: string[] }): boolean {
  const want = id.toUpperCase();
  return [subject.advisory, ...(subject.aliases ?? [])].some((a) => a !== undefined && a.toUpperCase() === want);
}

/** `pkg:…` is a purl prefix (up to `@`, `?` or the end); otherwise a glob on the package name. */
export function packageMatches(selector: string, subject: { package?: string; purl?: string }): boolean {
  if (selector.startsWith('pkg:')) {
    const purl = subject.purl;
    if (!purl?.startsWith(selector)) return false;
    const next = purl.charAt(selector.length);
    return next === '' || next === '@' || next === '?' || selector.endsWith('/') || selector.includes('@');
  }
  return subject.package !== undefined && picomatch().isMatch(subject.package, selector, { dot: true });
}

export function pathMatches(glob: string, path: string): boolean {
  return picomatch().isMatch(path, glob, { dot: true });
}

const IMAGE_ID = /^(?:sha256:)?([0-9a-f]{12,64})$/;

/** What an image is known by: its ID and its repo:tag names. */
export interface ImageNames {
  id?: string;
  repoTags: string[];
  /** The name the user gave on the command line. */
  ref?: string;
}

/**
 * `sha256:abc…` / `abc123def456` (≥ 12 hex digits) matches the image ID by
 * prefix. Otherwise a glob: with a tag (`app:1.*`) on repo:tag, without one
 * (`myorg/*`) on the repository, so `myorg/*` covers every tag. `*` stays
 * within one path segment and `**` crosses them, as in any glob; a lone `*`
 * means every image.
 */
export function imageMatches(pattern: string, image: ImageNames): boolean {
  if (pattern === '*' || pattern === '**') return true; // "every image", tagged or not
  const id = IMAGE_ID.exec(pattern.toLowerCase());
  if (id && image.id) {
    const hex = image.id.replace(/^sha256:/, '');
    if (hex.startsWith(id[1])) return true;
  }
  const names = [...image.repoTags, ...(image.ref ? [image.ref] : [])].map(normaliseRef);
  const withTag = hasTag(pattern);
  const isMatch = picomatch()(normaliseRef(pattern), { dot: true });
  return names.some((name) => isMatch(withTag ? name : repositoryOf(name)));
}

/** `docker.io/library/nginx:1` → `nginx:1`: how people write names. */
function normaliseRef(ref: string): string {
  return ref.replace(/^(?:docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

function hasTag(ref: string): boolean {
  const lastSlash = ref.lastIndexOf('/');
  return ref.indexOf(':', lastSlash + 1) >= 0 || ref.includes('@');
}

function repositoryOf(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  return colon >= 0 ? noDigest.slice(0, colon) : noDigest;
}
