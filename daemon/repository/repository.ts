// daemon/repository/repository.ts — one open repository: its storage, keys, config, LMDB
// index and the shared worker pool. The only place that combines them. Reading is here
// (units, chunks, trees, snapshot objects, all authenticated); writing goes through a
// Session (session.ts).

import { createHash } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import { logger } from '../log.js';
import type { Storage } from '../storage/index.js';
import { crashPoint } from '../storage/index.js';
import { hmacId, packKey, sealSnapshot, openSnapshot, type Subkeys, type RepoConfig } from '../crypto/index.js';
import { packName, readTrailer } from '../pack/index.js';
import { openChunkIndex, type ChunkIndex, type ChunkLoc, type PackRow } from '../chunk-index/index.js';
import { transferable, uninitialised, type WorkerPool, type OpenItem } from '../workers/index.js';
import type { ChunkerParams } from '../chunking/index.js';
import { encodeRecord, decodeRecord, type SnapshotRecord, type SnapshotRow } from './records.js';

const log = logger('repository');


export interface RepositoryParts {
  name: string;
  storage: Storage;
  keys: Subkeys;
  config: RepoConfig;
  gear: Uint8Array;
  index: ChunkIndex;
  pool: WorkerPool;
  stateDir: string;
}

/** What a reader asks for: one unit of one pack. */
export interface UnitRef {
  pack: number;
  offset: number;
  storedLen: number;
  rawLen: number;
  unit: number;
  kind: number;
  codec: number;
}

export class Repository {
  /** Its name in the registry (the registry renames it). */
  name: string;
  readonly storage: Storage;
  readonly keys: Subkeys;
  readonly config: RepoConfig;
  readonly gear: Uint8Array;
  index: ChunkIndex;
  readonly pool: WorkerPool;
  readonly stateDir: string;
  readonly chunkerParams: ChunkerParams;
  private readonly packKeys = new Map<number, { key: Buffer; salt: Buffer; row: PackRow }>();
  /** Pack rows looked up by lookup() (an unchanged re-backup asks once per file: 60,000
   *  index reads and decodes of the same few rows). Like packKeys, a cache: whoever
   *  changes a pack's row (condemnPacks, for prune) must forgetPack() it. */
  private readonly packRows = new Map<number, PackRow>();

  constructor(p: RepositoryParts) {
    this.name = p.name;
    this.storage = p.storage;
    this.keys = p.keys;
    this.config = p.config;
    this.gear = p.gear;
    this.index = p.index;
    this.pool = p.pool;
    this.stateDir = p.stateDir;
    const c = p.config.chunker;
    this.chunkerParams = {
      min: c.min, avg: c.avg, max: c.max,
      maskS: c.maskS.readBigUInt64BE(0), maskL: c.maskL.readBigUInt64BE(0),
    };
  }

  get id(): string {
    return this.config.id;
  }

  get location(): string {
    return this.storage.location;
  }

  /** A chunk's location if it lives in a live (uncondemned) pack. */
  lookup(id: Buffer): ChunkLoc | undefined {
    const loc = this.index.getChunk(id);
    if (!loc) return undefined;
    const row = this.packRow(loc.pack);
    if (!row || row.condemned) return undefined;
    return loc;
  }

  packRow(n: number): PackRow | undefined {
    const cached = this.packKeys.get(n)?.row ?? this.packRows.get(n);
    if (cached) return cached;
    const row = this.index.getPack(n);
    if (row) {
      if (this.packRows.size > 4096) this.packRows.clear();
      this.packRows.set(n, row);
    }
    return row;
  }

  private packKeyOf(n: number): { key: Buffer; salt: Buffer; row: PackRow } {
    let k = this.packKeys.get(n);
    if (!k) {
      const row = this.index.getPack(n);
      if (!row) throw new CairnError('not-found', `pack ${n} is not in the index`, { pack: n });
      k = { key: packKey(this.keys.enc, row.salt), salt: row.salt, row };
      if (this.packKeys.size > 4096) this.packKeys.clear();
      this.packKeys.set(n, k);
    }
    return k;
  }

  forgetPack(n: number): void {
    this.packKeys.delete(n);
    this.packRows.delete(n);
  }

