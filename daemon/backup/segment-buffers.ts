// daemon/backup/segment-buffers.ts — the big-file segment buffers of one backup, reused.
// A buffer goes reader → chunking worker → back → sealing worker → back (transferred each
// way, never copied) and then serves the next segment. Allocating one per segment instead
// cost the main thread ~1 s of page faults and ~3 s of garbage collection per GB (V8 runs
// a full GC for every 64 MiB of new ArrayBuffer memory): measured on the bigfile corpus.
// The count of buffers bounds the bytes of segments in flight. Used by read-file.ts.

import { uninitialised } from '../workers/index.js';

export class SegmentBuffers {
  private readonly free: ArrayBuffer[] = [];
  private readonly waiting: Array<(b: ArrayBuffer) => void> = [];
  private made = 0;

  /** `size`-byte buffers, at most `count` of them out or free at once. */
  constructor(readonly size: number, private readonly count: number) {}

  /** A buffer to fill; waits while all of them are in flight. */
  take(): Promise<ArrayBuffer> {
    const b = this.free.pop();
    if (b) return Promise.resolve(b);
    if (this.made < this.count) {
      this.made++;
      return Promise.resolve(uninitialised(this.size));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands back a buffer taken here: `back` is the same memory after its round trips, or
   *  null when it did not come back (a failed task keeps it); then a new one replaces it. */
  give(back: ArrayBuffer | null): void {
    let b = back && back.byteLength === this.size ? back : null;
    if (!b) {
      this.made--;
      if (this.waiting.length === 0) return;
      this.made++;
      b = uninitialised(this.size);
    }
    const w = this.waiting.shift();
    if (w) w(b);
    else this.free.push(b);
  }
}
