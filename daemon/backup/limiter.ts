// daemon/backup/limiter.ts — a counting semaphore (slots or bytes) that bounds the work
// in flight: reads, buffers, tasks. acquire(n) waits in FIFO order; release(n) never
// throws. The wait queue is a ring of indices, so tens of thousands of waiters cost O(1)
// each (an Array.shift() queue was quadratic and showed up in profiles).

export class Limiter {
  private used = 0;
  private queue: Array<{ n: number; resolve: () => void } | undefined> = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  private get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Takes `n` at once when it fits and nobody waits; false otherwise (nothing taken). */
  tryAcquire(n = 1): boolean {
    const want = Math.min(n, this.capacity);
    if (this.waiting !== 0 || this.used + want > this.capacity) return false;
    this.used += want;
    return true;
  }

  async acquire(n = 1): Promise<void> {
    const want = Math.min(n, this.capacity);
    if (this.waiting === 0 && this.used + want <= this.capacity) {
      this.used += want;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push({ n: want, resolve }));
  }

  release(n = 1): void {
    this.used -= Math.min(n, this.capacity);
    while (this.waiting > 0 && this.used + this.queue[this.head]!.n <= this.capacity) {
      const next = this.queue[this.head]!;
      this.queue[this.head++] = undefined;
      this.used += next.n;
      next.resolve();
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  get inUse(): number {
    return this.used;
  }
}
