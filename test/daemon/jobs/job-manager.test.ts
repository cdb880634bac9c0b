// daemon/jobs/job-manager.ts: states, outcomes, cancel, wait, throttled progress,
// admission, persistence across a restart, bounded logs and history. Fake clock only.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnError, CancelledError } from '../../../daemon/errors.js';
import { EventBus } from '../../../daemon/events.js';
import { JobManager, STOPPED_MESSAGE, type JobContext, type JobManagerOptions } from '../../../daemon/jobs/index.js';
import type { Job, JobStreamEvent } from '../../../shared/schemas/index.js';
import { FakeClock } from '../../helpers/daemon.js';
import { tmpDir } from '../../helpers/tmp.js';

interface Gate<T = unknown> { promise: Promise<T>; open(v: T): void; fail(e: unknown): void }
function gate<T = unknown>(): Gate<T> {
  let open!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { open = res; fail = rej; });
  return { promise, open, fail };
}
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

interface T { teardown(fn: () => void | Promise<void>): void }

async function manager(t: T, opts: Partial<JobManagerOptions> = {}) {
  const clock = new FakeClock();
  const dir = opts.dir ?? join(tmpDir(t), 'jobs');
  const events = new EventBus();
  const jobs = await JobManager.open({ dir, clock, events, ...opts });
  t.teardown(() => jobs.close());
  return { jobs, clock, dir, events };
}

t.test('a job goes pending → running → success, with events and its result', async (t) => {
  const { jobs, events } = await manager(t);
  const seen: string[] = [];
  events.on('job.created', (j) => seen.push(`created:${j.status}`));
  events.on('job.progress', (j) => seen.push(`progress:${j.status}`));
  events.on('job.finished', (j) => seen.push(`finished:${j.status}`));
  const g = gate<{ n: number }>();
  let ctxSeen: JobContext | null = null;
  const job = jobs.start({ kind: 'check', params: { read_data: false }, repository: 'main' }, (ctx) => {
    ctxSeen = ctx;
    return g.promise;
  });
  t.equal(job.status, 'running', 'admitted at once');
  t.equal(ctxSeen, null, 'but run begins on a later tick');
  await tick();
  t.equal(jobs.get(job.id).status, 'running');
  t.ok(jobs.get(job.id).started_at);
  g.open({ n: 7 });
  const done = await jobs.wait(job.id, Infinity);
  t.equal(done.status, 'success');
  t.same(done.result, { n: 7 });
  t.equal(done.error, null);
  t.equal(done.progress.percent, 100);
  t.ok(done.ended_at);
  t.same(done.params, { read_data: false });
  t.equal(done.repository, 'main');
  t.equal(done.trigger, 'api');
  t.same(seen, ['created:pending', 'progress:running', 'finished:success']);
});

t.test('failures: a CairnError is kept, anything else is a generic internal error', async (t) => {
  const { jobs } = await manager(t);
  const a = jobs.start({ kind: 'check', params: {}, repository: null }, async () => {
    throw new CairnError('unprocessable', 'wrong passphrase', { passphrase: { code: 'invalid_argument', message: 'x' } });
  });
  const b = jobs.start({ kind: 'check', params: {}, repository: null }, async () => {
    throw new Error('secret /etc/path in a stack');
  });
  const ja = await jobs.wait(a.id, Infinity);
  const jb = await jobs.wait(b.id, Infinity);
  t.equal(ja.status, 'failed');
  t.same(ja.error, { code: 'unprocessable', message: 'wrong passphrase', params: { passphrase: { code: 'invalid_argument', message: 'x' } } });
  t.equal(jb.status, 'failed');
  t.same(jb.error, { code: 'internal-error', message: 'internal error', params: {} });
});

t.test('cancel: running jobs end canceled whether run rejects or resolves after abort', async (t) => {
  const { jobs } = await manager(t);
  const rejecting = jobs.start({ kind: 'restore', params: {}, repository: null }, (ctx) => new Promise((_, reject) => {
    ctx.signal.addEventListener('abort', () => reject(new CancelledError()));
  }));
  const resolving = jobs.start({ kind: 'restore', params: {}, repository: null }, (ctx) => new Promise((resolve) => {
    ctx.signal.addEventListener('abort', () => resolve({ partial: true }));
  }));
  await tick();
  t.equal(jobs.cancel(rejecting.id).status, 'running', 'cancel answers at once');
  jobs.cancel(resolving.id);
  const a = await jobs.wait(rejecting.id, Infinity);
  const b = await jobs.wait(resolving.id, Infinity);
  t.equal(a.status, 'canceled');
  t.equal(b.status, 'canceled');
  t.equal(b.result, null, 'a result after abort is discarded');
  t.throws(() => jobs.cancel(a.id), { code: 'conflict' }, 'an ended job cannot be cancelled');
  t.throws(() => jobs.cancel('nope'), { code: 'not-found' });
  const logs = await jobs.logs(a.id);
  t.match(logs, [{ level: 'info', message: 'cancel requested' }]);
});

