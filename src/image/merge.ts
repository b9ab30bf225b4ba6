// The merged filesystem as the container sees it: layers applied bottom to
// top, whiteouts (`.wh.NAME`) delete lower paths, opaque directories
// (`.wh..wh..opq`) hide their lower children, and a non-directory hides
// everything below its path. Computed top-down so each path is decided once:
// the first (topmost) layer that mentions a path wins unless something above
// it hid the path or one of its ancestors.
import type { FileFact, FileIndex } from './facts.js';
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
    for (const e of layer.entries) {
      const upper = merged.get(e.path);
      if (upper) {
        // A non-directory here removed the lower subtree, though an upper layer made the path a directory again.
        if (upper.type === 'dir' && e.type !== 'dir') replacedDirs.push(e.path);
        continue;
      }
      if (isHidden(e.path, deleted, opaque, merged)) continue;
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

function isHidden(path: string, deleted: Set<string>, opaque: Set<string>, merged: Map<string, FileFact>): boolean {
  if (deleted.has(path)) return true;
  // Walk the ancestors: a deleted or opaque ancestor, or one that an upper layer made a non-directory.
  let end = path.lastIndexOf('/');
  while (end > 0) {
    const ancestor = path.slice(0, end);
    if (deleted.has(ancestor) || opaque.has(ancestor)) return true;
    const upper = merged.get(ancestor);
    if (upper && upper.type !== 'dir') return true;
    end = path.lastIndexOf('/', end - 1);
  }
  return opaque.has('/') && path !== '/';
}
