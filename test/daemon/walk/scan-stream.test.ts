// The scan through a real worker thread: the same events as scanTree with Buffers intact,
// a slow consumer holding the producer to maxOutstanding batches, cancellation mid-scan,
// leaving early, and a failed scan.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { tmpDir } from '../../helpers/tmp.js';
import { CancelledError } from '../../../daemon/errors.js';
import { lsetxattr } from '../../../native/index.js';
import {
  compileExcludes, consumeScan, createScanControl, scanTree,
  type ScanEvent, type ScanOptions, type ScanStreamTuning,
} from '../../../daemon/walk/index.js';
import { build } from './fixture.js';

/** What the helpers need of a tap test. */
interface TestLike { teardown(fn: () => void | Promise<void>): void; fail(message: string): unknown }

interface Started { port: MessagePort; control: SharedArrayBuffer; exited: Promise<number>; batchesArrived: () => number }

function start(t: TestLike, opts: ScanOptions, tuning: ScanStreamTuning = {}): Started {
  const { port1, port2 } = new MessageChannel();
  const control = createScanControl();
  const worker = new Worker(new URL('./scan-worker.js', import.meta.url), {
    workerData: { opts, port: port2, control, tuning }, transferList: [port2], execArgv: [],
  });
  const exited = new Promise<number>((resolve, reject) => { worker.once('exit', resolve); worker.once('error', reject); });
  let arrived = 0;
  port1.on('message', (m: { t: string }) => { if (m.t === 'batch') arrived++; });
  t.teardown(async () => { port1.close(); await worker.terminate(); });
  return { port: port1, control, exited, batchesArrived: () => arrived };
}

function options(roots: string[], rest: Partial<ScanOptions> = {}): ScanOptions {
  return { roots: roots.map((r) => Buffer.from(r)), excludes: [], excludeCaches: false, oneFileSystem: false, ...rest };
}

/** Events as plain data, atime left out (listing a directory may update it), and only the
 *  path for directories outside `base` (parallel tests change /tmp). Fails the test for
 *  any byte string that is not a Buffer. */
function plain(t: TestLike, events: ScanEvent[], base: string): unknown[] {
  const hex = (b: Buffer | null): string | null => {
    if (b !== null && !Buffer.isBuffer(b)) t.fail('a byte string arrived as something else than a Buffer');
    return b === null ? null : b.toString('hex');
  };
  return events.map((ev) => {
    if (ev.t === 'dir' || ev.t === 'entry') {
      const { name, path, target, xattrs, atime: _atime, ...rest } = ev.node;
      if (!path.toString('latin1').startsWith(base)) return { t: ev.t, path: hex(path), name: hex(name) };
      return { t: ev.t, ...rest, name: hex(name), path: hex(path), target: hex(target), xattrs: xattrs.map(([k, v]) => [hex(k), hex(v)]) };
    }
    return { ...ev, path: hex(ev.path) };
  });
}

function bigDir(t: TestLike, files: number): string {
  const tmp = tmpDir(t);
  mkdirSync(`${tmp}/big`);
  for (let i = 0; i < files; i++) writeFileSync(`${tmp}/big/f${i}`, '');
  return `${tmp}/big`;
}

// Atomics.waitAsync is in Node 20 but not in the ES2023 lib typings.
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

/** Resolves with the outstanding count once the worker is blocked on backpressure with
 *  at least `limit` batches outstanding. Slot 2 is the worker's "blocked" flag; it can
 *  still read 1 for an instant after an acknowledgement, hence the count as well. */
async function untilStalled(control: SharedArrayBuffer, limit: number): Promise<number> {
  const ctl = new Int32Array(control);
  for (;;) {
    const blocked = Atomics.load(ctl, 2);
    const outstanding = Atomics.load(ctl, 0);
    if (blocked === 1 && outstanding >= limit) return outstanding;
    if (blocked === 0) await waitAsync(ctl, 2, 0).value;
    else await waitAsync(ctl, 0, outstanding).value;
  }
}

