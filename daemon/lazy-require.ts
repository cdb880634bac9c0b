// daemon/lazy-require.ts — a CommonJS dependency loaded on its first use instead of at every
// daemon start: for libraries only a few routes need (mime-types, picomatch, tar-stream,
// yazl), whose loading together cost ~70–110 ms of each start (profiled). Used by the
// files, search and archive code.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning the module `id`, required the first time it is called. */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