  /**
   * Reads, authenticates and decodes units of ONE pack, in the order given. Adjacent units
   * are fetched in one ranged read. Every returned byte was authenticated; a unit that fails
   * throws a CairnError naming the pack. The returned views share one ArrayBuffer: `into`
   * (transferred away and back, so the caller's object is detached) when it holds the
   * units' total rawLen, else a new one.
   */
  async readUnits(pack: number, units: UnitRef[], verify: { members?: Array<Array<[number, number, Uint8Array]>> } | null = null,
    ids?: Buffer[], into?: ArrayBuffer): Promise<Buffer[]> {
    const { key, salt, row } = this.packKeyOf(pack);
    const name = packName(row.id);
    // Every unit decoded into one buffer, back to back: `into` when it has room (restore
    // reuses its buffers so a GiB restored is not a GiB of fresh pages), else a new one.
    // It travels to the worker for each read and back; views are cut once it is home.
    const need = units.reduce((n, u) => n + u.rawLen, 0);
    let plain = into && into.byteLength >= need ? into : uninitialised(need);
    const spans: Array<[number, number]> = new Array(units.length);
    // Coalesce runs of adjacent units into reads of up to 16 MiB.
    let i = 0;
    let outOff = 0;
    while (i < units.length) {
      let j = i + 1;
      let end = units[i]!.offset + units[i]!.storedLen;
      while (j < units.length && units[j]!.offset === end && end - units[i]!.offset < 16 << 20) {
        end += units[j]!.storedLen;
        j++;
      }
      const start = units[i]!.offset;
      let bytes: Buffer;
      try {
        bytes = await this.storage.getRange(name, start, end - start);
      } catch (e) {
        if (e instanceof CairnError && e.code === 'not-found') {
          throw new CairnError('not-found', `pack ${row.id.toString('hex')} is missing`, { object: name });
        }
        throw e;
      }
      const ab = transferable(bytes);
      const items: OpenItem[] = [];
      for (let k = i; k < j; k++) {
        const u = units[k]!;
        items.push({
          off: u.offset - start, len: u.storedLen, unit: u.unit, kind: u.kind, codec: u.codec,
          rawLen: u.rawLen, id: ids?.[k] ?? new Uint8Array(32),
        });
      }
      const res = await this.pool.open({
        buf: ab, items, packKey: key, salt, out: plain, outOff,
        verify: verify ? { idKey: this.keys.id, ...(verify.members ? { members: verify.members.slice(i, j) } : {}) } : null,
      });
      plain = res.plain;
      res.parts.forEach((p, n) => {
        if ('error' in p) {
          throw new CairnError('internal-error', `pack ${row.id.toString('hex')}: unit ${units[i + n]!.unit} failed authentication (${p.error})`,
            { object: name, pack: row.id.toString('hex'), unit: units[i + n]!.unit });
        }
        spans[i + n] = [p.off, p.len];
      });
      outOff += items.reduce((n, it) => n + it.rawLen, 0);
      i = j;
    }
    const whole = Buffer.from(plain);
    return spans.map(([off, len]) => whole.subarray(off, off + len));
  }

  /**
   * check --read-data for one pack, reading it once: its SHA-256 against its name, its
   * trailer authenticated, every unit authenticated and decoded and every chunk, tree and
   * group member re-hashed against its id (in a worker). Returns the problems found.
   */
  async verifyPackData(name: string): Promise<{ bytes: number; errors: string[] }> {
    const bytes = await this.storage.get(name);
    const mem = {
      stat: async () => ({ size: bytes.length }),
      getRange: async (_n: string, off: number, len: number) => {
        if (off < 0 || off + len > bytes.length) throw new CairnError('internal-error', 'short read', { object: name });
        return bytes.subarray(off, off + len);
      },
    };
    const t = await readTrailer(mem, name, this.keys.enc);
    const whole = transferable(bytes);
    const zero = new Uint8Array(32);
    const res = await this.pool.open({
      buf: whole,
      items: t.entries.map((en) => ({ off: en.offset, len: en.storedLen, unit: en.unit, kind: en.kind, codec: en.codec, rawLen: en.rawLen, id: en.kind === 1 ? zero : en.id! })),
      packKey: t.packKey, salt: t.salt,
      verify: { idKey: this.keys.id, members: t.entries.map((en) => (en.members ?? []).map((m) => [m[1], m[2], m[0]] as [number, number, Uint8Array])) },
      digest: true, discard: true, out: null, outOff: 0,
    });
    const errors: string[] = [];
    const hex = name.slice(name.lastIndexOf('/') + 1);
    if (!res.sha256 || Buffer.from(res.sha256).toString('hex') !== hex) errors.push('pack contents do not match its name (SHA-256)');
    res.parts.forEach((p, i) => {
      if ('error' in p) errors.push(`unit ${t.entries[i]!.unit}: ${p.error}`);
    });
    return { bytes: t.size, errors };
  }

