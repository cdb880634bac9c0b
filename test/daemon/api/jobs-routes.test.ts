// The jobs routes and runAsJob over a real socket: waiting and ?async=true answers,
// failure and cancel statuses, wait timeouts, and the SSE stream parsed event by event.
import t from 'tap';
import { request } from 'node:http';
import { runAsJob, type Handlers } from '../../../daemon/api/index.js';
import { CairnError, CancelledError } from '../../../daemon/errors.js';
import type { JobContext } from '../../../daemon/jobs/index.js';
import type { Job } from '../../../shared/schemas/index.js';
import { curl, listenTestApi, makeTestApi } from '../../helpers/daemon.js';
import { readSse } from '../../helpers/daemon.js';

interface Control { ctx: JobContext; finish(v: unknown): void }

/** A maintenance route whose job does what its first operation says; `rebuild_cache`
 *  hands its context to the test and waits (until finished or cancelled). */
function handlers(onStarted: (c: Control) => void): Handlers {
  return {
    'repository.maintenance': async (request, reply) => {
      const op = request.body.operations[0];
      return runAsJob(request, reply, {
        kind: 'maintenance', params: request.body, repository: request.query.repository ?? 'main',
        run: async (ctx) => {
          if (op === 'verify_integrity') throw new CairnError('unprocessable', 'pack is damaged', { object: 'packs/ab/ab12' });
          if (op === 'cleanup') return { cleaned_objects: 2, reclaimed_space: 10, errors: [] };
          return new Promise((resolve, reject) => {
            ctx.signal.addEventListener('abort', () => reject(new CancelledError()));
            onStarted({ ctx, finish: resolve });
          });
        },
      });
    },
  };
}

async function setup(t: { teardown(fn: () => void | Promise<void>): void }) {
  let next: ((c: Control) => void) | null = null;
  const started = (): Promise<Control> => new Promise((r) => { next = r; });
  const ta = await makeTestApi(t, { handlers: handlers((c) => next?.(c)), keepAliveMs: 5 });
  const l = await listenTestApi(t, ta);
  const call = (method: string, path: string, body?: unknown) => curl([
    '--unix-socket', l.socketPath, '-X', method, ...(body !== undefined ? ['-H', 'Content-Type: application/json', '--data-binary', JSON.stringify(body)] : []),
    `http://cairn${path}`,
  ]).then((r) => ({ ...r, json: JSON.parse(r.body) as Record<string, any> }));
  return { ta, l, call, started };
}

t.test('waiting requests answer the result, or the job\'s error status with params.job_id', async (t) => {
  const { call } = await setup(t);
  const ok = await call('POST', '/api/repository/maintenance', { operations: ['cleanup'] });
  t.equal(ok.status, 200);
  t.same(ok.json, { cleaned_objects: 2, reclaimed_space: 10, errors: [] });
  const failed = await call('POST', '/api/repository/maintenance', { operations: ['verify_integrity'] });
  t.equal(failed.status, 422);
  t.equal(failed.json.error.code, 'unprocessable');
  t.equal(failed.json.error.message, 'pack is damaged');
  t.equal(failed.json.error.params.object, 'packs/ab/ab12');
  const job = (await call('GET', `/api/jobs/${failed.json.error.params.job_id}`)).json;
  t.equal(job.status, 'failed');
  t.same(job.error, { code: 'unprocessable', message: 'pack is damaged', params: { object: 'packs/ab/ab12' } });
  t.same(job.params, { operations: ['verify_integrity'] });
  const bad = await call('POST', '/api/repository/maintenance?async=true', { operations: [] });
  t.equal(bad.status, 400, 'input is checked before any job exists, even with async');
  t.equal((await call('GET', '/api/jobs')).json.total, 2);
});

