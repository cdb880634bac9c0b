// Jobs through cairnd (API.md "Jobs", issue 4 "What to build" 3): a job running when the
// daemon is SIGKILLed shows `failed` with a reason after the restart and can be retried;
// logs and history survive restarts; a client that disconnects does not cancel its job.
// Plus the CLI: jobs logs|retry|wait, history. (Events and the appender's view are in
// events-api.test.ts.)
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { BackupResult, Job, JobAccepted, JobList, JobLogs, SnapshotList } from '../../shared/schemas/index.js';
import { cairn, startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { get, isError, post } from './api.js';
import { followEvents, smallSource } from './events-client.js';

const STOPPED = 'daemon stopped while the job was running';

t.test('killed with the daemon: failed with a reason, retried; logs and history survive restarts; the CLI', async (t) => {
  const work = tmpDir(t);
  const dir = join(work, 'd');
  const src = smallSource(work);
  let d = await startCairnd(t, { dir, env: { CAIRN_TEST_CRASH: 'pack-committed:1' } });
  const started = await post<JobAccepted>(d, '/api/snapshots/create?async=true', { source: src, tags: ['t1'] });
  t.equal(started.status, 202, started.text);
  const killed = started.json.job.id;
  await d.exited;
  t.match(d.stderr, /test crash at/);

  d = await startCairnd(t, { dir });
  const dead = await get<Job>(d, `/api/jobs/${killed}`);
  t.equal(dead.status, 200);
  t.equal(dead.json.status, 'failed', 'the job that was running is failed');
  t.same(dead.json.error, { code: 'internal-error', message: STOPPED, params: {} }, 'with the reason');
  t.ok(dead.json.ended_at);

  const retried = await post<JobAccepted>(d, `/api/jobs/${killed}/retry`, {});
  t.equal(retried.status, 202, retried.text);
  const r = retried.json.job;
  t.not(r.id, killed);
  t.match(r, { kind: 'backup', trigger: 'retry', repository: 'repo', params: { source: [src], tags: ['t1'] } });
  const done = await get<Job>(d, `/api/jobs/${r.id}/wait?timeout=120`);
  t.equal(done.json.status, 'success', done.text.slice(0, 500));
  const snap = (done.json.result as BackupResult).snapshot_id;
  t.same((await get<SnapshotList>(d, '/api/repository/snapshots')).json.items.map((s) => s.id), [snap], 'the retry made the snapshot');
  isError(t, await post(d, '/api/jobs/nope/retry', {}), 404, 'not-found', 'retry of an unknown job');

  const m = await post(d, '/api/repository/maintenance', { operations: ['cleanup'] });
  t.equal(m.status, 200, m.text);
  const hist = await get<JobList>(d, '/api/history');
  t.same(hist.json.items.map((j) => j.kind), ['maintenance', 'backup', 'backup'], 'history: most recently ended first');
  const maint = hist.json.items[0]!.id;
  t.same((await get<JobList>(d, '/api/history?status=failed')).json.items.map((j) => j.id), [killed]);
  t.same((await get<JobList>(d, '/api/history?limit=1&offset=2')).json.items.map((j) => j.id), [killed], 'paged');
  const logs = await get<JobLogs>(d, `/api/jobs/${maint}/logs`);
  t.match(logs.json.items, [{ level: 'info', message: /^cleanup: 0 temporary file/ }]);

  await d.stop();
  d = await startCairnd(t, { dir });
  t.same((await get<JobLogs>(d, `/api/jobs/${maint}/logs`)).json, logs.json, 'the log survived the restart');
  t.same((await get<JobList>(d, '/api/history')).json.items.map((j) => j.id), hist.json.items.map((j) => j.id), 'so did the history');

  // The CLI.
  const cliLogs = await cairn(d, ['jobs', 'logs', maint]);
  t.equal(cliLogs.code, 0, cliLogs.stderr);
  t.match(cliLogs.stdout, /\d\d:\d\d:\d\d {2}info {3}cleanup: 0 temporary file/);
  const cliHist = await cairn(d, ['history', '--json']);
  t.same((JSON.parse(cliHist.stdout) as JobList).items.map((j) => j.id), hist.json.items.map((j) => j.id));
  const table = await cairn(d, ['history', '--status', 'failed']);
  t.match(table.stdout, killed);
  t.match(table.stdout, STOPPED);
  const waited = await cairn(d, ['jobs', 'wait', killed]);
  t.equal(waited.code, 1, 'waiting for a failed job exits 1');
  t.match(waited.stdout, `job ${killed} (backup): failed: ${STOPPED}`);
  const again = await cairn(d, ['jobs', 'retry', maint, '--json']);
  t.equal(again.code, 0, again.stderr);
  t.match(JSON.parse(again.stdout), { kind: 'maintenance', trigger: 'retry', status: 'success' }, 'retry follows the new job to its end');
  const ok = await cairn(d, ['jobs', 'wait', r.id, '--timeout', '5']);
  t.equal(ok.code, 0);
  t.match(ok.stdout, `job ${r.id} (backup): success`);
});

t.test('a client that disconnects does not cancel its job', async (t) => {
  const work = tmpDir(t);
  const src = join(work, 'src');
  mkdirSync(src);
  for (let i = 0; i < 8; i++) writeFileSync(join(src, `big${i}`), randomBytes(8 << 20));
  const d = await startCairnd(t, { dir: join(work, 'd') });
  const events = await followEvents(d);
  t.teardown(() => events.close());
  const req = request({ socketPath: d.socket, path: '/api/snapshots/create', method: 'POST', headers: { 'content-type': 'application/json' } });
  req.on('error', () => {});
  req.end(JSON.stringify({ source: src }));
  const running = await events.until((e) => e.event === 'job.progress' && e.data.kind === 'backup' && e.data.status === 'running');
  req.destroy();
  const meanwhile = await get<Job>(d, `/api/jobs/${running.data.id}`);
  t.equal(meanwhile.json.status, 'running', 'the client left while its job ran');
  const end = await events.until((e) => e.event === 'job.finished' && e.data.id === running.data.id);
  t.equal(end.data.status, 'success', 'and the job still ended well');
  await events.until((e) => e.event === 'snapshot.created' && e.data.job_id === running.data.id);
  t.equal((await get<SnapshotList>(d, '/api/repository/snapshots')).json.total, 1);
});
