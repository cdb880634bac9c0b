// daemon/access/nonce-store.ts — the nonces of single-use signed URLs already used, each
// kept until its URL expires, so a second use is refused (API.md "Files"). Kept in memory
// and appended to `$STATE/url-nonces` (0600) before the use is allowed, so a restart does
// not make a used URL valid again; the file is compacted at open and when it holds mostly
// expired lines. At most `max` live nonces: past that, uses are refused with 503 until
// some expire (memory stays bounded and no used nonce is ever forgotten early).
// Called by signed-url.ts.
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import { SECRET_MODE, writeFileAtomic } from './atomic-file.js';
import type { AccessClock } from './clock.js';

export const NONCES_FILE = 'url-nonces';
/** Live used nonces kept at most (≈ 100 bytes each). */
export const MAX_USED_NONCES = 100_000;

export class NonceStore {
  readonly #file: string;
  readonly #clock: AccessClock;
  readonly #max: number;
  /** nonce hex → expiry (s since the epoch) */
  readonly #used = new Map<string, number>();
  #lines = 0;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, clock: AccessClock, max: number) {
    this.#file = file;
    this.#clock = clock;
    this.#max = max;
  }

  static async open(stateDir: string, clock: AccessClock, max = MAX_USED_NONCES): Promise<NonceStore> {
    const store = new NonceStore(join(stateDir, NONCES_FILE), clock, max);
    let text = '';
    try {
      text = await readFile(store.#file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const now = store.#nowS();
    for (const line of text.split('\n')) {
      const m = /^([0-9a-f]{32}) (\d{1,15})$/.exec(line);
      if (m && Number(m[2]) > now) store.#used.set(m[1]!, Number(m[2]));
    }
    if (text !== '') await store.#compact();
    return store;
  }

  get size(): number {
    return this.#used.size;
  }

  #nowS(): number {
    return Math.floor(this.#clock.now() / 1000);
  }

  #purge(): void {
    const now = this.#nowS();
    for (const [n, exp] of this.#used) if (exp <= now) this.#used.delete(n);
  }

  async #compact(): Promise<void> {
    this.#purge();
    let out = '';
    for (const [n, exp] of this.#used) out += `${n} ${exp}\n`;
    await writeFileAtomic(this.#file, out);
    this.#lines = this.#used.size;
  }

  /** Records a use of `nonce` (valid until `expiresS`); false when it was used before.
   *  Throws 503 unavailable when `max` live nonces are recorded. */
  consume(nonce: string, expiresS: number): Promise<boolean> {
    const run = this.#queue.then(async () => {
      if (this.#used.has(nonce)) {
        if (this.#used.get(nonce)! > this.#nowS()) return false;
        this.#used.delete(nonce);
      }
      if (this.#used.size >= this.#max) this.#purge();
      if (this.#used.size >= this.#max) {
        throw new CairnError('unavailable', 'too many single-use URLs in use: try again later');
      }
      await appendFile(this.#file, `${nonce} ${expiresS}\n`, { mode: SECRET_MODE });
      this.#used.set(nonce, expiresS);
      if (++this.#lines > Math.max(1000, 2 * this.#used.size)) await this.#compact();
      return true;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