  /** The plaintext of one chunk (or group member, or tree), authenticated. */
  async readChunk(id: Buffer): Promise<Buffer> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const loc = this.index.getChunk(id);
      if (!loc) throw new CairnError('not-found', `chunk ${id.toString('hex')} is not in the index`, { chunk: id.toString('hex') });
      try {
        const [unit] = await this.readUnits(loc.pack, [loc], null, [loc.kind === 1 ? Buffer.alloc(32) : id]);
        const bytes = unit!.subarray(loc.memberOffset, loc.memberOffset + loc.memberLen);
        if (loc.kind === 1) this.verifyMember(id, bytes);
        else if (!this.hmac(bytes).equals(id)) {
          throw new CairnError('internal-error', `chunk ${id.toString('hex')} does not match its id`, { chunk: id.toString('hex') });
        }
        return bytes;
      } catch (e) {
        // A prune may have repacked the chunk between lookup and read: look it up once more.
        if (attempt === 0 && e instanceof CairnError && e.code === 'not-found') continue;
        throw e;
      }
    }
    throw new CairnError('not-found', `chunk ${id.toString('hex')} could not be read`);
  }

  /** The keyed id of some bytes (chunks, trees, error pages). */
  hmac(bytes: Uint8Array): Buffer {
    return hmacId(this.keys.id, bytes);
  }

  verifyMember(id: Buffer, bytes: Uint8Array): void {
    if (!this.hmac(bytes).equals(id)) {
      throw new CairnError('internal-error', `group member ${id.toString('hex')} does not match its id`, { chunk: id.toString('hex') });
    }
  }

  // ---- snapshot objects -------------------------------------------------------------

  async writeSnapshot(record: SnapshotRecord): Promise<Buffer> {
    const sealed = sealSnapshot(this.keys.meta, encodeRecord(record));
    const id = createHash('sha256').update(sealed).digest();
    await this.storage.put(`snapshots/${id.toString('hex')}`, sealed);
    crashPoint('snapshot-committed');
    return id;
  }

  /** Reads and authenticates a snapshot object; checks the file hashes to its name. */
  async readSnapshotObject(id: Buffer, where: 'snapshots' | 'trash/snapshots' = 'snapshots'): Promise<SnapshotRecord> {
    const name = `${where}/${id.toString('hex')}`;
    const bytes = await this.storage.get(name);
    if (!createHash('sha256').update(bytes).digest().equals(id)) {
      throw new CairnError('internal-error', `snapshot object ${id.toString('hex')} does not match its name`, { object: name });
    }
    try {
      return decodeRecord(openSnapshot(this.keys.meta, bytes));
    } catch (e) {
      throw new CairnError('internal-error', `snapshot object ${id.toString('hex')} failed authentication`, { object: name, cause: (e as Error).message });
    }
  }

  snapshotRow(id: Buffer): SnapshotRow | undefined {
    return this.index.getSnapshot(id) as SnapshotRow | undefined;
  }

  /** Moves the index aside and starts an empty one (a rebuild follows). */
  async resetIndex(): Promise<void> {
    const path = join(this.stateDir, 'index.lmdb');
    await this.index.flushed().catch(() => undefined);
    await this.index.close();
    await rename(path, `${path}.old-${Date.now()}`);
    this.index = await openChunkIndex(path);
    this.packKeys.clear();
    this.packRows.clear();
    await this.index.putMeta('location', this.storage.location);
    await this.index.putMeta('repositoryId', this.config.id);
  }

  async close(): Promise<void> {
    try {
      await this.index.flushed();
    } catch (e) {
      log.warn('flush on close failed', { error: (e as Error).message });
    }
    await this.index.close();
    await this.storage.close();
  }
}
