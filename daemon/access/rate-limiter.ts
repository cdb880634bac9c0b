// daemon/access/rate-limiter.ts — "N per minute" limits (API.md "Access": auth failures,
// reads, writes) as a generic cell rate algorithm: each bucket keeps one number, its
// theoretical arrival time (TAT). A limit of N/min admits a burst of N, then one more
// every 60/N s; a full minute of quiet restores the whole burst. A refused take tells how
// long until the next one would pass (→ `Retry-After`). Memory is bounded: a bucket whose
// TAT has passed is equal to a fresh one and is dropped, and past `maxBuckets` the least
// recently used buckets go first. Time comes from the injected clock. Called by access.ts.
import type { AccessClock } from './clock.js';

const WINDOW_MS = 60_000;
/** Buckets kept at most (per limiter); each is a Map entry of a short string and a number. */
export const DEFAULT_MAX_BUCKETS = 50_000;

export class RateLimiter {
  readonly #clock: AccessClock;
  readonly #max: number;
  /** bucket → TAT (ms); Map order = least recently used first. */
  readonly #tat = new Map<string, number>();

  constructor(clock: AccessClock, maxBuckets = DEFAULT_MAX_BUCKETS) {
    this.#clock = clock;
    this.#max = Math.max(1, maxBuckets);
  }

  get size(): number {
    return this.#tat.size;
  }

  /** ms until `bucket` admits one more event at `perMin` (0 = now); nothing is consumed. */
  wait(bucket: string, perMin: number): number {
    if (perMin <= 0) return 0;
    const now = this.#clock.now();
    const interval = WINDOW_MS / perMin;
    const tat = Math.max(this.#tat.get(bucket) ?? now, now);
    return Math.max(0, Math.ceil(tat - (WINDOW_MS - interval) - now));
  }

  /** Counts one event; returns 0 when it is admitted, else the ms to wait (not counted).
   *  `perMin` 0 turns the limit off. */
  take(bucket: string, perMin: number): number {
    if (perMin <= 0) return 0;
    const wait = this.wait(bucket, perMin);
    if (wait > 0) return wait;
    const now = this.#clock.now();
    const tat = Math.max(this.#tat.get(bucket) ?? now, now) + WINDOW_MS / perMin;
    this.#tat.delete(bucket);
    this.#tat.set(bucket, tat);
    if (this.#tat.size > this.#max) this.#evict(now);
    return 0;
  }

  /** Drops buckets that are back to full; then, if still too many, the least recently used
   *  tenth (a flood of distinct addresses may forgive some of them: memory stays bounded). */
  #evict(now: number): void {
    for (const [k, tat] of this.#tat) if (tat <= now) this.#tat.delete(k);
    if (this.#tat.size <= this.#max) return;
    let drop = Math.max(1, Math.ceil(this.#max / 10));
    for (const k of this.#tat.keys()) {
      if (drop-- <= 0) break;
      this.#tat.delete(k);
    }
  }
}

/** Retry-After in whole seconds for a wait in ms (at least 1). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
