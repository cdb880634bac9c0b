// daemon/chunking — content-defined chunking (FastCDC "fastcdc2", DESIGN §3).
//   params (min/avg/max + masks from config.chunker) + gear table (from the gear key)
//     → chunkerFor(gear, params): native split points (native/src/cdc.c)
//     → ChunkSplitter / chunkStream: pieces of a file in, chunks out (tail carried over)
//   referenceCuts: the same algorithm in TypeScript, held to the C code by golden vectors.
// Called by the worker pool (chunk+id task) and by repository creation (DEFAULT_CHUNKER_PARAMS).
export { type ChunkerParams, DEFAULT_CHUNKER_PARAMS, makeMask } from './params.js';
export { referenceCuts } from './reference-cuts.js';
export { chunkerFor } from './chunker-for.js';
export { ChunkSplitter, chunkStream } from './chunk-splitter.js';
export type { NativeChunker } from '../../native/index.js';
