// daemon/backup/small-files.ts — small files (one chunk under 256 KiB) on their way into
// groups. They are read whole and their ids computed in IO threads, in batches (≤ 64 files
// or 1 MiB, or whatever arrived within 1 ms); then they join the session's open group
// strictly in walk order (sequence numbers handed out by the scan consumer), so
// neighbours compress together.

import type { Repository, Session } from '../repository/index.js';
import type { SmallFileRead } from '../workers/index.js';
import { Limiter } from './limiter.js';

type Ctx = { repo: Pick<Repository, 'pool' | 'keys'>; session: Pick<Session, 'storeMember'> };

export interface SmallRead {
  id: Buffer | null;          // null for an empty file
  size: number;
  stable: boolean;
  ctimeNs: bigint;
  mtimeNs: bigint;
}

/** A file that could not be read, as the worker saw it (errno code and message). */
export class SmallReadError extends Error {
  constructor(readonly code: string, message: string, readonly grew: boolean) {
    super(message);
  }
}

interface Waiting { seq: number; path: Buffer; resolve(r: SmallRead): void; reject(e: unknown): void }

export class SmallFiles {
  private batch: Waiting[] = [];
  private batchBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly inflight = new Limiter(16);
  private nextSeq = 0;
  private drained = 0;
  private readonly ready = new Map<number, { id: Buffer; bytes: Buffer; done(e?: unknown): void } | null>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Ctx, private readonly limit: number) {}

  /** A place in walk order, taken synchronously by the scan consumer. */
  reserve(): number {
    return this.nextSeq++;
  }

  /** Gives up a place (the file was not read after all). */
  skip(seq: number): void {
    this.ready.set(seq, null);
    this.drain();
  }

  /** Reads the file; resolves once its content is stored (or known), in walk order. */
  read(seq: number, path: Buffer, expected: number): Promise<SmallRead> {
    return new Promise((resolve, reject) => {
      this.batch.push({ seq, path, resolve, reject });
      this.batchBytes += expected;
      if (this.batch.length >= 64 || this.batchBytes >= 1 << 20) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), 1);
    });
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const items = this.batch;
    if (items.length === 0) return;
    this.batch = [];
    this.batchBytes = 0;
    void this.run(items);
  }

  /** Holds a permit from the read until every file of the batch is stored: read-ahead
   *  is bounded by 16 batches, however slowly the packers drain. */
  private async run(items: Waiting[]): Promise<void> {
    await this.inflight.acquire();
    const settled = items.map((w) => new Promise<void>((done) => {
      const { resolve, reject } = w;
      w.resolve = (r) => { resolve(r); done(); };
      w.reject = (e) => { reject(e); done(); };
    }));
    void Promise.all(settled).then(() => this.inflight.release());
    let res;
    try {
      res = await this.ctx.repo.pool.readSmall({ paths: items.map((w) => w.path), limit: this.limit, idKey: this.ctx.repo.keys.id });
    } catch (e) {
      for (const w of items) {
        this.skip(w.seq);
        w.reject(e);
      }
      return;
    }
    const data = Buffer.from(res.buf);
    items.forEach((w, i) => {
      const f: SmallFileRead = res.files[i]!;
      if (!f.ok) {
        this.skip(w.seq);
        w.reject(new SmallReadError(f.code, f.message, f.grew === true));
        return;
      }
      const read: SmallRead = { id: null, size: f.len, stable: f.stable, ctimeNs: f.ctimeNs, mtimeNs: f.mtimeNs };
      if (f.len === 0) {
        this.skip(w.seq);
        w.resolve(read);
        return;
      }
      read.id = Buffer.from(res.ids.buffer, res.ids.byteOffset + i * 32, 32);
      const bytes = data.subarray(f.off, f.off + f.len);
      this.ready.set(w.seq, { id: read.id, bytes, done: (e) => (e ? w.reject(e) : w.resolve(read)) });
    });
    this.drain();
  }

  private drain(): void {
    while (this.ready.has(this.drained)) {
      const item = this.ready.get(this.drained)!;
      this.ready.delete(this.drained);
      this.drained++;
      if (!item) continue;
      this.chain = this.chain.then(() => this.ctx.session.storeMember(item.id, item.bytes)).then(
        () => item.done(), (e: unknown) => item.done(e ?? new Error('store failed')));
    }
  }
}
