// daemon/repository/packer.ts — fills packs of one kind (data or tree) for one session.
// add(units): reserve unit indices in the open pack → seal in the worker pool → hand the
// sealed bytes to the PackWriter (which writes them in index order). A pack is closed when
// it reaches the target; once its last unit is written it is finished (trailer, footer,
// durable commit), then indexed in one LMDB transaction, then `onIndexed` runs.

import { CairnError } from '../errors.js';
import { crashPoint } from '../storage/index.js';
import { PackWriter, type PackEntry } from '../pack/index.js';
import type { ChunkLocInput } from '../chunk-index/index.js';
import type { Repository } from './repository.js';
import { uninitialised } from '../workers/index.js';

export interface UnitSpec {
  bytes: Uint8Array;
  kind: number;                          // 0 data, 1 group, 2 tree, 3 error page
  id: Buffer;                            // zeros for a group
  members?: Array<[Buffer, number, number]>; // group: [id, offset, length]
}

export interface IndexedUnit {
  id: Buffer;                            // chunk, member or tree id
  pack: number;
}

type PackerRepo = Pick<Repository, 'storage' | 'keys' | 'index' | 'pool' | 'config'>;

interface OpenPack {
  writer: PackWriter;
  estimate: number;
  inflight: number;
  closed: boolean;
  finished: Promise<void> | null;
  failed: unknown;
}

const ZERO_ID = Buffer.alloc(32);

/** The index rows a pack's units give: one per data chunk or tree, one per group member. */
export function chunkRowsOf(entries: readonly PackEntry[]): Array<[Buffer, ChunkLocInput]> {
  const rows: Array<[Buffer, ChunkLocInput]> = [];
  for (const e of entries) {
    const base = { offset: e.offset, storedLen: e.storedLen, rawLen: e.rawLen, unit: e.unit, codec: e.codec, flags: 0 };
    if (e.kind === 1) {
      for (const [id, off, len] of e.members ?? []) rows.push([id, { ...base, memberOffset: off, memberLen: len, kind: 1 }]);
    } else if (e.id) {
      rows.push([e.id, { ...base, memberOffset: 0, memberLen: e.rawLen, kind: e.kind }]);
    }
  }
  return rows;
}

export class Packer {
  private current: OpenPack | null = null;
  private readonly finishing = new Set<Promise<void>>();
  private error: unknown = null;

  constructor(
    private readonly repo: PackerRepo,
    private readonly kind: 'data' | 'tree',
    private readonly level: number,
    private readonly onIndexed: (units: IndexedUnit[], packNo: number, packSize: number) => void,
    private readonly target: number = repo.config.packTarget,
  ) {}

  /**
   * Seals and writes `units` (all into one pack). Resolves once they are written.
   * With `owned`, every unit is a view into that ArrayBuffer, which is handed to the
   * worker as it is (transferred, not copied: the caller must not touch it again) and
   * comes back as the result, for the caller to reuse.
   */
  async add(units: UnitSpec[], owned?: ArrayBuffer): Promise<ArrayBuffer | null> {
    if (this.error) throw this.error;
    if (units.length === 0) return owned ?? null;
    let raw = 0;
    for (const u of units) raw += u.bytes.length + 32;
    let p = this.current;
    if (p && p.estimate > 0 && p.estimate + raw > this.target) {
      this.close(p);
      p = null;
    }
    if (!p) {
      p = {
        writer: await PackWriter.create(this.repo.storage, this.repo.keys.enc, this.kind),
        estimate: 0, inflight: 0, closed: false, finished: null, failed: null,
      };
      // Another add may have opened a pack while we awaited: use one, close the other.
      if (this.current && !this.current.closed) {
        await p.writer.abort();
        p = this.current;
      } else {
        this.current = p;
      }
    }
    p.estimate += raw;
    p.inflight++;
    const indices = units.map(() => p!.writer.nextUnitIndex());
    const rawLens = units.map((u) => u.bytes.length); // the views are detached once transferred
    let ab: ArrayBuffer;
    let items;
    if (owned) {
      ab = owned;
      items = units.map((u, k) => ({ off: u.bytes.byteOffset, len: u.bytes.length, unit: indices[k]!, kind: u.kind, id: u.kind === 1 ? ZERO_ID : u.id }));
    } else {
      ab = uninitialised(units.reduce((n, u) => n + u.bytes.length, 0));
      const view = new Uint8Array(ab);
      let off = 0;
      items = units.map((u, k) => {
        view.set(u.bytes, off);
        const it = { off, len: u.bytes.length, unit: indices[k]!, kind: u.kind, id: u.kind === 1 ? ZERO_ID : u.id };
        off += u.bytes.length;
        return it;
      });
    }
    try {
      const res = await this.repo.pool.seal({ buf: ab, items, packKey: p.writer.packKey, salt: p.writer.salt, level: this.level });
      const sealed = Buffer.from(res.sealed);
      await Promise.all(units.map((u, k) => {
        const part = res.parts[k]!;
        return p!.writer.addSealed(indices[k]!, {
          kind: u.kind, codec: part.codec, rawLen: rawLens[k]!,
          id: u.kind === 1 ? null : u.id, members: u.kind === 1 ? (u.members ?? []) : null,
        }, sealed.subarray(part.off, part.off + part.len));
      }));
      return owned ? res.buf : null;
    } catch (e) {
      p.failed = e;
      this.error = e;
      // Rejects units of this pack still waiting for their turn, so nothing hangs.
      await p.writer.abort().catch(() => undefined);
      throw e;
    } finally {
      p.inflight--;
      if (p.closed && p.inflight === 0) this.finish(p);
    }
  }

  private close(p: OpenPack): void {
    p.closed = true;
    if (this.current === p) this.current = null;
    if (p.inflight === 0) this.finish(p);
  }

  private finish(p: OpenPack): void {
    if (p.finished) return;
    const run = (async () => {
      if (p.failed) {
        await p.writer.abort();
        return;
      }
      const done = await p.writer.finish();
      crashPoint('pack-committed');
      const rows = chunkRowsOf(done.entries);
      const packNo = await this.repo.index.addPack({
        id: done.packId, kind: this.kind === 'data' ? 0 : 1, size: done.size, units: done.entries.length,
        salt: p.writer.salt, condemned: false, generation: 0, addedAt: Date.now(),
      }, rows);
      crashPoint('pack-indexed');
      this.onIndexed(rows.map(([id]) => ({ id, pack: packNo })), packNo, done.size);
    })();
    p.finished = run;
    this.finishing.add(run);
    run.catch((e) => {
      this.error ??= e;
    }).finally(() => this.finishing.delete(run));
  }

  /** Closes the open pack and waits until every pack of this packer is indexed. */
  async flush(): Promise<void> {
    if (this.current) this.close(this.current);
    while (this.finishing.size > 0) await Promise.allSettled([...this.finishing]);
    if (this.error) throw this.error instanceof Error ? this.error : new CairnError('internal-error', String(this.error));
  }

  /** After a failure or cancel: finish what is complete, drop partial uploads. */
  async abort(): Promise<void> {
    const p = this.current;
    if (p) this.close(p);
    while (this.finishing.size > 0) await Promise.allSettled([...this.finishing]);
  }
}
