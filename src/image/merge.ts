// The merged filesystem as the container sees it: layers applied bottom to
// top, whiteouts (`.wh.NAME`) delete lower paths, opaque directories
// (`.wh..wh..opq`) hide their lower children, and a non-directory hides
// everything below its path. Computed top-down so each path is decided once:
// the first (topmost) layer that mentions a path wins unless something above
// it hid the path or one of its ancestors.
import { MERGED_LAYER, type FileFact, type FileIndex } from './facts.js';
import type { LayerContents } from './layer-reader.js';

class MapFileIndex implements FileIndex {
  constructor(private readonly map: Map<string, FileFact>) {}
  get(path: string): FileFact | undefined {
    return this.map.get(path);
  }
  values(): Iterable<FileFact> {
    return this.map.values();
  }
  get size(): number {
    return this.map.size;
  }
}

export function fileIndexOf(files: Iterable<FileFact>): FileIndex {
  const map = new Map<string, FileFact>();
  for (const f of files) map.set(f.path, f);
  return new MapFileIndex(map);
}

export interface MergedFilesystem {
  files: FileIndex;
  /** Captured contents of the files still present in the merged view. */
  contents: Map<string, Buffer>;
}

export function mergeLayers(layers: LayerContents[]): MergedFilesystem {
  const merged = new Map<string, FileFact>();
  const contents = new Map<string, Buffer>();
  // Paths hidden from the layers below the current one, with the kind of hiding.
  const deleted = new Set<string>(); // whiteout: the path and everything under it
  const opaque = new Set<string>(); // opaque dir: everything under it (not the dir itself)

  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const replacedDirs: string[] = [];
    const hiddenDirs = new Map<string, boolean>(); // this layer's answers per directory (see dirHides)
    for (const e of layer.entries) {
      const upper = merged.get(e.path);
      if (upper?.layerIndex === i) {
        // The same path twice in one layer: unpacking writes the later entry over the earlier one.
        replaceInLayer(merged, contents, layer, e, i);
        if (e.type !== 'dir' && hiddenDirs.has(e.path)) hiddenDirs.clear();
        continue;
      }
      if (upper) {
        // A non-directory here removed the lower subtree, though an upper layer made the path a directory again.
        if (upper.type === 'dir' && e.type !== 'dir') replacedDirs.push(e.path);
        continue;
      }
      if (isHidden(e.path, deleted, opaque, merged, hiddenDirs)) continue;
      const fact: FileFact = {
        path: e.path,
        type: e.type,
        mode: e.mode,
        uid: e.uid,
        gid: e.gid,
        size: e.size,
        layerIndex: i,
      };
      if (e.linkTarget !== undefined) fact.linkTarget = e.linkTarget;
      merged.set(e.path, fact);
      // A non-directory hides what lies below it: answers given for it (and so below it) are stale.
      if (e.type !== 'dir' && hiddenDirs.has(e.path)) hiddenDirs.clear();
      const bytes = layer.contents.get(e.path);
      if (bytes) contents.set(e.path, bytes);
    }
    // This layer's whiteouts and opaque markers hide only what lies below it.
    for (const w of layer.whiteouts) deleted.add(w);
    for (const d of layer.opaqueDirs) opaque.add(d);
    for (const d of replacedDirs) opaque.add(d);
  }
  return { files: new MapFileIndex(merged), contents };
}

/**
 * A filesystem read already merged (a container's export, check --quick),
 * with the layers of each file that the layers known below it tell: `known`
 * are the image's bottom layers (from the layer cache). A file just as they
 * leave it (type, mode, owner, size, link) is theirs; any other was written
 * above them: by the one layer there when there is one, else by a layer not
 * known (MERGED_LAYER). A same-sized rewrite of a lower file looks like the
 * lower file: the price of not reading the layers.
 */
export function mergedFilesystemOf(tree: LayerContents, known: LayerContents[] = [], layerCount = known.length): MergedFilesystem {
  const merged = mergeLayers([tree]);
  const below = known.length > 0 ? mergeLayers(known).files : undefined;
  const above = layerCount - known.length === 1 ? known.length : MERGED_LAYER;
  for (const file of merged.files.values()) {
    const lower = below?.get(file.path);
    file.layerIndex = lower && sameFile(lower, file) ? lower.layerIndex : above;
  }
  return merged;
}

function sameFile(a: FileFact, b: FileFact): boolean {
  return a.type === b.type && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.size === b.size && a.linkTarget === b.linkTarget;
}

function replaceInLayer(merged: Map<string, FileFact>, contents: Map<string, Buffer>, layer: LayerContents, e: LayerContents['entries'][number], i: number): void {
  const fact: FileFact = { path: e.path, type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size, layerIndex: i };
  if (e.linkTarget !== undefined) fact.linkTarget = e.linkTarget;
  merged.set(e.path, fact);
  const bytes = e.type === 'file' ? layer.contents.get(e.path) : undefined;
  if (bytes) contents.set(e.path, bytes);
  else contents.delete(e.path);
}

function isHidden(
  path: string,
  deleted: Set<string>,
  opaque: Set<string>,
  merged: Map<string, FileFact>,
  hiddenDirs: Map<string, boolean>,
): boolean {
  if (deleted.has(path)) return true;
  const end = path.lastIndexOf('/');
  return end > 0 ? dirHides(path.slice(0, end), deleted, opaque, merged, hiddenDirs) : opaque.has('/') && path !== '/';
}

/**
 * True when the directory or one of its ancestors hides what lies below it: deleted, opaque, or
 * made a non-directory by an upper layer. Answers are remembered per directory, so a deep tree
 * costs one lookup per entry instead of one per ancestor (a hostile layer nesting thousands of
 * directories would otherwise take minutes).
 */
function dirHides(
  dir: string,
  deleted: Set<string>,
  opaque: Set<string>,
  merged: Map<string, FileFact>,
  hiddenDirs: Map<string, boolean>,
): boolean {
  // Walk up to the first directory already decided (or the root), then decide top-down.
  const chain: string[] = [];
  let hidden: boolean | undefined;
  for (let d = dir; ; ) {
    hidden = hiddenDirs.get(d);
    if (hidden !== undefined) break;
    chain.push(d);
    const end = d.lastIndexOf('/');
    if (end <= 0) {
      hidden = opaque.has('/');
      break;
    }
    d = d.slice(0, end);
  }
  for (let k = chain.length - 1; k >= 0; k--) {
    const d = chain[k];
    if (!hidden) {
      const upper = merged.get(d);
      hidden = deleted.has(d) || opaque.has(d) || (upper !== undefined && upper.type !== 'dir');
    }
    hiddenDirs.set(d, hidden);
  }
  return hidden;
}
