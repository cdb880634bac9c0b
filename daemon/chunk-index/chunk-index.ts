// daemon/chunk-index/chunk-index.ts — the ChunkIndex contract: what repository/ and reconcile/
// may store and look up. Implemented over LMDB by open-chunk-index.ts.
import type { ChunkLoc, ChunkLocInput } from './chunk-loc.js';
import type {
  FilesEntry, FilesRow, MetaValues, PackRow, SessionRow, SettableMeta, SnapshotRow, TrashRow, VerifyRow,
} from './rows.js';

/** Layout version of the tables; an index of another version is refused (and rebuilt). */
export const INDEX_FORMAT_VERSION = 1;

export interface ChunkIndexOptions {
  /** Initial LMDB map size in bytes; by default lmdb-js starts small and grows the map. */
  mapSize?: number;
}

/** Entry counts per table. */
export interface IndexStats {
  chunks: number;
  packs: number;
  snapshots: number;
  files: number;
  trees: number;
  sessions: number;
  verify: number;
  trash: number;
}

/** Iterable with `for` and `for await`; see RowIterable. */
export type Rows<T> = Iterable<T> & AsyncIterable<T>;

/** The index of one repository. Reads are synchronous; a write resolves once committed
 *  (not yet durable: `await flushed()` before any irreversible step). */
export interface ChunkIndex {
  readonly path: string;
  getChunk(id: Uint8Array): ChunkLoc | undefined;
  hasChunk(id: Uint8Array): boolean;
  /** Numbers the pack (next packCounter) and writes its packs, packIds, packChunks and chunk
   *  rows in one transaction. A chunk that already has a row keeps it (first location wins).
   *  A pack id already indexed is not added again: its number is returned. */
  addPack(row: PackRow, chunks: ReadonlyArray<readonly [Uint8Array, ChunkLocInput]>): Promise<number>;
  /** Deletes the pack's rows (packs, packIds, packChunks, verify) and every chunk row pointing
   *  at it, in one transaction; returns the ids of those chunk rows. */
  removePack(pack: number): Promise<Buffer[]>;
  getPack(pack: number): PackRow | undefined;
  /** By the pack's id in hex (its file name). */
  getPackByName(hexId: string): { number: number; row: PackRow } | undefined;
  /** [number, row] in pack-number order. */
  listPacks(): Rows<[number, PackRow]>;
  /** Every chunk id the pack was added with, in its order (even ids whose row points elsewhere). */
  listPackChunks(pack: number): Rows<Buffer>;
  /** Marks the packs condemned in one transaction that also bumps the generation; each row
   *  gets that generation, which is returned. Unknown numbers are ignored. */
  condemnPacks(packs: readonly number[]): Promise<number>;
  putSnapshot(id: Uint8Array, row: SnapshotRow): Promise<void>;
  getSnapshot(id: Uint8Array): SnapshotRow | undefined;
  deleteSnapshot(id: Uint8Array): Promise<boolean>;
  listSnapshots(): Rows<[Buffer, SnapshotRow]>;
  /** Forgotten snapshots (DESIGN §3 trash/): a row per object under trash/snapshots/. */
  putTrash(id: Uint8Array, row: TrashRow): Promise<void>;
  getTrash(id: Uint8Array): TrashRow | undefined;
  deleteTrash(id: Uint8Array): Promise<boolean>;
  listTrash(): Rows<[Buffer, TrashRow]>;
  /** In one transaction: the snapshot row goes, `row` lands in the trash. */
  moveToTrash(id: Uint8Array, row: TrashRow): Promise<void>;
  /** In one transaction: the trash row goes, `row` becomes the snapshot row. */
  restoreFromTrash(id: Uint8Array, row: SnapshotRow): Promise<void>;
  getFile(dirHash: Uint8Array, name: Uint8Array): FilesRow | undefined;
  /** Writes the rows in one transaction (names too long for an LMDB key are skipped). */
  putFiles(rows: readonly FilesEntry[]): Promise<void>;
  getTree(id: Uint8Array): Buffer | undefined;
  putTree(id: Uint8Array, bytes: Uint8Array): Promise<void>;
  putSession(id: string, row: SessionRow): Promise<void>;
  getSession(id: string): SessionRow | undefined;
  deleteSession(id: string): Promise<boolean>;
  listSessions(): Rows<[string, SessionRow]>;
  putVerify(packId: Uint8Array, row: VerifyRow): Promise<void>;
  getVerify(packId: Uint8Array): VerifyRow | undefined;
  listVerify(): Rows<[Buffer, VerifyRow]>;
  getMeta<K extends keyof MetaValues>(key: K): MetaValues[K] | undefined;
  putMeta<K extends SettableMeta>(key: K, value: MetaValues[K]): Promise<void>;
  /** The current generation (0 before the first nextGeneration). */
  generation(): number;
  /** Bumps the generation in a transaction; returns the new value. */
  nextGeneration(): Promise<number>;
  stats(): IndexStats;
  /** Resolves when every write so far is durable on disk. */
  flushed(): Promise<void>;
  /** Waits for pending writes, then closes the environment. Idempotent. */
  close(): Promise<void>;
}
