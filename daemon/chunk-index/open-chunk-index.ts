// daemon/chunk-index/open-chunk-index.ts — the ChunkIndex over one LMDB environment with named
// tables (DESIGN §3 "LMDB index"): chunks, packs, packIds, packChunks, snapshots, files, trees,
// sessions, verify, trash, meta. Lookups are synchronous and short; writes that span tables run in
// one child transaction (rolled back whole if anything in it throws); iteration is paged
// (row-iterable.ts). lmdb-js resolves a write when committed; `flushed()` when on disk.
import { mkdir } from 'node:fs/promises';
import { open, type Database, type DatabaseOptions, type Key, type RootDatabase } from 'lmdb';
import { CairnError } from '../errors.js';
import { remoteFilesystemName } from '../storage/index.js';
import { INDEX_FORMAT_VERSION, type ChunkIndex, type ChunkIndexOptions, type IndexStats, type Rows } from './chunk-index.js';
import { CHUNK_LOC_SIZE, decodeChunkLoc, encodeChunkLoc, type ChunkLoc, type ChunkLocInput } from './chunk-loc.js';
import { filesKey, idKey, packChunkKey, u32Key } from './keys.js';
import { RowIterable } from './row-iterable.js';
import {
  loadFilesRow, storeFilesRow, storePackRow,
  type FilesEntry, type FilesRow, type MetaValues, type PackRow, type SessionRow, type SettableMeta,
  type SnapshotRow, type StoredFilesRow, type TrashRow, type VerifyRow,
} from './rows.js';

const BINARY: DatabaseOptions = { keyEncoding: 'binary', encoding: 'binary' };
// Plain msgpack (no msgpackr records), so rows read the same with any msgpack decoder.
const MSGPACK = { encoding: 'msgpack', useRecords: false } as DatabaseOptions;

type Db<V = unknown> = Database<V, Key>;

class LmdbChunkIndex implements ChunkIndex {
  private readonly chunks: Db<Buffer>;
  private readonly packs: Db<PackRow>;
  private readonly packIds: Db<Buffer>;
  private readonly packChunks: Db<Buffer>;
  private readonly snapshots: Db<SnapshotRow>;
  private readonly files: Db<StoredFilesRow>;
  private readonly trees: Db<Buffer>;
  private readonly sessions: Db<SessionRow>;
  private readonly verify: Db<VerifyRow>;
  private readonly trash: Db<TrashRow>;
  private readonly meta: Db;
  private closing: Promise<void> | null = null;

  constructor(readonly path: string, private readonly env: RootDatabase) {
    this.chunks = env.openDB('chunks', BINARY);
    this.packs = env.openDB('packs', { ...MSGPACK, keyEncoding: 'binary' });
    this.packIds = env.openDB('packIds', BINARY);
    this.packChunks = env.openDB('packChunks', BINARY);
    this.snapshots = env.openDB('snapshots', { ...MSGPACK, keyEncoding: 'binary' });
    this.files = env.openDB('files', { ...MSGPACK, keyEncoding: 'binary' });
    this.trees = env.openDB('trees', BINARY);
    this.sessions = env.openDB('sessions', MSGPACK);
    this.verify = env.openDB('verify', { ...MSGPACK, keyEncoding: 'binary' });
    this.trash = env.openDB('trash', { ...MSGPACK, keyEncoding: 'binary' });
    this.meta = env.openDB('meta', MSGPACK);
  }

  getChunk(id: Uint8Array): ChunkLoc | undefined {
    const v = this.chunks.getBinaryFast(idKey(id, 'chunk'));
    return v === undefined ? undefined : decodeChunkLoc(v);
  }

  hasChunk(id: Uint8Array): boolean {
    return this.chunks.doesExist(idKey(id, 'chunk'));
  }

  async addPack(row: PackRow, chunks: ReadonlyArray<readonly [Uint8Array, ChunkLocInput]>): Promise<number> {
    const packId = idKey(row.id, 'pack');
    if (!Buffer.isBuffer(row.salt) || row.salt.length !== 16) throw new CairnError('internal-error', 'pack salt must be 16 bytes');
    // Encode (and so validate) everything before the transaction; the pack number is patched in.
    const rows = chunks.map(([id, loc]) => [Buffer.from(idKey(id, 'chunk')), encodeChunkLoc({ ...loc, pack: 0 })] as const);
    const stored = storePackRow(row);
    return this.env.childTransaction(() => {
      const known = this.packIds.get(packId);
      if (known !== undefined) return known.readUInt32BE(0);
      const n = ((this.meta.get('packCounter') as number | undefined) ?? 0) + 1;
      const key = u32Key(n);
      this.meta.put('packCounter', n);
      this.packs.put(key, stored);
      this.packIds.put(packId, key);
      rows.forEach(([id, loc], seq) => {
        this.packChunks.put(packChunkKey(n, seq), id);
        if (!this.chunks.doesExist(id)) {
          loc.writeUInt32BE(n, 0);
          this.chunks.put(id, loc);
        }
      });
      return n;
    });
  }

