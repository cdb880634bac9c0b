// /api/events, retry, logs and history over a real socket (createApi in-process, a job
// route whose jobs the test controls): the event stream's events and keep-alive, a slow
// reader cut off instead of buffered, a retry that replays the route's handler with the
// stored input (409 while the job runs, 409 without a replay, the handler's own 4xx),
// logs and history with their filters.
import t from 'tap';
import { connect } from 'node:net';
import { request } from 'node:http';
import { join } from 'node:path';
import { Access } from '../../../daemon/access/index.js';
import { createApi, eventHandlers, jobHandlers, runAsJob, type Handlers } from '../../../daemon/api/index.js';
import { DEFAULTS } from '../../../daemon/config/index.js';
import { CairnError } from '../../../daemon/errors.js';
import { EventBus } from '../../../daemon/events.js';
import { JobManager, type JobContext } from '../../../daemon/jobs/index.js';
import type { Job } from '../../../shared/schemas/index.js';
import { curl } from '../../helpers/daemon.js';
import { sseParser } from '../../helpers/sse.js';
import { tmpDir } from '../../helpers/tmp.js';

interface T { teardown(fn: () => void | Promise<void>): void }

/** The maintenance route as a controllable job: `cleanup` ends at once; `rebuild_cache`
 *  waits for the test; with `refuse` set the handler rejects its input (400). */
function maintenance(state: { calls: number; refuse: boolean; held: Array<(v: unknown) => void>; ctx: JobContext[] }): Handlers {
  return {
    'repository.maintenance': async (request, reply) => {
      state.calls++;
      if (state.refuse) throw new CairnError('invalid_params', 'no longer valid', { operations: { code: 'invalid_argument', message: 'x' } });
      const op = request.body.operations[0];
      return runAsJob(request, reply, {
        kind: 'maintenance', params: { operations: request.body.operations }, repository: request.query.repository ?? 'main',
        run: async (ctx) => {
          state.ctx.push(ctx);
          ctx.log('info', `running ${op}`);
          if (op === 'cleanup') return { cleaned_objects: 1, reclaimed_space: 2, errors: [] };
          return new Promise((resolve) => state.held.push(resolve));
        },
      });
    },
  };
}

async function setup(t: T, sse: { keepAliveMs?: number; maxBufferedBytes?: number } = {}) {
  const stateDir = tmpDir(t, 'cairn-events-');
  const events = new EventBus();
  const jobs = await JobManager.open({ dir: join(stateDir, 'jobs'), events, progressIntervalMs: 0 });
  const access = await Access.open({ stateDir });
  const state = { calls: 0, refuse: false, held: [] as Array<(v: unknown) => void>, ctx: [] as JobContext[] };
  const api = createApi({
    access, jobs, version: '0.0.0-test', http: { ...DEFAULTS.http },
    handlers: { ...jobHandlers(jobs), ...eventHandlers({ events, jobs, ...sse }), ...maintenance(state) },
  });
  const l = await api.listen({ socket: { path: join(stateDir, 'cairn.sock'), mode: 0o600, group: null }, tcp: null });
  t.teardown(async () => {
    await l.close();
    for (const release of state.held) release({ cleaned_objects: 0, reclaimed_space: 0, errors: [] });
    await jobs.close();
    await api.app.close();
  });
  const socketPath = l.socketPath!;
  const call = (method: string, path: string, body?: unknown) => curl([
    '--unix-socket', socketPath, '-X', method, ...(body !== undefined ? ['-H', 'Content-Type: application/json', '--data-binary', JSON.stringify(body)] : []),
    `http://cairn${path}`,
  ]).then((r) => ({ ...r, json: JSON.parse(r.body || 'null') as Record<string, any> }));
  return { events, jobs, state, socketPath, call };
}

interface Sse { event: string; data: any }

