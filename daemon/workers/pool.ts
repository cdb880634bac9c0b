// daemon/workers/pool.ts — the daemon's one worker pool (piscina). Typed entry points for
// each task; buffers are transferred both ways. Sized to the cores: with 2 cores, 2 threads
// keep both busy while the main thread reads files and writes packs.

import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type {
  ChunkIdsTask, ChunkIdsResult, ReadSmallTask, ReadSmallResult, WriteFilesTask, WriteFilesResult, SealTask, SealResult,
  OpenTask, OpenResult, ScanTask,
} from './tasks.js';

export interface PoolOptions {
  /** Worker threads for CPU work; @default availableParallelism() */
  threads?: number;
  /** Threads for synchronous small-file reads and writes; @default 4 */
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
    // Small-file reads are latency-bound synchronous I/O: more threads than cores keep the
    // disk's queue full while costing little CPU.
    this.io = new Piscina({ filename: ioFilename, minThreads: 0, maxThreads: opts.ioThreads ?? 4, idleTimeout: 10_000, resourceLimits });
  }

  chunkIds(t: Omit2<ChunkIdsTask, 'task'>): Promise<ChunkIdsResult> {
    return this.cpu.run({ task: 'chunkIds', ...t }, { transferList: [t.buf] });
  }

  readSmall(t: Omit2<ReadSmallTask, 'task'>): Promise<ReadSmallResult> {
    return this.io.run({ task: 'readSmall', ...t });
  }

  writeFiles(t: Omit2<WriteFilesTask, 'task'>): Promise<WriteFilesResult> {
    return this.io.run({ task: 'writeFiles', ...t }, { transferList: [t.buf] });
  }

  seal(t: Omit2<SealTask, 'task'>): Promise<SealResult> {
    return this.cpu.run({ task: 'seal', ...t }, { transferList: [t.buf] });
  }

  open(t: Omit2<OpenTask, 'task'>): Promise<OpenResult> {
    return this.cpu.run({ task: 'open', ...t }, { transferList: [t.buf] });
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
