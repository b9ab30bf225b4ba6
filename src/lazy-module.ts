// Start-up time is a feature: a re-check of an unchanged image has 0.25 s in
// all, and loading every package the program might use took most of it. A
// package needed only on some paths (a config file, an rpm database, a CVSS
// vector, a Dockerfile) is loaded through this on first use instead. Every
// package passed here ships CommonJS, so a synchronous require serves.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning the package, loading it on the first call. */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
