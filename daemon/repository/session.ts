// daemon/repository/session.ts — one backup's writing (DESIGN §3 "Writing safely").
// A session dedups against the index and its own pending set only (units handed to its
// packers, not yet indexed); small contents join the open group in walk order; trees go
// to a tree packer. commit(): close the group, flush every packer (all packs durable and
// indexed), write the snapshot object (the commit point), then its index row.

import { randomBytes } from 'node:crypto';
import { crashPoint } from '../storage/index.js';
import { uninitialised } from '../workers/index.js';
import { Packer, type IndexedUnit, type UnitSpec } from './packer.js';
import type { Repository } from './repository.js';
import type { SnapshotRecord } from './records.js';

/** Bytes of encoded trees sealed in one worker task. */
const TREE_BATCH = 256 * 1024;

interface Pending {
  waiters: Array<() => void> | null;
}

export interface SessionStats {
  newChunks: number;
  newBytes: number;       // raw bytes of new chunks and members
  storedBytes: number;    // bytes written to packs (after compression, with overhead)
}

export class Session {
  readonly id = randomBytes(8).toString('hex');
  readonly startedAt: number;
  readonly stats: SessionStats = { newChunks: 0, newBytes: 0, storedBytes: 0 };
  private readonly pending = new Map<string, Pending>();
  private readonly data: Packer;
  private readonly trees: Packer;
  private group: { buf: Buffer; len: number; members: Array<[Buffer, number, number]> } | null = null;
  private readonly groupTarget: number;
  private groupWrites = new Set<Promise<unknown>>();
  private treeBatch: UnitSpec[] = [];
  private treeBatchBytes = 0;
  private treeSendQueued = false;
  private readonly treeWrites = new Set<Promise<void>>();
  private treeFailure: unknown = null;

  constructor(private readonly repo: Repository, nowMs: number = Date.now()) {
    this.startedAt = nowMs;
    const indexed = (units: IndexedUnit[], _pack: number, size: number): void => {
      this.stats.storedBytes += size;
      this.indexed(units);
    };
    this.data = new Packer(repo, 'data', repo.config.compression.dataLevel, indexed);
    this.trees = new Packer(repo, 'tree', repo.config.compression.treeLevel, indexed);
    this.groupTarget = repo.config.groupTarget;
  }

  /** Registers this session in the index, so a restart can tell it was aborted. */
  async begin(): Promise<void> {
    await this.repo.index.putSession(this.id, { pid: process.pid, startedAt: this.startedAt, generation: this.repo.index.generation(), host: '' });
  }

  /** True when the chunk is stored (live pack) or on its way (this session's pending set). */
  has(id: Buffer): boolean {
    return this.pending.has(id.toString('latin1')) || this.repo.lookup(id) !== undefined;
  }

  private markPending(id: Buffer): void {
    this.pending.set(id.toString('latin1'), { waiters: null });
  }

  private indexed(units: IndexedUnit[]): void {
    for (const u of units) {
      const k = u.id.toString('latin1');
      const p = this.pending.get(k);
      if (!p) continue;
      this.pending.delete(k);
      for (const w of p.waiters ?? []) w();
    }
  }

  /** Runs `fn` once every id given is in an indexed pack (at once if none is pending). */
  afterIndexed(ids: Buffer[], fn: () => void): void {
    let waiting = 0;
    const done = (): void => {
      if (--waiting === 0) fn();
    };
    for (const id of ids) {
      const p = this.pending.get(id.toString('latin1'));
      if (p) {
        waiting++;
        (p.waiters ??= []).push(done);
      }
    }
    if (waiting === 0) fn();
  }

  /**
   * Stores the new chunks among `ids` (their bytes at `cuts` in `buf`). `buf` must be a
   * view of an ArrayBuffer the caller gives up: it is transferred to a worker for sealing,
   * and is the result once they are stored (the caller may reuse it).
   */
  async storeChunks(buf: Uint8Array, cuts: Uint32Array, ids: Uint8Array): Promise<ArrayBuffer | null> {
    const units = [];
    let start = 0;
    for (let i = 0; i < cuts.length; i++) {
      const end = cuts[i]!;
      const id = Buffer.from(ids.buffer, ids.byteOffset + i * 32, 32);
      if (!this.has(id)) {
        this.markPending(id);
        units.push({ bytes: buf.subarray(start, end), kind: 0, id: Buffer.from(id) });
        this.stats.newChunks++;
        this.stats.newBytes += end - start;
      }
      start = end;
    }
    if (units.length === 0) return buf.buffer as ArrayBuffer;
    return this.data.add(units, buf.buffer as ArrayBuffer);
  }