t.test('cancel: a pending job never runs', async (t) => {
  const { jobs } = await manager(t, { limits: { prune: 1 } });
  const g = gate();
  const first = jobs.start({ kind: 'prune', params: {}, repository: 'r' }, () => g.promise);
  let ran = false;
  const second = jobs.start({ kind: 'prune', params: {}, repository: 'r' }, async () => { ran = true; });
  await tick();
  t.equal(jobs.get(second.id).status, 'pending');
  t.equal(jobs.cancel(second.id).status, 'canceled');
  g.open(null);
  await jobs.wait(first.id, Infinity);
  await tick();
  t.equal(ran, false);
  t.equal(jobs.get(second.id).status, 'canceled');
});

t.test('wait: times out on the injected clock with the job as it stands', async (t) => {
  const { jobs, clock } = await manager(t);
  const g = gate();
  const job = jobs.start({ kind: 'check', params: {}, repository: null }, () => g.promise);
  await tick();
  let settled: Job | null = null;
  const w = jobs.wait(job.id, 30_000).then((j) => { settled = j; });
  clock.advance(29_999);
  await tick();
  t.equal(settled, null, 'not before the timeout');
  clock.advance(1);
  await w;
  t.equal((settled as Job | null)?.status, 'running');
  t.equal(clock.pendingTimers, 0);
  g.open(1);
  await t.rejects(jobs.wait('missing', 1), { code: 'not-found' });
});

t.test('progress: at most one update per interval, merged, with percent, rate and eta', async (t) => {
  const { jobs, clock } = await manager(t, { progressIntervalMs: 250 });
  const g = gate();
  let ctx!: JobContext;
  const job = jobs.start({ kind: 'backup', params: { source: '/a' }, repository: 'r' }, (c) => { ctx = c; return g.promise; });
  await tick();
  const got: JobStreamEvent[] = [];
  jobs.subscribe(job.id, (e) => got.push(e));
  clock.advance(1000);
  ctx.onProgress({ stage: 'scan', files_total: 10, bytes_total: 1000 });
  t.equal(got.length, 1, 'the first update goes out at once');
  ctx.onProgress({ files_done: 2, bytes_done: 100 });
  ctx.onProgress({ files_done: 5, bytes_done: 500, stage: 'read' });
  clock.advance(100);
  t.equal(got.length, 1, 'nothing more inside the interval');
  clock.advance(150);
  t.equal(got.length, 2, 'one merged update when the interval ends');
  const p = (got[1]!.data as Job).progress;
  t.same(p, { stage: 'read', percent: 50, files_done: 5, files_total: 10, bytes_done: 500, bytes_total: 1000, rate_bps: 400, eta_s: 1 });
  ctx.log('info', 'hello');
  t.match(got[2], { event: 'log', data: { level: 'info', message: 'hello' } });
  ctx.onProgress({ bytes_done: 900 });
  g.open('ok');
  await jobs.wait(job.id, Infinity);
  const end = got[got.length - 1]!;
  t.equal(end.event, 'end');
  t.equal((end.data as Job).progress.bytes_done, 900, 'an unpublished update is folded into the end');
  t.equal(clock.pendingTimers, 0, 'no timer left behind');
});

t.test('admission: max_backups per repository; same sources wait; others run', async (t) => {
  const { jobs } = await manager(t, { maxBackups: 2 });
  const gates = [gate(), gate(), gate(), gate()];
  const a = jobs.start({ kind: 'backup', params: { source: ['/b', '/a'] }, repository: 'r' }, () => gates[0]!.promise);
  const b = jobs.start({ kind: 'backup', params: { source: ['/a', '/b'] }, repository: 'r' }, () => gates[1]!.promise);
  const c = jobs.start({ kind: 'backup', params: { source: '/c' }, repository: 'r' }, () => gates[2]!.promise);
  const d = jobs.start({ kind: 'backup', params: { source: '/d' }, repository: 'r' }, () => gates[3]!.promise);
  const other = jobs.start({ kind: 'backup', params: { source: '/a' }, repository: 'other' }, async () => 1);
  await tick();
  const st = (): string[] => [a, b, c, d].map((j) => jobs.get(j.id).status);
  t.same(st(), ['running', 'pending', 'running', 'pending'], 'b waits for a (same sources); d for a slot');
  t.equal((await jobs.wait(other.id, Infinity)).status, 'success', 'another repository is not limited by r');
  gates[2]!.open(null);
  await jobs.wait(c.id, Infinity);
  await tick();
  t.same(st(), ['running', 'pending', 'success', 'running'], 'the freed slot goes to d, not to b');
  gates[0]!.open(null);
  await jobs.wait(a.id, Infinity);
  await tick();
  t.same(st(), ['success', 'running', 'success', 'running']);
  gates[1]!.open(null);
  gates[3]!.open(null);
  await jobs.wait(b.id, Infinity);
  await jobs.wait(d.id, Infinity);
});

