// daemon/chunk-index — the LMDB index of one repository (DESIGN §3 "LMDB index"): a local,
// rebuildable cache of what storage holds. Store and look up only; repository/ decides what
// to store and reconcile/ rebuilds it from pack trailers.
//   chunks      id → 32-byte ChunkLoc (pack number, unit offset/lengths, nonce, member, kind)
//   packs       u32 pack number → PackRow; packIds: pack id → number; packChunks: its chunk ids
//   snapshots   id → the repository's snapshot row        files: the files cache
//   trees       id → decrypted tree bytes (cache)         sessions, verify, meta
//   trash       id → a forgotten snapshot's row (its object is under trash/snapshots/)
// openChunkIndex(path) → ChunkIndex: synchronous short reads, transactional writes, paged
// iteration; `flushed()` before any irreversible step. Called by repository/ and reconcile/.
export { openChunkIndex } from './open-chunk-index.js';
export { INDEX_FORMAT_VERSION } from './chunk-index.js';
export type { ChunkIndex, ChunkIndexOptions, IndexStats, Rows } from './chunk-index.js';
export { encodeChunkLoc, decodeChunkLoc, CHUNK_LOC_SIZE } from './chunk-loc.js';
export type { ChunkLoc, ChunkLocInput } from './chunk-loc.js';
export type {
  PackRow, FilesRow, FilesEntry, SessionRow, VerifyRow, SnapshotRow, TrashRow, MetaValues, SettableMeta,
} from './rows.js';
