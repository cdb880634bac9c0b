// daemon/walk/scan-stream.ts — the scan across threads with backpressure.
//   worker: scanTree → batches of ≤ batchEvents events or ≤ batchMs old → postMessage;
//           before each post it blocks (Atomics.wait) while maxOutstanding batches are
//           unacknowledged, and stops between entries once the abort flag is set.
//   main:   consumeScan yields each batch and acknowledges it when the consumer asks for
//           the next one; aborting the signal sets the flag and wakes the worker.
// Control block (SharedArrayBuffer, Int32 slots): [0] unacknowledged batches, [1] abort,
// [2] 1 while the worker is blocked on backpressure (each change is notified on slot 2).
import type { MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { CairnError, CancelledError } from '../errors.js';
import { logger } from '../log.js';
import { isErrorCode } from '../../shared/errors.js';
import { compileExcludes } from './exclude-matcher.js';
import { scanTree } from './scan-tree.js';
import { BatchWriter, decodeBatch, type WireDone, type WireMessage } from './scan-wire.js';
import type { ScanEvent, ScanOptions } from './types.js';

const OUTSTANDING = 0;
const ABORT = 1;
const BLOCKED = 2;

const log = logger('walk');

/** How a scan is cut into messages. */
export interface ScanStreamTuning {
  /** A batch is posted once it holds this many events. @default 512 */
  batchEvents?: number;
  /** …or once its first event is this old, in milliseconds. @default 4 */
  batchMs?: number;
  /** The worker waits while this many batches are unacknowledged. @default 64 */
  maxOutstanding?: number;
}

export const SCAN_STREAM_DEFAULTS: Readonly<Required<ScanStreamTuning>> = Object.freeze({
  batchEvents: 512,
  batchMs: 4,
  maxOutstanding: 64,
});

/** A fresh control block for one scan (shared by scanToPort and consumeScan). */
export function createScanControl(): SharedArrayBuffer {
  return new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
}

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Worker side: runs the scan and streams batches to `port`, ending with one
 * `{t: 'done', done: true, cancelled}` message (with `error` when the scan itself failed,
 * e.g. bad roots or patterns). Blocks its thread while the consumer is behind, so it must
 * run in a worker thread. Exclude patterns are expanded with this thread's environment.
 * The caller owns `port` and closes it.
 */
export function scanToPort(opts: ScanOptions, port: MessagePort, control: SharedArrayBuffer, tuning: ScanStreamTuning = {}): void {
  const { batchEvents, batchMs, maxOutstanding } = { ...SCAN_STREAM_DEFAULTS, ...tuning };
  const ctl = new Int32Array(control);
  const aborted = (): boolean => Atomics.load(ctl, ABORT) !== 0;
  const writer = new BatchWriter();
  let batchStart = 0;

  const setBlocked = (v: number): void => {
    Atomics.store(ctl, BLOCKED, v);
    Atomics.notify(ctl, BLOCKED);
  };
  const post = (): void => {
    for (;;) {
      const n = Atomics.load(ctl, OUTSTANDING);
      if (n < maxOutstanding || aborted()) break;
      if (Atomics.load(ctl, BLOCKED) === 0) setBlocked(1);
      Atomics.wait(ctl, OUTSTANDING, n, 1000); // woken by an ack or the abort; 1 s only as a guard
    }
    if (Atomics.load(ctl, BLOCKED) !== 0) setBlocked(0);
    if (aborted()) return;
    const batch = writer.take();
    Atomics.add(ctl, OUTSTANDING, 1);
    Atomics.notify(ctl, OUTSTANDING);
    port.postMessage(batch, [batch.bytes.buffer as ArrayBuffer]);
  };
  const done = (d: Omit<WireDone, 't' | 'done'>): void => port.postMessage({ t: 'done', done: true, ...d } satisfies WireDone);

  try {
    const scanOpts: ScanOptions = { ...opts, roots: opts.roots.map(toBuffer) };
    const matcher = compileExcludes(opts.excludes);
    for (const ev of scanTree(scanOpts, matcher, aborted)) {
      if (writer.length === 0) batchStart = performance.now();
      writer.add(ev);
      if (writer.length >= batchEvents || performance.now() - batchStart >= batchMs) post();
      if (aborted()) break;
    }
    if (!aborted() && writer.length > 0) post();
    done({ cancelled: aborted(), error: null });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    if (!(e instanceof CairnError)) log.error('scan failed', { error: err.stack ?? err.message });
    done({
      cancelled: false,
      error: { message: err.message, code: e instanceof CairnError ? e.code : null, params: e instanceof CairnError ? e.params : {} },
    });
  }
}

/**
 * Main side: the batches of one scan, in order. A batch is acknowledged (letting the
 * worker go on) when the consumer asks for the next one, so a slow consumer holds the
 * worker to `maxOutstanding` batches ahead. Aborting `signal` stops the worker; the
 * iteration then throws CancelledError once the worker has confirmed. Leaving the loop
 * early also stops the worker and waits for it. A failed scan rethrows its error
 * (CairnError when it was one).
 */
export function consumeScan(port: MessagePort, control: SharedArrayBuffer, signal?: AbortSignal): AsyncIterable<ScanEvent[]> {
  return { [Symbol.asyncIterator]: () => consume(port, control, signal) };
}

async function* consume(port: MessagePort, control: SharedArrayBuffer, signal?: AbortSignal): AsyncGenerator<ScanEvent[]> {
  const ctl = new Int32Array(control);
  const queue: WireMessage[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  const poke = (): void => { const w = wake; wake = null; w?.(); };
  const onMessage = (m: WireMessage): void => { queue.push(m); poke(); };
  const onClose = (): void => { closed = true; poke(); };
  const stop = (): void => {
    Atomics.store(ctl, ABORT, 1);
    Atomics.notify(ctl, OUTSTANDING);
  };
  const ack = (): void => {
    Atomics.sub(ctl, OUTSTANDING, 1);
    Atomics.notify(ctl, OUTSTANDING);
  };
  const next = async (): Promise<WireMessage | null> => {
    while (queue.length === 0 && !closed) await new Promise<void>((resolve) => { wake = resolve; });
    return queue.shift() ?? null;
  };

  port.on('message', onMessage);
  port.on('close', onClose);
  signal?.addEventListener('abort', stop);
  if (signal?.aborted) stop();
  let finished = false;
  try {
    for (;;) {
      const m = await next();
      if (m === null) throw new Error('scan worker went away before finishing');
      if (m.t === 'done') {
        finished = true;
        if (m.error) {
          throw m.error.code && isErrorCode(m.error.code)
            ? new CairnError(m.error.code, m.error.message, m.error.params)
            : new Error(m.error.message);
        }
        if (m.cancelled) throw new CancelledError();
        return;
      }
      if (Atomics.load(ctl, ABORT) !== 0) { ack(); continue; }
      yield decodeBatch(m);
      ack();
    }
  } finally {
    if (!finished) {
      // The consumer left early (or the port closed): stop the worker and drain to `done`.
      stop();
      for (let m = await next(); m !== null && m.t !== 'done'; m = await next()) ack();
    }
    signal?.removeEventListener('abort', stop);
    port.off('message', onMessage);
    port.off('close', onClose);
  }
}