  async removePack(pack: number): Promise<Buffer[]> {
    const key = u32Key(pack);
    return this.env.childTransaction(() => {
      const removed: Buffer[] = [];
      const seqKeys: Key[] = [];
      for (const { key: k, value: id } of this.packChunks.getRange(this.packChunkBounds(pack))) {
        seqKeys.push(k);
        const loc = this.chunks.getBinaryFast(id);
        if (loc !== undefined && loc.length === CHUNK_LOC_SIZE && loc.readUInt32BE(0) === pack) removed.push(id);
      }
      for (const k of seqKeys) this.packChunks.remove(k);
      for (const id of removed) this.chunks.remove(id);
      const row = this.packs.get(key);
      if (row) {
        this.packIds.remove(row.id);
        this.verify.remove(row.id);
      }
      this.packs.remove(key);
      return removed;
    });
  }

  getPack(pack: number): PackRow | undefined {
    return this.packs.get(u32Key(pack));
  }

  getPackByName(hexId: string): { number: number; row: PackRow } | undefined {
    if (!/^[0-9a-fA-F]{64}$/.test(hexId)) return undefined;
    const key = this.packIds.get(Buffer.from(hexId, 'hex'));
    if (key === undefined) return undefined;
    const row = this.packs.get(key);
    return row === undefined ? undefined : { number: key.readUInt32BE(0), row };
  }

  listPacks(): Rows<[number, PackRow]> {
    return new RowIterable(this.packs as Db, (k, v) => [(k as Buffer).readUInt32BE(0), v as PackRow]);
  }

  listPackChunks(pack: number): Rows<Buffer> {
    return new RowIterable(this.packChunks as Db, (_k, v) => v as Buffer, this.packChunkBounds(pack));
  }

  private packChunkBounds(pack: number): { start: Key; end?: Key } {
    return { start: packChunkKey(pack, 0), end: pack < 0xffffffff ? u32Key(pack + 1) : undefined };
  }

  async condemnPacks(packs: readonly number[]): Promise<number> {
    const keys = packs.map((n) => u32Key(n));
    return this.env.childTransaction(() => {
      const generation = this.bumpGeneration();
      for (const key of keys) {
        const row = this.packs.get(key);
        if (row) this.packs.put(key, { ...row, condemned: true, generation });
      }
      return generation;
    });
  }

  async putSnapshot(id: Uint8Array, row: SnapshotRow): Promise<void> {
    await this.snapshots.put(idKey(id, 'snapshot'), row);
  }

  getSnapshot(id: Uint8Array): SnapshotRow | undefined {
    return this.snapshots.get(idKey(id, 'snapshot'));
  }

  deleteSnapshot(id: Uint8Array): Promise<boolean> {
    return this.snapshots.remove(idKey(id, 'snapshot'));
  }

  listSnapshots(): Rows<[Buffer, SnapshotRow]> {
    return new RowIterable(this.snapshots as Db, (k, v) => [k as Buffer, v as SnapshotRow]);
  }

  async putTrash(id: Uint8Array, row: TrashRow): Promise<void> {
    await this.trash.put(idKey(id, 'snapshot'), row);
  }

  getTrash(id: Uint8Array): TrashRow | undefined {
    return this.trash.get(idKey(id, 'snapshot'));
  }

  deleteTrash(id: Uint8Array): Promise<boolean> {
    return this.trash.remove(idKey(id, 'snapshot'));
  }

  listTrash(): Rows<[Buffer, TrashRow]> {
    return new RowIterable(this.trash as Db, (k, v) => [k as Buffer, v as TrashRow]);
  }

  async moveToTrash(id: Uint8Array, row: TrashRow): Promise<void> {
    const key = idKey(id, 'snapshot');
    await this.env.childTransaction(() => {
      this.snapshots.remove(key);
      this.trash.put(key, row);
    });
  }

  async restoreFromTrash(id: Uint8Array, row: SnapshotRow): Promise<void> {
    const key = idKey(id, 'snapshot');
    await this.env.childTransaction(() => {
      this.trash.remove(key);
      this.snapshots.put(key, row);
    });
  }

  getFile(dirHash: Uint8Array, name: Uint8Array): FilesRow | undefined {
    const key = filesKey(dirHash, name);
    const stored = key && this.files.get(key);
    return stored ? loadFilesRow(stored) : undefined;
  }

