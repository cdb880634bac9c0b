// daemon/pack/writer.ts — writes one pack through a storage upload:
// create (fresh salt, header written at once) → nextUnitIndex() per unit → units sealed
// elsewhere (workers, with `packKey` and `salt`) → addSealed in any order, written strictly in
// index order → finish(): trailer + footer, commit as `packs/<xx>/<SHA-256 of the file>`.
// Only units that arrive ahead of a missing index wait in memory. A pack salt seals exactly
// one sequence of units: every index is sealed and added once; a resend needs a new writer.

import { createHash, randomBytes, type Hash } from 'node:crypto';
import { CairnError } from '../errors.js';
import { packKey as derivePackKey, TAG_SIZE } from '../crypto/index.js';
import type { Storage, Upload } from '../storage/index.js';
import {
  encodeHeader, encodeFooter, packName, ID_SIZE, MAX_UNITS, SALT_SIZE, UnitKind, Codec,
  type PackKind, type PackEntry, type UnitEntry,
} from './format.js';
import { sealTrailer } from './trailer.js';

export interface PackWriterOptions {
  /** A fixed salt (16 B) for golden vectors; never in production. @default random */
  saltForTest?: Buffer;
}

export interface FinishedPack {
  /** SHA-256 of the whole file. */
  packId: Buffer;
  /** `packs/<xx>/<hex packId>`, the name it was committed under. */
  name: string;
  /** File size in bytes. */
  size: number;
  /** The trailer's entries, in unit-index order. */
  entries: PackEntry[];
}

interface Waiting {
  entry: UnitEntry;
  sealed: Buffer;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Units under this size are written together with their waiting neighbours. */
const COALESCE_BELOW = 256 * 1024;

function bad(message: string): CairnError {
  return new CairnError('internal-error', `pack writer: ${message}`);
}

export class PackWriter {
  readonly kind: PackKind;
  readonly salt: Buffer;
  /** The key units of this pack are sealed with (HKDF of the enc key and the salt). */
  readonly packKey: Buffer;
  private readonly header: Buffer;
  private readonly hash: Hash = createHash('sha256');
  private readonly entries: PackEntry[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private reserved = 0;
  private nextToWrite = 0;
  private offset = 0;          // bytes queued for the upload (header and units written so far)
  private waitingBytes = 0;
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private state: 'open' | 'finishing' | 'done' | 'aborted' = 'open';

  /** Opens an upload and writes the header. */
  static async create(storage: Pick<Storage, 'upload'>, encKey: Uint8Array, kind: PackKind,
    options: PackWriterOptions = {}): Promise<PackWriter> {
    if (kind !== 'data' && kind !== 'tree') throw bad(`unknown pack kind ${String(kind)}`);
    const salt = options.saltForTest ?? randomBytes(SALT_SIZE);
    if (salt.length !== SALT_SIZE) throw bad('a pack salt must be 16 bytes');
    const key = derivePackKey(encKey, salt);
    const upload = await storage.upload();
    const w = new PackWriter(upload, key, kind, salt);
    try {
      await w.enqueue(w.header);
    } catch (e) {
      await upload.abort();
      throw e;
    }
    return w;
  }

  private constructor(private readonly upload: Upload, packKey: Buffer, kind: PackKind, salt: Buffer) {
    this.kind = kind;
    this.salt = Buffer.from(salt);
    this.packKey = packKey;
    this.header = encodeHeader(this.salt);
  }

  /** Bytes of the pack so far: header and units, written or waiting (no trailer yet). */
  get size(): number {
    return this.offset + this.waitingBytes;
  }

  /** Units reserved so far. */
  get unitCount(): number {
    return this.reserved;
  }

  /** Reserves the next unit index (its nonce); the unit must then be sealed and added once. */
  nextUnitIndex(): number {
    if (this.state !== 'open') throw bad(`the pack is ${this.state}`);
    if (this.reserved > MAX_UNITS) throw bad('too many units');
    return this.reserved++;
  }

  /**
   * Adds unit i, sealed by sealUnit(packKey, salt, i, …) with the same kind, codec, rawLen and
   * id. Resolves once the unit is handed to the upload (after every lower index).
   */
  addSealed(i: number, entry: UnitEntry, sealed: Buffer): Promise<void> {
    if (this.state !== 'open') return Promise.reject(bad(`the pack is ${this.state}`));
    if (this.failure) return Promise.reject(this.failure);
    if (!Number.isInteger(i) || i < 0 || i >= this.reserved) return Promise.reject(bad(`unit ${i} was not reserved`));
    if (i < this.nextToWrite || this.waiting.has(i)) return Promise.reject(bad(`unit ${i} was added twice`));
    try {
      this.checkEntry(i, entry, sealed);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(i, { entry, sealed, resolve, reject });
      this.waitingBytes += sealed.length;
      this.drain();
    });
  }

