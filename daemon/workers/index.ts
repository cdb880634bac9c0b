// daemon/workers — one worker_threads pool per daemon (piscina) for everything CPU-heavy:
// chunking + ids (`chunkIds`), small files restored (`writeFiles`, IO threads), compress + seal (`seal`),
// authenticate + decode (`open`), and the synchronous metadata scan (`scan`, on threads of
// its own). Called by repository/ and the engines; buffers are transferred, never copied.
export { WorkerPool, transferable, uninitialised } from './pool.js';
export type { PoolOptions } from './pool.js';
export { applyMetaSync } from './apply-meta.js';
export { dataRuns } from './data-runs.js';
export type { EntryMeta } from './apply-meta.js';
export type {
  ChunkIdsResult, WriteFilesResult, SealItem, SealResult, OpenItem, OpenResult,
} from './tasks.js';