/** A few turns of the event loop, so that messages already posted are delivered. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

t.test('the worker streams the same events as scanTree, byte strings as Buffers', async (t) => {
  const tmp = tmpDir(t);
  build(tmp, { r: { 'hex:66ff': 'x', l: { symlink: Buffer.from([0x2e, 0xfe]) }, d: { e: '', f: { g: '' } } } });
  for (let i = 0; i < 1500; i++) writeFileSync(`${tmp}/r/d/n${i}`, '');
  lsetxattr(`${tmp}/r/d/e`, Buffer.from('user.k'), Buffer.from([0xff, 0x00]));
  const opts = options([`${tmp}/r`, `${tmp}/missing`], { excludes: ['n1*'] });
  const direct = [...scanTree(opts, compileExcludes(opts.excludes))];
  const w = start(t, opts);
  const streamed: ScanEvent[] = [];
  let batches = 0;
  for await (const batch of consumeScan(w.port, w.control)) {
    batches++;
    streamed.push(...batch);
  }
  t.ok(batches > 1, `several batches (${batches})`);
  t.ok(streamed.length > 400);
  t.same(plain(t, streamed, tmp), plain(t, direct, tmp));
  t.equal(await w.exited, 0);
});

t.test('a slow consumer holds the producer to maxOutstanding batches', async (t) => {
  const dir = bigDir(t, 5000);
  const limit = 3;
  const w = start(t, options([dir]), { batchEvents: 4, maxOutstanding: limit, batchMs: 60_000 });
  const ctl = new Int32Array(w.control);
  let consumed = 0;
  let entries = 0;
  let maxOutstanding = 0;
  let maxUnacked = 0;
  let stalls = 0;
  for await (const batch of consumeScan(w.port, w.control)) {
    consumed++;
    if (consumed === 1 || consumed % 100 === 0) {
      // Stall: the producer runs ahead as far as it may and blocks at exactly the limit.
      t.equal(await untilStalled(w.control, limit), limit, `blocked with ${limit} batches outstanding (at batch ${consumed})`);
      await settle();
      stalls++;
    }
    maxOutstanding = Math.max(maxOutstanding, Atomics.load(ctl, 0));
    // Arrived but not acknowledged: everything up to and including this batch, minus the
    // consumed - 1 acknowledged before it.
    maxUnacked = Math.max(maxUnacked, w.batchesArrived() - (consumed - 1));
    entries += batch.filter((e) => e.t === 'entry').length;
  }
  t.equal(stalls, 13);
  t.equal(maxOutstanding, limit, 'the producer reached the limit and never passed it');
  t.ok(maxUnacked <= limit, `never more than ${limit} batches delivered ahead (${maxUnacked})`);
  t.equal(entries, 5000);
  t.ok(consumed >= 5000 / 4, `${consumed} batches`);
  t.equal(Atomics.load(ctl, 0), 0, 'every batch was acknowledged');
  t.equal(await w.exited, 0);
});

t.test('aborting the signal mid-scan stops the producer promptly', async (t) => {
  const dir = bigDir(t, 5000);
  const w = start(t, options([dir]), { batchEvents: 4, maxOutstanding: 3, batchMs: 60_000 });
  const ac = new AbortController();
  let events = 0;
  let error: unknown = null;
  try {
    for await (const batch of consumeScan(w.port, w.control, ac.signal)) {
      events += batch.length;
      // The producer is blocked on backpressure when the abort comes: it must wake up.
      await untilStalled(w.control, 3);
      ac.abort();
    }
  } catch (e) {
    error = e;
  }
  t.ok(error instanceof CancelledError, `CancelledError (${String(error)})`);
  t.equal(events, 4, 'nothing is yielded after the abort');
  t.equal(await w.exited, 0, 'the worker finished');
  t.ok(w.batchesArrived() <= 4, `the producer stopped at once (${w.batchesArrived()} batches posted)`);
});

t.test('an already aborted signal cancels before any batch is yielded', async (t) => {
  const dir = bigDir(t, 100);
  const w = start(t, options([dir]), { batchEvents: 4 });
  let yielded = 0;
  await t.rejects(async () => {
    for await (const _ of consumeScan(w.port, w.control, AbortSignal.abort())) yielded++;
  }, CancelledError);
  t.equal(yielded, 0);
  t.equal(await w.exited, 0);
});

t.test('leaving the loop early stops the worker and waits for it', async (t) => {
  const dir = bigDir(t, 2000);
  const w = start(t, options([dir]), { batchEvents: 4, maxOutstanding: 2 });
  let seen = 0;
  for await (const batch of consumeScan(w.port, w.control)) {
    seen += batch.length;
    if (seen >= 8) break;
  }
  t.equal(new Int32Array(w.control)[1], 1, 'the abort flag is set');
  t.equal(await w.exited, 0);
  t.ok(w.batchesArrived() < 10, 'the producer did not run on');
});

t.test('a scan that fails rethrows its CairnError on the main side', async (t) => {
  const w = start(t, options(['relative/root']));
  await t.rejects(async () => {
    for await (const _ of consumeScan(w.port, w.control)) t.fail('no batch expected');
  }, { name: 'CairnError', code: 'invalid_params' });
  const w2 = start(t, options(['/tmp'], { excludes: ['a['] }));
  await t.rejects(async () => {
    for await (const _ of consumeScan(w2.port, w2.control)) t.fail('no batch expected');
  }, { name: 'CairnError', code: 'invalid_params', params: { excludes: { code: 'invalid_argument' } } });
  t.equal(await w.exited, 0);
  t.equal(await w2.exited, 0);
});
