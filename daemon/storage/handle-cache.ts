// daemon/storage/handle-cache.ts — an LRU of open read-only FileHandles keyed by object name,
// so that many ranged reads of one pack cost one open(). A handle evicted (LRU overflow,
// remove, replace) while reads still use it is closed when the last of them finishes.
import { open, type FileHandle } from 'node:fs/promises';

interface Entry {
  fh: FileHandle;
  users: number;
  /** No longer in the map: close when users drops to 0. */
  evicted: boolean;
}

export class HandleCache {
  private readonly entries = new Map<string, Entry>(); // insertion order = least recently used first
  /** Bumped by every evict: an open that raced with one is used once and not cached. */
  private evictions = 0;

  constructor(private readonly capacity: number) {}

  /** Runs `fn` with an open read-only handle of `path` (cached under `name`). Errors of
   *  open() (ENOENT, …) propagate unchanged. */
  async use<T>(name: string, path: string, fn: (fh: FileHandle) => Promise<T>): Promise<T> {
    let entry = this.entries.get(name);
    if (entry) {
      this.entries.delete(name);
      this.entries.set(name, entry);
      entry.users++;
    } else {
      const seen = this.evictions;
      const fh = await open(path, 'r');
      const raced = this.entries.get(name);
      if (raced) {
        // Another read opened it meanwhile: use the cached one.
        entry = raced;
        entry.users++;
        await fh.close().catch(() => undefined);
      } else {
        entry = { fh, users: 1, evicted: seen !== this.evictions };
        if (!entry.evicted) {
          this.entries.set(name, entry);
          this.trim();
        }
      }
    }
    try {
      return await fn(entry.fh);
    } finally {
      entry.users--;
      if (entry.evicted && entry.users === 0) await closeQuietly(entry);
    }
  }

  /** Forgets `name` (before it is removed or replaced); closes its handle once unused. */
  async evict(name: string): Promise<void> {
    this.evictions++;
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    entry.evicted = true;
    if (entry.users === 0) await closeQuietly(entry);
  }

  /** Closes every handle not in use; handles in use close when their reads finish. */
  async clear(): Promise<void> {
    this.evictions++;
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) e.evicted = true;
    await Promise.all(all.filter((e) => e.users === 0).map(closeQuietly));
  }

  get size(): number {
    return this.entries.size;
  }

  private trim(): void {
    while (this.entries.size > this.capacity) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      entry.evicted = true;
      if (entry.users === 0) void closeQuietly(entry);
    }
  }
}

async function closeQuietly(entry: Entry): Promise<void> {
  await entry.fh.close().catch(() => undefined);
}
