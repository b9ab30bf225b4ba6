// DSP10601: a layer tar holds entries whose names or link targets lead out of
// the image root: `../` climbing above `/`, absolute names (`/etc/x`), a
// relative symlink that climbs above `/` from where it sits, or a hardlink to
// such a name. Docker's own exports never write them (its extractor refuses
// the climbing ones as a breakout), so the archive was made or changed by
// something else, and a tool that unpacks it trusting the names (a scanner, a
// CI step, `tar -P`) writes outside its target directory. The layer reader
// shows every header to an entry scanner, with names as the tar wrote them,
// before they become image paths (which clamp `..` at the root).
import type { EntryHeader, FileScanner, ScanHit } from '../../image/file-scanner.js';
import { escapesRoot, parentOf } from '../../image/paths.js';
import type { RawFinding, Rule } from '../rule.js';
import { fileLocation, layerDisplay, layerInherited, plural } from './hygiene/where.js';

const CLIMBS = 'name-climbs';
const ABSOLUTE = 'name-absolute';
const SYMLINK_CLIMBS = 'symlink-climbs';
const HARDLINK_CLIMBS = 'hardlink-climbs';
/** Findings reported one by one per image; the rest are summed up in one. */
const MAX_FINDINGS = 20;

/** The unsafe shapes of one entry's name and link target, as hits (empty for a normal entry). */
export function entryHits(header: EntryHeader): Array<Omit<ScanHit, 'scanner'>> {
  const { name, path, type, linkname } = header;
  const hits: Array<Omit<ScanHit, 'scanner'>> = [];
  const at = (kind: string, data: Record<string, string>) => hits.push({ kind, path, data });
  if (escapesRoot(name)) at(CLIMBS, { name });
  else if (name.startsWith('/')) at(ABSOLUTE, { name });
  if (linkname) {
    if (type === 'symlink') {
      // Resolved from the directory the link sits in; an absolute target is the image's own `/`.
      const from = parentOf(path);
      if (!linkname.startsWith('/') && escapesRoot(`${from}/${linkname}`)) at(SYMLINK_CLIMBS, { name, target: linkname });
    } else if (type === 'link' && escapesRoot(linkname)) {
      at(HARDLINK_CLIMBS, { name, target: linkname });
    }
  }
  return hits;
}

/** Headers only: no file's bytes are read. */
export const entryNameScanner: FileScanner = {
  id: 'entry-names',
  version: 1,
  maxBytes: 0,
  wants: () => false,
  scan: () => [],
  entry: entryHits,
};

/** A name as written, quoted, with control characters and invalid UTF-8 (U+FFFD) visible as escapes. */
function quoted(name: string): string {
  return JSON.stringify(name);
}

function why(hit: ScanHit): string {
  const name = quoted(hit.data?.name ?? hit.path);
  const target = quoted(hit.data?.target ?? '');
  switch (hit.kind) {
    case CLIMBS:
      return `the entry ${name} climbs out of the image root with \`..\`: unpacked by a tool that trusts the names, it writes outside its target directory`;
    case ABSOLUTE:
      return `the entry ${name} has an absolute name: unpacked by a tool that keeps absolute names (\`tar -P\`), it writes at that path on the host`;
    case SYMLINK_CLIMBS:
      return `the symlink ${name} → ${target} points above the image root: a tool that follows it while unpacking or copying reads or writes outside its target directory`;
    default:
      return `the hardlink ${name} → ${target} names a file above the image root: unpacked by a tool that trusts it, it links a file from outside its target directory`;
  }
}

export const entriesOutsideRoot: Rule = {
  ids: ['DSP10601'],
  needs: { scanners: [entryNameScanner] },
  evaluate(facts) {
    if (!facts.layersRead) return [];
    const hits = facts.scanHits.filter((h) => h.scanner === entryNameScanner.id);
    const findings: RawFinding[] = hits.slice(0, MAX_FINDINGS).map((hit) => ({
      policy: 'DSP10601',
      message:
        `${why(hit)}; Docker's own exports never hold such entries, so this layer was made or changed by something else; ` +
        `in ${layerDisplay(facts, hit.layerIndex)}`,
      location: fileLocation(facts, hit.path, hit.layerIndex),
      inherited: layerInherited(facts, hit.layerIndex),
      subject: { path: hit.path },
    }));
    const rest = hits.slice(MAX_FINDINGS);
    const first = rest[0];
    if (first) {
      const layers = [...new Set(rest.map((h) => h.layerIndex))].sort((a, b) => a - b);
      findings.push({
        policy: 'DSP10601',
        message:
          `…and ${plural(rest.length, 'more entry', 'more entries')} whose names or link targets lead out of the image root ` +
          `(the first ${MAX_FINDINGS} are reported one by one), e.g. ${rest.slice(0, 3).map((h) => quoted(h.data?.name ?? h.path)).join(', ')}; ` +
          `in ${plural(layers.length, 'layer')} (${layers.join(', ')})`,
        location: fileLocation(facts, first.path, first.layerIndex),
        inherited: rest.every((h) => layerInherited(facts, h.layerIndex)),
      });
    }
    return findings;
  },
};
