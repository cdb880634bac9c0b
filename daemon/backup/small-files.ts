// daemon/backup/small-files.ts — small files (one chunk under 256 KiB) on their way into
// groups. Their ids are computed in worker batches (≤ 256 files or 1 MiB, or whatever
// arrived within 2 ms); then they join the session's open group strictly in walk order
// (sequence numbers handed out by the scan consumer), so neighbours compress together.

import type { Repository, Session } from '../repository/index.js';

type Ctx = { repo: Pick<Repository, 'pool' | 'keys'>; session: Pick<Session, 'storeMember'> };

interface Waiting { bytes: Buffer; resolve(id: Buffer): void; reject(e: unknown): void }

class IdBatcher {
  private items: Waiting[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: Ctx) {}

  id(bytes: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.items.push({ bytes, resolve, reject });
      this.size += bytes.length;
      if (this.items.length >= 256 || this.size >= 1 << 20) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), 2);
    });
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const items = this.items;
    if (items.length === 0) return;
    this.items = [];
    const ab = new ArrayBuffer(this.size);
    this.size = 0;
    const view = new Uint8Array(ab);
    const lens = new Uint32Array(items.length);
    let off = 0;
    items.forEach((it, i) => {
      view.set(it.bytes, off);
      lens[i] = it.bytes.length;
      off += it.bytes.length;
    });
    this.ctx.repo.pool.idBatch({ buf: ab, lens, idKey: this.ctx.repo.keys.id }).then((res) => {
      items.forEach((it, i) => it.resolve(Buffer.from(res.ids.buffer, res.ids.byteOffset + i * 32, 32)));
    }, (e) => items.forEach((it) => it.reject(e)));
  }
}

/** Orders small contents by walk sequence before they join a group. */
export class SmallFiles {
  private readonly batcher: IdBatcher;
  private nextSeq = 0;
  private drained = 0;
  private readonly ready = new Map<number, { id: Buffer; bytes: Buffer; done(e?: unknown): void } | null>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Ctx) {
    this.batcher = new IdBatcher(ctx);
  }

  /** A place in walk order, taken synchronously by the scan consumer. */
  reserve(): number {
    return this.nextSeq++;
  }

  /** Gives up a place (the file could not be read). */
  skip(seq: number): void {
    this.ready.set(seq, null);
    this.drain();
  }

  /** Computes the content's id; resolves once it is stored (or known) in walk order. */
  async store(seq: number, bytes: Buffer): Promise<Buffer> {
    let id: Buffer;
    try {
      id = await this.batcher.id(bytes);
    } catch (e) {
      this.skip(seq);
      throw e;
    }
    await new Promise<void>((resolve, reject) => {
      this.ready.set(seq, { id, bytes, done: (e) => (e ? reject(e) : resolve()) });
      this.drain();
    });
    return id;
  }

  private drain(): void {
    while (this.ready.has(this.drained)) {
      const item = this.ready.get(this.drained)!;
      this.ready.delete(this.drained);
      this.drained++;
      if (!item) continue;
      this.chain = this.chain.then(() => this.ctx.session.storeMember(item.id, item.bytes)).then(
        () => item.done(), (e) => item.done(e ?? new Error('store failed')));
    }
  }
}