t.test('async: 202 {job}; wait with a timeout; stream progress, log and end; cancel', async (t) => {
  const { call, l, started } = await setup(t);
  const running = started();
  const accepted = await call('POST', '/api/repository/maintenance?async=true&repository=second', { operations: ['rebuild_cache'] });
  t.equal(accepted.status, 202);
  const job = accepted.json.job as Job;
  t.match(job, { kind: 'maintenance', repository: 'second', trigger: 'api', params: { operations: ['rebuild_cache'] } });
  const control = await running;

  const waited = await call('GET', `/api/jobs/${job.id}/wait?timeout=0`);
  t.equal(waited.status, 200);
  t.equal(waited.json.status, 'running', 'on timeout the job as it stands');

  let sawKeepAlive!: () => void;
  const keepAlive = new Promise<void>((r) => { sawKeepAlive = r; });
  const stream = readSse(l.socketPath, `/api/jobs/${job.id}/stream`, (e) => {
    if (e.event === 'progress' && (e.data as Job).progress.stage === null) {
      // The first event is the job as it stands; then the job reports.
      control.ctx.onProgress({ stage: 'rebuild', files_done: 1, files_total: 4 });
      control.ctx.log('info', 'read 1 trailer');
    }
    if (e.event === 'log' && (e.data as { message: string }).message === 'read 1 trailer') void keepAlive.then(() => call('POST', `/api/jobs/${job.id}/cancel`));
  }, (c) => { if (c === 'keep-alive') sawKeepAlive(); });
  const s = await stream;
  t.equal(s.status, 200);
  t.match(s.contentType, /^text\/event-stream/);
  t.same(s.events.map((e) => e.event), ['progress', 'progress', 'log', 'log', 'end'], 'the stream ends after end');
  t.match(s.events[1]!.data, { progress: { stage: 'rebuild', percent: 25 } });
  t.match(s.events[2]!.data, { level: 'info', message: 'read 1 trailer' });
  t.match(s.events[3]!.data, { level: 'info', message: 'cancel requested' });
  t.match(s.events[4]!.data, { id: job.id, status: 'canceled' });
  t.ok(s.comments.includes('keep-alive'));

  const after = await call('GET', `/api/jobs/${job.id}`);
  t.equal(after.json.status, 'canceled');
  const again = await call('POST', `/api/jobs/${job.id}/cancel`);
  t.equal(again.status, 409);
  t.equal(again.json.error.code, 'conflict');
  const replay = await readSse(l.socketPath, `/api/jobs/${job.id}/stream`);
  t.same(replay.events.map((e) => e.event), ['progress', 'end'], 'an ended job streams its state and ends');
  const missing = await call('GET', '/api/jobs/none/stream');
  t.equal(missing.status, 404);
  t.equal(missing.json.error.code, 'not-found');
});

t.test('a waiting request whose job is cancelled answers 409; a disconnect does not cancel', async (t) => {
  const { call, l, ta, started } = await setup(t);
  let running = started();
  const waiting = call('POST', '/api/repository/maintenance', { operations: ['rebuild_cache'] });
  await running;
  const id = ta.jobs.list({ status: 'running' }).items[0]!.id;
  await call('POST', `/api/jobs/${id}/cancel`);
  const r = await waiting;
  t.equal(r.status, 409);
  t.same(r.json.error, { code: 'conflict', message: 'the job was cancelled', params: { job_id: id } });

  running = started();
  const req = request({ socketPath: l.socketPath, path: '/api/repository/maintenance', method: 'POST', headers: { 'content-type': 'application/json' } });
  req.on('error', () => {});
  req.end(JSON.stringify({ operations: ['rebuild_cache'] }));
  const control = await running;
  req.destroy();
  const [job] = ta.jobs.list({ status: 'running' }).items;
  t.ok(job, 'still running after the client left');
  control.finish({ cleaned_objects: 0, reclaimed_space: 0, errors: [] });
  const done = await call('GET', `/api/jobs/${job!.id}/wait?timeout=60`);
  t.equal(done.json.status, 'success');
  t.same(done.json.result, { cleaned_objects: 0, reclaimed_space: 0, errors: [] });
});