  /** Adds a small content (one chunk under 256 KiB) to the open group unless known. */
  async storeMember(id: Buffer, bytes: Uint8Array): Promise<void> {
    if (this.has(id)) return;
    this.markPending(id);
    this.stats.newChunks++;
    this.stats.newBytes += bytes.length;
    if (this.group && this.group.len + bytes.length > this.groupTarget && this.group.len > 0) {
      await this.closeGroup();
    }
    // The group owns its whole ArrayBuffer: it is transferred to the sealing worker, not copied.
    if (!this.group) this.group = { buf: Buffer.from(uninitialised(Math.max(this.groupTarget, bytes.length))), len: 0, members: [] };
    const g = this.group;
    g.buf.set(bytes, g.len);
    g.members.push([Buffer.from(id), g.len, bytes.length]);
    g.len += bytes.length;
  }

  private async closeGroup(): Promise<void> {
    const g = this.group;
    this.group = null;
    if (!g || g.members.length === 0) return;
    const write = this.data.add([{ bytes: g.buf.subarray(0, g.len), kind: 1, id: Buffer.alloc(32), members: g.members }], g.buf.buffer as ArrayBuffer);
    this.groupWrites.add(write);
    try {
      await write;
    } finally {
      this.groupWrites.delete(write);
    }
  }

  /**
   * Stores an encoded tree (kind 2) or error page (kind 3) and returns its id at once: trees
   * are sealed in batches (one worker task per ~256 KiB, or per turn of the event loop,
   * instead of one per directory: 4,600 round trips on the small-files corpus) and written
   * in the background. flush() waits for them and throws if one failed.
   */
  async storeTree(bytes: Buffer, kind: 2 | 3 = 2): Promise<Buffer> {
    if (this.treeFailure) throw this.treeFailure;
    const id = this.repo.hmac(bytes);
    if (this.has(id)) return id;
    this.markPending(id);
    this.treeBatch.push({ bytes, kind, id });
    this.treeBatchBytes += bytes.length;
    if (this.treeBatchBytes >= TREE_BATCH) {
      this.sendTrees();
    } else if (!this.treeSendQueued) {
      this.treeSendQueued = true;
      setImmediate(() => {
        this.treeSendQueued = false;
        this.sendTrees();
      });
    }
    return id;
  }

  private sendTrees(): void {
    const units = this.treeBatch;
    if (units.length === 0) return;
    this.treeBatch = [];
    this.treeBatchBytes = 0;
    const write = this.trees.add(units)
      // Trees stay in the decrypted cache: mount, diff and the next backup read them.
      .then(() => Promise.all(units.map((u) => this.repo.index.putTree(u.id, Buffer.from(u.bytes.buffer, u.bytes.byteOffset, u.bytes.byteLength)))))
      .then(() => undefined, (e: unknown) => {
        this.treeFailure ??= e;
      });
    this.treeWrites.add(write);
    void write.finally(() => this.treeWrites.delete(write));
  }

  /** Closes the group and makes every pack of this session durable and indexed. */
  async flush(): Promise<void> {
    await this.closeGroup();
    await Promise.all([...this.groupWrites]);
    this.sendTrees();
    await Promise.all([...this.treeWrites]);
    if (this.treeFailure) throw this.treeFailure;
    await Promise.all([this.data.flush(), this.trees.flush()]);
  }

  /** Commits a snapshot: flush, write the object (the commit point), then the index row. */
  async commit(record: SnapshotRecord): Promise<Buffer> {
    await this.flush();
    const id = await this.repo.writeSnapshot(record);
    const generation = await this.repo.index.nextGeneration();
    crashPoint('snapshot-before-index');
    await this.repo.index.putSnapshot(id, { ...record, generation, damaged: false });
    await this.end();
    return id;
  }

  /** Cancel or failure: finished packs stay (dedup sources), partial uploads go. */
  async abort(): Promise<void> {
    this.group = null;
    this.treeBatch = [];
    await Promise.allSettled([...this.groupWrites, ...this.treeWrites]);
    await Promise.allSettled([this.data.abort(), this.trees.abort()]);
    await this.end();
  }

  private async end(): Promise<void> {
    await this.repo.index.deleteSession(this.id);
  }
}