/** Reads /api/events until `done` says enough, then hangs up. */
function follow(socketPath: string, done: (seen: Sse[], comments: string[]) => boolean, onOpen: () => void): Promise<{ events: Sse[]; comments: string[] }> {
  return new Promise((resolve, reject) => {
    const events: Sse[] = [];
    const comments: string[] = [];
    const req = request({ socketPath, path: '/api/events', method: 'GET' }, (res) => {
      res.setEncoding('utf8');
      onOpen();
      res.on('data', sseParser((f) => {
        comments.push(...f.comments);
        if (f.event) events.push({ event: f.event, data: JSON.parse(f.data ?? '') });
        if (done(events, comments)) {
          req.destroy();
          resolve({ events, comments });
        }
      }));
      res.on('error', () => {});
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('/api/events: job and snapshot events as they happen, and keep-alives', async (t) => {
  const { events, socketPath, call } = await setup(t, { keepAliveMs: 20 });
  const seen = await follow(socketPath, (e, c) => e.some((x) => x.event === 'snapshot.removed') && c.includes('keep-alive'), () => {
    void (async () => {
      const r = await call('POST', '/api/repository/maintenance', { operations: ['cleanup'] });
      t.equal(r.status, 200);
      events.emit('snapshot.created', { repository: 'main', snapshot_id: 'a'.repeat(64), job_id: null, reason: 'backup' });
      events.emit('snapshot.removed', { repository: 'main', snapshot_ids: ['a'.repeat(64)], job_id: 'j', created_by: [null] });
    })();
  });
  const names = seen.events.map((e) => e.event);
  t.same(names.slice(0, 2), ['job.created', 'job.progress'], 'created, then running');
  t.ok(names.indexOf('job.finished') > names.indexOf('job.created'));
  const finished = seen.events.find((e) => e.event === 'job.finished')!.data as Job;
  t.match(finished, { kind: 'maintenance', status: 'success', result: { cleaned_objects: 1 } });
  t.same(seen.events.find((e) => e.event === 'snapshot.created')!.data, { repository: 'main', snapshot_id: 'a'.repeat(64), job_id: null, reason: 'backup' });
  t.same(seen.events.find((e) => e.event === 'snapshot.removed')!.data, { repository: 'main', snapshot_ids: ['a'.repeat(64)], job_id: 'j' },
    'the creators of removed snapshots stay inside the daemon');
  t.ok(seen.comments.includes('keep-alive'));
});

t.test('/api/events: a reader that does not keep up is cut off, and unsubscribed', async (t) => {
  const { events, socketPath } = await setup(t, { maxBufferedBytes: 256 * 1024 });
  const before = events.listenerCount('snapshot.removed');
  const sock = connect(socketPath);
  let got = 0;
  const headers = new Promise<void>((resolve) => {
    sock.once('data', (b: Buffer) => {
      got += b.length;
      sock.pause(); // read nothing more
      resolve();
    });
  });
  const closed = new Promise<void>((resolve) => sock.on('close', () => resolve()));
  sock.write('GET /api/events HTTP/1.1\r\nHost: cairn\r\n\r\n');
  await headers;
  t.equal(events.listenerCount('snapshot.removed'), before + 1, 'subscribed');
  const ids = Array.from({ length: 1000 }, (_, i) => String(i).padStart(64, '0'));
  let sent = 0;
  // Each event is ~66 KB; far more than the cap and the socket buffers together.
  while (events.listenerCount('snapshot.removed') > before && sent < 2000) {
    events.emit('snapshot.removed', { repository: 'main', snapshot_ids: ids, job_id: null, created_by: ids.map(() => null) });
    sent++;
  }
  t.ok(sent < 2000, `cut off after ${sent} events`);
  t.equal(events.listenerCount('snapshot.removed'), before, 'its listeners are gone');
  sock.resume();
  sock.on('data', (b: Buffer) => { got += b.length; });
  await closed;
  t.ok(got < sent * 66_000, 'the reader got only part of what was sent');
});

t.test('retry: a new job from the same request; 409 while it runs or without a replay; the handler\'s 4xx', async (t) => {
  const { jobs, state, call } = await setup(t);
  const first = await call('POST', '/api/repository/maintenance?async=true&repository=second', { operations: ['rebuild_cache'] });
  t.equal(first.status, 202);
  const id = first.json.job.id as string;
  while (state.held.length === 0) await new Promise((r) => setImmediate(r));
  const busy = await call('POST', `/api/jobs/${id}/retry`);
  t.equal(busy.status, 409, 'a running job cannot be retried');
  t.equal(busy.json.error.code, 'conflict');
  state.held.shift()!({ cleaned_objects: 0, reclaimed_space: 0, errors: [] });
  await call('GET', `/api/jobs/${id}/wait?timeout=60`);

  const again = await call('POST', `/api/jobs/${id}/retry`);
  t.equal(again.status, 202, 'retried');
  const job = again.json.job as Job;
  t.not(job.id, id);
  t.match(job, { kind: 'maintenance', trigger: 'retry', repository: 'second', params: { operations: ['rebuild_cache'] } });
  t.equal(state.calls, 2, 'the route\'s handler ran again');
  while (state.held.length === 0) await new Promise((r) => setImmediate(r));
  state.held.shift()!({ cleaned_objects: 0, reclaimed_space: 0, errors: [] });
  const ended = await call('GET', `/api/jobs/${job.id}/wait?timeout=60`);
  t.equal(ended.json.status, 'success');
  const twice = await call('POST', `/api/jobs/${job.id}/retry`);
  t.equal(twice.status, 202, 'a retry can be retried');
  t.equal(twice.json.job.trigger, 'retry');
  while (state.held.length === 0) await new Promise((r) => setImmediate(r));
  state.held.shift()!({ cleaned_objects: 0, reclaimed_space: 0, errors: [] });
  await call('GET', `/api/jobs/${twice.json.job.id}/wait?timeout=60`);

  state.refuse = true;
  const refused = await call('POST', `/api/jobs/${id}/retry`);
  t.equal(refused.status, 400, 'the input is checked again');
  t.equal(refused.json.error.code, 'invalid_params');

  const direct = jobs.start({ kind: 'check', params: {}, repository: null }, async () => ({}));
  await jobs.wait(direct.id, Infinity);
  const noReplay = await call('POST', `/api/jobs/${direct.id}/retry`);
  t.equal(noReplay.status, 409, 'a job not started by a request cannot be retried');
  const unknown = await call('POST', '/api/jobs/nope/retry');
  t.equal(unknown.status, 404);
});

t.test('logs and history', async (t) => {
  const { call } = await setup(t);
  const a = await call('POST', '/api/repository/maintenance', { operations: ['cleanup'] });
  t.equal(a.status, 200);
  const list = await call('GET', '/api/history');
  t.equal(list.status, 200);
  t.equal(list.json.total, 1);
  const id = list.json.items[0].id as string;
  const logs = await call('GET', `/api/jobs/${id}/logs`);
  t.equal(logs.status, 200);
  t.match(logs.json, { items: [{ level: 'info', message: 'running cleanup' }] });
  t.match(logs.json.items[0].ts, /^\d{4}-\d\d-\d\dT/);
  t.equal((await call('GET', '/api/jobs/nope/logs')).status, 404);

  await call('POST', '/api/repository/maintenance', { operations: ['cleanup'] });
  const page = await call('GET', '/api/history?limit=1&offset=1&status=success&kind=maintenance');
  t.equal(page.json.total, 2);
  t.same(page.json.items.map((j: Job) => j.id), [id], 'oldest last: the second page holds the first job');
  const bad = await call('GET', '/api/history?status=running');
  t.equal(bad.status, 400, 'history holds ended jobs only');
  t.equal(bad.json.error.code, 'invalid_params');
});
