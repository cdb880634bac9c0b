// daemon/walk — backup's first stage: the metadata scan of the source paths, and exclude
// matching with restic's `--exclude` semantics.
//   compileExcludes(patterns)          main thread, before a job starts (bad pattern → 400)
//   scanToPort(opts, port, control)    the worker pool's `scan` task:
//     scanTree: `/` → directories above each root (only the children leading to roots)
//       → each root depth-first: readdirSync + lstatSync on Buffer paths, names sorted by
//       bytes, excludes / CACHEDIR.TAG / one-file-system applied, xattrs and owner names
//     → batches posted to the port, held back while 64 are unacknowledged
//   consumeScan(port, control, signal) main thread: the batches as an async iterable.
// Called by the workers module (the `scan` task) and the backup engine; scanTree is
// usable directly where blocking the thread is fine (tests, tools).
export type { NodeType, ScanEvent, ScanNode, ScanOptions } from './types.js';
export {
  NODE_BLOCK, NODE_CHAR, NODE_DIR, NODE_FIFO, NODE_FILE, NODE_SOCKET, NODE_SYMLINK,
} from './types.js';
export type { ExcludeMatcher } from './exclude-matcher.js';
export { compileExcludes } from './exclude-matcher.js';
export type { Env } from './expand-env.js';
export { expandEnv } from './expand-env.js';
export type { Glob } from './glob.js';
export { compileGlob, globMatch, GlobSyntaxError } from './glob.js';
export { scanTree } from './scan-tree.js';
export type { ScanStreamTuning } from './scan-stream.js';
export { consumeScan, createScanControl, scanToPort, SCAN_STREAM_DEFAULTS } from './scan-stream.js';
