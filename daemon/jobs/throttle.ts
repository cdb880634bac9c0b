// daemon/jobs/throttle.ts — at most one progress publication per interval for one job:
// the first update goes out at once; later ones inside the interval are merged and go
// out when it ends.
import type { Clock } from './clock.js';
import type { JobProgressUpdate } from './progress.js';

export class ProgressThrottle {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #publish: (update: JobProgressUpdate) => void;
  #pending: JobProgressUpdate | null = null;
  #last = -Infinity;
  #timer: unknown = null;

  constructor(clock: Clock, intervalMs: number, publish: (update: JobProgressUpdate) => void) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#publish = publish;
  }

  push(update: JobProgressUpdate): void {
    this.#pending = { ...this.#pending, ...update };
    if (this.#timer !== null) return;
    const wait = this.#last + this.#intervalMs - this.#clock.now();
    if (wait <= 0) this.#fire();
    else this.#timer = this.#clock.setTimeout(() => { this.#timer = null; this.#fire(); }, wait);
  }

  #fire(): void {
    const update = this.#pending;
    this.#pending = null;
    this.#last = this.#clock.now();
    if (update) this.#publish(update);
  }

  /** Stops the timer; returns the merged update not yet published, if any. */
  stop(): JobProgressUpdate | null {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    const update = this.#pending;
    this.#pending = null;
    return update;
  }
}
