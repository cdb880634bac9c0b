// daemon/backup/small-files.ts — small files (one chunk under 256 KiB) on their way into
// groups. They are read whole with their ids by native/'s readSmallFiles on libuv's thread
// pool, in batches (≤ 64 files or 1 MiB, or whatever arrived within 1 ms; up to 16 batches
// waiting on the disk at once, into buffers reused from batch to batch); then they join
// the session's open group strictly in walk order (sequence numbers handed out by the scan
// consumer), so neighbours compress together.

import { getSystemErrorMap } from 'node:util';
import {
  readSmallFiles, SMALL_GREW, SMALL_NOROOM, SMALL_NOTREG, SMALL_STABLE, type SmallFilesRead,
} from '../../native/index.js';
import type { Repository, Session } from '../repository/index.js';
import { uninitialised } from '../workers/index.js';
import { Limiter } from './limiter.js';

type Ctx = { repo: Pick<Repository, 'keys'>; session: Pick<Session, 'storeMember'> };

export interface SmallRead {
  id: Buffer | null;          // null for an empty file
  size: number;
  stable: boolean;
  ctimeNs: bigint;
  mtimeNs: bigint;
}

/** A file that could not be read, as the reader saw it (errno code and message). */
export class SmallReadError extends Error {
  constructor(readonly code: string, message: string, readonly grew: boolean) {
    super(message);
  }
}

/** One file of a batch: its bytes (a view into the batch's buffer) and id, or why not. */
type Got = { ok: true; bytes: Buffer; id: Buffer; size: number; stable: boolean; ctimeNs: bigint; mtimeNs: bigint }
  | { ok: false; error: SmallReadError };

const BATCH_FILES = 64;
const BATCH_BYTES = 1 << 20;
const BATCHES = 16;

let errnoNames: Map<number, [string, string]> | null = null;
function errnoError(errno: number): SmallReadError {
  const [code, message] = (errnoNames ??= getSystemErrorMap()).get(-errno) ?? [`E${errno}`, `error ${errno}`];
  return new SmallReadError(code, message, false);
}

interface Waiting { seq: number; path: Buffer; resolve(r: SmallRead): void; reject(e: unknown): void }

export class SmallFiles {
  private batch: Waiting[] = [];
  private batchBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly inflight = new Limiter(BATCHES);
  /** Batch buffers not in use; a batch holds one until all its files are stored. */
  private readonly spare: Uint8Array[] = [];
  /** A batch is flushed at BATCH_BYTES: its files fit in that plus one file under `limit`. */
  private readonly room: number;
  private nextSeq = 0;
  private drained = 0;
  private readonly ready = new Map<number, { id: Buffer; bytes: Buffer; done(e?: unknown): void } | null>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Ctx, private readonly limit: number) {
    this.room = BATCH_BYTES + limit;
  }

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
      if (this.batch.length >= BATCH_FILES || this.batchBytes >= BATCH_BYTES) this.flush();
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

  /** Holds a permit and a buffer from the read until every file of the batch is stored:
   *  read-ahead is bounded by BATCHES batches, however slowly the packers drain. */
  private async run(items: Waiting[]): Promise<void> {
    await this.inflight.acquire();
    const out = this.spare.pop() ?? new Uint8Array(uninitialised(this.room));
    const settled = items.map((w) => new Promise<void>((done) => {
      const { resolve, reject } = w;
      w.resolve = (r) => { resolve(r); done(); };
      w.reject = (e) => { reject(e); done(); };
    }));
    void Promise.all(settled).then(() => {
      this.spare.push(out);
      this.inflight.release();
    });
    let got: Got[];
    try {
      got = await this.readBatch(items.map((w) => w.path), out);
    } catch (e) {
      for (const w of items) {
        this.skip(w.seq);
        w.reject(e);
      }
      return;
    }
    items.forEach((w, i) => {
      const g = got[i]!;
      if (!g.ok) {
        this.skip(w.seq);
        w.reject(g.error);
        return;
      }
      const read: SmallRead = { id: null, size: g.size, stable: g.stable, ctimeNs: g.ctimeNs, mtimeNs: g.mtimeNs };
      if (g.size === 0) {
        this.skip(w.seq);
        w.resolve(read);
        return;
      }
      read.id = g.id;
      this.ready.set(w.seq, { id: g.id, bytes: g.bytes, done: (e) => (e ? w.reject(e) : w.resolve(read)) });
    });
    this.drain();
  }

  /** Reads a batch into `out`; files that grew past what was left of it are read again
   *  into a buffer of their own (each is under `limit`, or it is reported as grown). */
  private async readBatch(paths: Buffer[], out: Uint8Array): Promise<Got[]> {
    const r: SmallFilesRead = await readSmallFiles(paths, this.limit, this.ctx.repo.keys.id, out);
    const data = Buffer.from(out.buffer, out.byteOffset, r.used);
    const got: Got[] = new Array(paths.length);
    const again: number[] = [];
    let off = 0;
    for (let i = 0; i < paths.length; i++) {
      const flags = r.flags[i]!;
      if (r.errnos[i] !== 0) got[i] = { ok: false, error: errnoError(r.errnos[i]!) };
      else if (flags & SMALL_GREW) got[i] = { ok: false, error: new SmallReadError('EFBIG', 'grew since the scan', true) };
      else if (flags & SMALL_NOTREG) got[i] = { ok: false, error: new SmallReadError('EINVAL', 'no longer a regular file', false) };
      else if (flags & SMALL_NOROOM) again.push(i);
      else {
        const len = r.lens[i]!;
        got[i] = {
          ok: true, bytes: data.subarray(off, off + len), id: Buffer.from(r.ids.buffer, i * 32, 32), size: len,
          stable: (flags & SMALL_STABLE) !== 0, mtimeNs: r.stamps[i * 4 + 1]!, ctimeNs: r.stamps[i * 4 + 2]!,
        };
        off += len;
      }
    }
    if (again.length > 0) {
      const more = await this.readBatch(again.map((i) => paths[i]!), new Uint8Array(uninitialised(again.length * this.limit)));
      again.forEach((i, k) => { got[i] = more[k]!; });
    }
    return got;
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
