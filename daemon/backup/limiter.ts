// daemon/backup/limiter.ts — a counting semaphore (slots or bytes) that bounds the work
// in flight: reads, buffers, tasks. acquire(n) waits in FIFO order; release(n) never throws.

export class Limiter {
  private used = 0;
  private readonly queue: Array<{ n: number; resolve: () => void }> = [];

  constructor(private readonly capacity: number) {}

  async acquire(n = 1): Promise<void> {
    const want = Math.min(n, this.capacity);
    if (this.queue.length === 0 && this.used + want <= this.capacity) {
      this.used += want;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push({ n: want, resolve }));
  }

  release(n = 1): void {
    this.used -= Math.min(n, this.capacity);
    while (this.queue.length > 0 && this.used + this.queue[0]!.n <= this.capacity) {
      const next = this.queue.shift()!;
      this.used += next.n;
      next.resolve();
    }
  }

  get inUse(): number {
    return this.used;
  }
}
