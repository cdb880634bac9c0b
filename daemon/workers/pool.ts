// daemon/workers/pool.ts — the daemon's one worker pool (piscina). Typed entry points for
// each task; buffers are transferred both ways. Sized to the cores: with 2 cores, 2 threads
// keep both busy while the main thread reads files and writes packs.

import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type {
  ChunkIdsTask, ChunkIdsResult, WriteFilesTask, WriteFilesResult, SealTask, SealResult,
  OpenTask, OpenResult, ScanTask,
} from './tasks.js';

export interface PoolOptions {
  /** Worker threads for CPU work; @default availableParallelism() */
  threads?: number;
  /** Threads for synchronous small-file writes (restore); @default one per core, at least 2 */
  ioThreads?: number;
}

type Omit2<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;

export class WorkerPool {
  private readonly cpu: Piscina;
  private readonly scans: Piscina;
  private readonly io: Piscina;
  readonly threads: number;

  constructor(opts: PoolOptions = {}) {
    const filename = new URL('./worker.js', import.meta.url).href;
    const ioFilename = new URL('./io-worker.js', import.meta.url).href;
    const scanFilename = new URL('./scan-worker.js', import.meta.url).href;
    this.threads = Math.max(1, opts.threads ?? availableParallelism());
    // A small young generation per thread: the default (up to 48 MiB each) made idle
    // threads the bulk of the daemon's anonymous memory. Measured with npm run bench.
    const resourceLimits = { maxYoungGenerationSizeMb: 8 };
    this.cpu = new Piscina({ filename, minThreads: this.threads, maxThreads: this.threads, idleTimeout: 60_000, concurrentTasksPerWorker: 1, resourceLimits });
    // Scans block their thread for the whole walk: they get threads of their own so CPU
    // tasks never queue behind one.
    this.scans = new Piscina({ filename: scanFilename, minThreads: 0, maxThreads: 4, idleTimeout: 10_000, resourceLimits });
    // Restore's small-file writes are synchronous I/O. One thread per core (at least 2):
    // each thread is an isolate that compiles and collects its own garbage (with 4 on 2
    // cores, backup reading small files here took more CPU and no less time than with 2).
    this.io = new Piscina({ filename: ioFilename, minThreads: 0, maxThreads: opts.ioThreads ?? Math.max(2, this.threads), idleTimeout: 10_000, resourceLimits });
  }

  // Every small byte array in a task goes through own(): see there.

  chunkIds(t: Omit2<ChunkIdsTask, 'task'>): Promise<ChunkIdsResult> {
    return this.cpu.run({ task: 'chunkIds', ...t, gear: own(t.gear), idKey: own(t.idKey) }, { transferList: [t.buf] });
  }

  writeFiles(t: Omit2<WriteFilesTask, 'task'>): Promise<WriteFilesResult> {
    const files = t.files.map((f) => ({
      ...f, path: own(f.path), meta: { ...f.meta, xattrs: f.meta.xattrs.map(([k, v]): [Uint8Array, Uint8Array] => [own(k), own(v)]) },
    }));
    return this.io.run({ task: 'writeFiles', ...t, files }, { transferList: [t.buf] });
  }

  seal(t: Omit2<SealTask, 'task'>): Promise<SealResult> {
    const items = t.items.map((it) => ({ ...it, id: own(it.id) }));
    return this.cpu.run({ task: 'seal', ...t, items, packKey: own(t.packKey), salt: own(t.salt) }, { transferList: [t.buf] });
  }

  /** Opens units; unless discarding, they are decoded into `out` from `outOff`, which
   *  comes back as `plain`. */
  open(t: Omit2<OpenTask, 'task'>): Promise<OpenResult> {
    const items = t.items.map((it) => ({ ...it, id: own(it.id) }));
    const verify = t.verify && {
      idKey: own(t.verify.idKey),
      ...(t.verify.members ? { members: t.verify.members.map((ms) => ms.map(([o, l, id]): [number, number, Uint8Array] => [o, l, own(id)])) } : {}),
    };
    const task: OpenTask = { task: 'open', ...t, items, verify, packKey: own(t.packKey), salt: own(t.salt) };
    return this.cpu.run(task, { transferList: t.out ? [t.buf, t.out] : [t.buf] });
  }

  /** Starts a scan on a thread of its own; events arrive on the returned port. */
  scan(t: Omit2<ScanTask, 'task' | 'port'>): { port: MessagePort; done: Promise<void> } {
    const { port1, port2 } = new MessageChannel();
    const done = this.scans.run({ task: 'scan', ...t, port: port2 }, { transferList: [port2] }).then(() => undefined);
    return { port: port1, done };
  }

  /** Tasks queued or running (for health and tests). */
  get queued(): number {
    return this.cpu.queueSize;
  }

  async close(): Promise<void> {
    await Promise.all([this.cpu.destroy(), this.scans.destroy(), this.io.destroy()]);
  }
}

/**
 * `b`, or a copy of it that owns its ArrayBuffer when `b` is a view into a bigger one.
 * Structured cloning copies the whole ArrayBuffer under a view: a 32-byte id cut from a
 * Buffer pool slab cost 8 KiB a message, and a path that is a view into a scan batch the
 * whole batch (measured: 1.3 s of the main thread's 11 s on the small-files backup).
 */
export function own(b: Uint8Array): Uint8Array {
  const ab = transferable(b);
  return ab === b.buffer ? b : new Uint8Array(ab);
}

/**
 * An ArrayBuffer holding exactly `bytes`, to transfer to a worker: the buffer itself when
 * `bytes` spans all of it (Buffers of 4 KiB or more own theirs), else an uninitialised copy.
 */
export function transferable(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  copy.set(bytes);
  return copy.buffer as ArrayBuffer;
}

/** An uninitialised ArrayBuffer of `n` bytes (no zero-fill: every byte will be written). */
export function uninitialised(n: number): ArrayBuffer {
  return Buffer.allocUnsafeSlow(n).buffer as ArrayBuffer;
}