  private checkEntry(i: number, e: UnitEntry, sealed: Buffer): void {
    const allowed = this.kind === 'data' ? [UnitKind.data, UnitKind.group] : [UnitKind.tree, UnitKind.errorPage];
    if (!(allowed as number[]).includes(e.kind)) throw bad(`a ${this.kind} pack cannot hold a unit of kind ${e.kind}`);
    if (e.codec !== Codec.raw && e.codec !== Codec.zstd) throw bad(`unit ${i} has codec ${e.codec}`);
    if (!Number.isInteger(e.rawLen) || e.rawLen < 0 || e.rawLen > 0xffffffff) throw bad(`unit ${i} has length ${e.rawLen}`);
    if (sealed.length < TAG_SIZE) throw bad(`unit ${i} is shorter than a tag`);
    if (e.kind === UnitKind.group) {
      if (!Array.isArray(e.members)) throw bad(`group ${i} has no members`);
      for (const [id, off, len] of e.members) {
        if (!Buffer.isBuffer(id) || id.length !== ID_SIZE || !Number.isInteger(off) || !Number.isInteger(len)
          || off < 0 || len < 0 || off + len > e.rawLen) throw bad(`group ${i} has a bad member`);
      }
    } else if (!Buffer.isBuffer(e.id) || e.id.length !== ID_SIZE) {
      throw bad(`unit ${i} needs a 32-byte id`);
    }
  }

  /** Writes every waiting unit whose turn has come; small neighbours (trees, small groups)
   *  go out as one write instead of one system call each. */
  private drain(): void {
    let run: Waiting[] = [];
    let runBytes = 0;
    const send = (): void => {
      if (run.length === 0) return;
      const units = run;
      run = [];
      runBytes = 0;
      const bytes = units.length === 1 ? units[0]!.sealed : Buffer.concat(units.map((u) => u.sealed));
      this.enqueue(bytes).then(() => units.forEach((u) => u.resolve()), (e: unknown) => units.forEach((u) => u.reject(e)));
    };
    for (let w = this.waiting.get(this.nextToWrite); w; w = this.waiting.get(this.nextToWrite)) {
      const unit = this.nextToWrite++;
      this.waiting.delete(unit);
      this.waitingBytes -= w.sealed.length;
      const group = w.entry.kind === UnitKind.group;
      this.entries.push({
        unit, kind: w.entry.kind, codec: w.entry.codec, offset: this.offset + runBytes, storedLen: w.sealed.length,
        rawLen: w.entry.rawLen, id: group ? null : w.entry.id!,
        members: group ? w.entry.members!.map(([id, off, len]) => [id, off, len]) : null,
      });
      if (w.sealed.length >= COALESCE_BELOW) send(); // a big unit goes out on its own
      run.push(w);
      runBytes += w.sealed.length;
      if (runBytes >= COALESCE_BELOW) send();
    }
    send();
  }

  /** Appends bytes to the file in call order; the hash follows the same order. */
  private enqueue(bytes: Buffer): Promise<void> {
    this.hash.update(bytes);
    this.offset += bytes.length;
    const p = this.tail.then(() => {
      if (this.failure) throw this.failure;
      return this.upload.write(bytes);
    });
    this.tail = p.catch((e: unknown) => {
      this.failure ??= e;
    });
    return p;
  }

  /** Writes trailer and footer and commits the upload under the pack's name. */
  async finish(): Promise<FinishedPack> {
    if (this.state !== 'open') throw bad(`the pack is ${this.state}`);
    if (this.failure) throw this.failure;
    if (this.nextToWrite !== this.reserved) {
      throw bad(`units ${this.nextToWrite}..${this.reserved - 1} were reserved but not all added`);
    }
    this.state = 'finishing';
    const trailer = sealTrailer(this.packKey, this.header, this.kind, this.entries);
    void this.enqueue(trailer).catch(() => undefined);
    void this.enqueue(encodeFooter(trailer)).catch(() => undefined);
    await this.tail;
    if (this.failure) throw this.failure;
    if (this.state !== 'finishing') throw bad('aborted while finishing');
    const packId = this.hash.digest();
    const name = packName(packId);
    await this.upload.commit(name);
    this.state = 'done';
    return { packId, name, size: this.offset, entries: this.entries };
  }

  /** Drops the partial upload; units still waiting are rejected. No-op once committed. */
  async abort(): Promise<void> {
    if (this.state === 'done' || this.state === 'aborted') return;
    this.state = 'aborted';
    const err = new CairnError('internal-error', 'pack writer aborted');
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.waitingBytes = 0;
    await this.tail;
    await this.upload.abort();
  }
}
