// test/helpers/mem-storage.ts — the whole Storage contract (daemon/storage/types.ts) in
// memory, for tests of the layers above storage. Uploads in progress are visible as
// `tmp/<n>` (listed only when asked for 'tmp/'), as on disk. `objects` is open for tests
// that damage or inspect stored bytes; `failNextWrite` makes the next upload write reject.
import { randomBytes } from 'node:crypto';
import { CairnError } from '../../daemon/errors.js';
import type { Lock, Storage, StorageEntry, Upload } from '../../daemon/storage/index.js';

export class MemStorage implements Storage {
  readonly location = `mem:${randomBytes(4).toString('hex')}`;
  readonly objects = new Map<string, Buffer>();
  /** When set, the next Upload.write rejects with it (then it is cleared). */
  failNextWrite: Error | null = null;
  private uploads = 0;
  private locked = false;

  async put(name: string, bytes: Uint8Array): Promise<void> {
    this.objects.set(name, Buffer.from(bytes));
  }

  async upload(): Promise<Upload> {
    const tmp = `tmp/${this.uploads++}`;
    this.objects.set(tmp, Buffer.alloc(0));
    let buf = Buffer.alloc(4096);
    let size = 0;
    let state: 'open' | 'committed' | 'aborted' = 'open';
    const self = this;
    return {
      get size() {
        return size;
      },
      async write(bytes: Uint8Array): Promise<void> {
        if (state !== 'open') throw new CairnError('internal-error', `upload ${tmp} is ${state}`);
        const fail = self.failNextWrite;
        if (fail) {
          self.failNextWrite = null;
          throw fail;
        }
        if (size + bytes.length > buf.length) {
          const next = Buffer.alloc(Math.max(buf.length * 2, size + bytes.length));
          buf.copy(next, 0, 0, size);
          buf = next;
        }
        buf.set(bytes, size);
        size += bytes.length;
        self.objects.set(tmp, buf.subarray(0, size));
      },
      async commit(name: string): Promise<void> {
        if (state !== 'open') throw new CairnError('internal-error', `upload ${tmp} is ${state}`);
        state = 'committed';
        self.objects.set(name, Buffer.from(buf.subarray(0, size)));
        self.objects.delete(tmp);
      },
      async abort(): Promise<void> {
        if (state === 'committed') return;
        state = 'aborted';
        self.objects.delete(tmp);
      },
    };
  }

  async get(name: string): Promise<Buffer> {
    const b = this.objects.get(name);
    if (!b) throw new CairnError('not-found', `${name} not found`, { object: name });
    return Buffer.from(b);
  }

  async getRange(name: string, offset: number, length: number): Promise<Buffer> {
    const b = await this.get(name);
    if (offset < 0 || length < 0 || offset + length > b.length) {
      throw new CairnError('internal-error', `short read of ${name}`, { object: name, offset, length });
    }
    return b.subarray(offset, offset + length);
  }

  async *list(prefix: string): AsyncIterable<StorageEntry> {
    const names = [...this.objects.keys()].filter((n) => n.startsWith(prefix)
      && (!n.startsWith('tmp/') || prefix.startsWith('tmp/')));
    for (const name of names) {
      const b = this.objects.get(name);
      if (b) yield { name, size: b.length };
    }
  }

  async remove(name: string): Promise<void> {
    this.objects.delete(name);
  }

  async stat(name: string): Promise<{ size: number } | null> {
    const b = this.objects.get(name);
    return b ? { size: b.length } : null;
  }

  async createExclusive(name: string, bytes: Uint8Array): Promise<boolean> {
    if (this.objects.has(name)) return false;
    this.objects.set(name, Buffer.from(bytes));
    return true;
  }

  async lock(): Promise<Lock> {
    if (this.locked) throw new CairnError('conflict', 'the repository is locked by another process', { location: this.location });
    this.locked = true;
    let held = true;
    return {
      release: async () => {
        if (held) this.locked = false;
        held = false;
      },
    };
  }

  /** Every tmp/ entry here is an open upload and memory has no directories: nothing to sweep. */
  async sweep(): Promise<{ files: number; bytes: number; dirs: number }> {
    return { files: 0, bytes: 0, dirs: 0 };
  }

  async close(): Promise<void> {}
}