  async putFiles(rows: readonly FilesEntry[]): Promise<void> {
    const encoded: Array<[Buffer, StoredFilesRow]> = [];
    for (const r of rows) {
      const key = filesKey(r.dirHash, r.name);
      if (key) encoded.push([key, storeFilesRow(r.row)]);
    }
    if (encoded.length === 0) return;
    await this.env.childTransaction(() => {
      for (const [key, row] of encoded) this.files.put(key, row);
    });
  }

  getTree(id: Uint8Array): Buffer | undefined {
    return this.trees.get(idKey(id, 'tree'));
  }

  async putTree(id: Uint8Array, bytes: Uint8Array): Promise<void> {
    await this.trees.put(idKey(id, 'tree'), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  }

  async putSession(id: string, row: SessionRow): Promise<void> {
    await this.sessions.put(id, row);
  }

  getSession(id: string): SessionRow | undefined {
    return this.sessions.get(id);
  }

  deleteSession(id: string): Promise<boolean> {
    return this.sessions.remove(id);
  }

  listSessions(): Rows<[string, SessionRow]> {
    return new RowIterable(this.sessions as Db, (k, v) => [k as string, v as SessionRow]);
  }

  async putVerify(packId: Uint8Array, row: VerifyRow): Promise<void> {
    await this.verify.put(idKey(packId, 'pack'), row);
  }

  getVerify(packId: Uint8Array): VerifyRow | undefined {
    return this.verify.get(idKey(packId, 'pack'));
  }

  listVerify(): Rows<[Buffer, VerifyRow]> {
    return new RowIterable(this.verify as Db, (k, v) => [k as Buffer, v as VerifyRow]);
  }

  getMeta<K extends keyof MetaValues>(key: K): MetaValues[K] | undefined {
    return this.meta.get(key) as MetaValues[K] | undefined;
  }

  async putMeta<K extends SettableMeta>(key: K, value: MetaValues[K]): Promise<void> {
    await this.meta.put(key, value);
  }

  generation(): number {
    return (this.meta.get('generation') as number | undefined) ?? 0;
  }

  nextGeneration(): Promise<number> {
    return this.env.childTransaction(() => this.bumpGeneration());
  }

  /** Inside a write transaction only. */
  private bumpGeneration(): number {
    const g = this.generation() + 1;
    this.meta.put('generation', g);
    return g;
  }

  /** Stamps a new environment with INDEX_FORMAT_VERSION (openChunkIndex only). */
  async initFormatVersion(): Promise<void> {
    await this.meta.put('formatVersion', INDEX_FORMAT_VERSION);
  }

  stats(): IndexStats {
    const count = (db: Db<never> | Db): number => (db.getStats() as { entryCount: number }).entryCount;
    return {
      chunks: count(this.chunks as Db), packs: count(this.packs as Db), snapshots: count(this.snapshots as Db),
      files: count(this.files as Db), trees: count(this.trees as Db), sessions: count(this.sessions as Db),
      verify: count(this.verify as Db), trash: count(this.trash as Db),
    };
  }

  async flushed(): Promise<void> {
    await this.env.flushed;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.env.flushed;
      await this.env.close();
    })();
    return this.closing;
  }
}

/** Opens (creating if needed) the index environment in the directory `path`, which must be
 *  on a local filesystem (CairnError 'unprocessable' otherwise). An environment that cannot
 *  be opened, or has another INDEX_FORMAT_VERSION, is CairnError 'unavailable': the caller
 *  moves it aside and rebuilds. */
export async function openChunkIndex(path: string, opts: ChunkIndexOptions = {}): Promise<ChunkIndex> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  const remote = await remoteFilesystemName(path);
  if (remote !== null) {
    throw new CairnError('unprocessable', `the index must live on a local filesystem, not ${remote}`, { path });
  }
  let env: RootDatabase;
  try {
    env = open({
      path, maxDbs: 16, compression: false, noSubdir: false,
      ...(opts.mapSize !== undefined ? { mapSize: opts.mapSize } : {}),
    });
  } catch (e) {
    throw new CairnError('unavailable', 'the index cannot be opened', { path, reason: (e as Error).message });
  }
  let index: LmdbChunkIndex;
  try {
    index = new LmdbChunkIndex(path, env);
  } catch (e) {
    await env.close().catch(() => undefined);
    throw new CairnError('unavailable', 'the index cannot be opened', { path, reason: (e as Error).message });
  }
  const version = index.getMeta('formatVersion');
  if (version === undefined) {
    await index.initFormatVersion();
  } else if (version !== INDEX_FORMAT_VERSION) {
    await index.close();
    throw new CairnError('unavailable', `the index has format ${String(version)}, not ${INDEX_FORMAT_VERSION}`, { path, formatVersion: version });
  }
  return index;
}