t.test('list and history: newest first, filtered, paged', async (t) => {
  const { jobs, clock } = await manager(t);
  const ids: string[] = [];
  for (const kind of ['check', 'restore', 'check'] as const) {
    const j = jobs.start({ kind, params: {}, repository: null }, async () => null);
    ids.push(j.id);
    await jobs.wait(j.id, Infinity);
    clock.advance(1000);
  }
  const g = gate();
  const running = jobs.start({ kind: 'check', params: {}, repository: null }, () => g.promise);
  await tick();
  t.same(jobs.list().items.map((j) => j.id), [running.id, ids[2], ids[1], ids[0]]);
  t.same(jobs.list({ kind: 'check', status: 'success' }).items.map((j) => j.id), [ids[2], ids[0]]);
  const page = jobs.list({ limit: 1, offset: 1 });
  t.equal(page.total, 4);
  t.same(page.items.map((j) => j.id), [ids[2]]);
  t.same(jobs.history().items.map((j) => j.id), [ids[2], ids[1], ids[0]]);
  g.open(null);
});

t.test('persistence: a restart keeps finished jobs and fails interrupted ones', async (t) => {
  const dir = join(tmpDir(t), 'jobs');
  const first = await manager(t, { dir });
  const done = first.jobs.start({ kind: 'check', params: { x: 1 }, repository: 'r' }, async (ctx) => {
    ctx.log('info', 'checked 3 packs');
    return { status: 'success' };
  });
  await first.jobs.wait(done.id, Infinity);
  const never = (ctx: JobContext): Promise<never> => new Promise((_, reject) => {
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
  });
  const stuck = first.jobs.start({ kind: 'backup', params: { source: '/a' }, repository: 'r' }, never);
  const queued = first.jobs.start({ kind: 'backup', params: { source: '/a' }, repository: 'r' }, never);
  await tick();
  await first.jobs.flush();
  const onDisk = JSON.parse(readFileSync(join(dir, `${stuck.id}.json`), 'utf8')) as Job;
  t.equal(onDisk.status, 'running', 'state changes are written as they happen');
  t.notOk(readdirSync(dir).some((n) => n.includes('.tmp-')), 'no temporary files left');

  // A second manager over the same directory is the daemon after a crash.
  const second = await manager(t, { dir });
  const s = second.jobs.get(stuck.id);
  const q = second.jobs.get(queued.id);
  for (const j of [s, q]) {
    t.equal(j.status, 'failed');
    t.same(j.error, { code: 'internal-error', message: STOPPED_MESSAGE, params: {} });
    t.ok(j.ended_at);
  }
  const d = second.jobs.get(done.id);
  t.equal(d.status, 'success');
  t.same(d.result, { status: 'success' });
  t.same(d.params, { x: 1 });
  t.match(await second.jobs.logs(done.id), [{ level: 'info', message: 'checked 3 packs' }]);
  await second.jobs.flush();
  t.equal((JSON.parse(readFileSync(join(dir, `${stuck.id}.json`), 'utf8')) as Job).status, 'failed', 'rewritten on disk');
});

t.test('bounded: log lines per job and finished jobs kept', async (t) => {
  const { jobs, dir } = await manager(t, { logLines: 3, historyLimit: 2 });
  const first = jobs.start({ kind: 'check', params: {}, repository: null }, async (ctx) => {
    for (let i = 0; i < 6; i++) ctx.log('debug', `line ${i}`);
  });
  await jobs.wait(first.id, Infinity);
  const logs = await jobs.logs(first.id);
  t.same(logs.map((l) => l.message), ['line 0', 'line 1', 'line 2', 'log truncated after 3 lines']);
  for (let i = 0; i < 2; i++) {
    const j = jobs.start({ kind: 'check', params: {}, repository: null }, async () => i);
    await jobs.wait(j.id, Infinity);
  }
  await jobs.flush();
  t.equal(jobs.list().total, 2, 'the oldest finished job was dropped');
  t.throws(() => jobs.get(first.id), { code: 'not-found' });
  t.notOk(existsSync(join(dir, `${first.id}.json`)));
  t.notOk(existsSync(join(dir, `${first.id}.log`)));
});

t.test('close cancels running and pending jobs and refuses new ones', async (t) => {
  const { jobs } = await manager(t, { limits: { prune: 1 } });
  const a = jobs.start({ kind: 'prune', params: {}, repository: 'r' }, (ctx) => new Promise((_, reject) => {
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
  }));
  const b = jobs.start({ kind: 'prune', params: {}, repository: 'r' }, async () => null);
  await tick();
  await jobs.close();
  t.equal(jobs.get(a.id).status, 'canceled');
  t.equal(jobs.get(b.id).status, 'canceled');
  t.throws(() => jobs.start({ kind: 'check', params: {}, repository: null }, async () => null), { code: 'unavailable' });
});
