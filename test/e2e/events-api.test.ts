// /api/events through cairnd (API.md "Meta"; issue 4 "What to build" 3): job and snapshot
// events as they happen, and `cairn events --json` printing them; an appender sees only its
// own jobs and the snapshots they made, in lists and on the event stream, and a retry needs
// the permission of the route it replays (API.md "Access").
import t from 'tap';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BackupResult, JobAccepted, JobList } from '../../shared/schemas/index.js';
import { REPO_ROOT, startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { get, post } from './api.js';
import { followEvents, smallSource, tcpCall } from './events-client.js';

t.test('/api/events and `cairn events --json`', async (t) => {
  const work = tmpDir(t);
  const src = smallSource(work);
  const d = await startCairnd(t, { dir: join(work, 'd') });
  const child = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, join(REPO_ROOT, 'bin', 'cairn.cjs'), 'events', '--json'], {
    env: { ...process.env, NODE_OPTIONS: '', CAIRN_SOCKET: d.socket }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines: Array<{ event: string; data: any }> = [];
  let out = '';
  let seen!: () => void;
  const removed = new Promise<void>((resolve) => { seen = resolve; });
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    let i;
    while ((i = out.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(out.slice(0, i)) as { event: string; data: any });
      out = out.slice(i + 1);
      if (lines[lines.length - 1]!.event === 'snapshot.removed') seen();
    }
  });
  // The CLI subscribes before the backup starts: follow the same stream to know when it did.
  const probe = await followEvents(d);
  t.teardown(() => probe.close());
  for (let tries = 0; tries < 200 && !lines.some((l) => l.event === 'job.finished'); tries++) {
    // Until the CLI's stream is open, a job it misses is harmless: run maintenance jobs as pings.
    await post(d, '/api/repository/maintenance', { operations: ['cleanup'] });
    await probe.until((e) => e.event === 'job.finished');
    probe.events.length = 0;
  }
  const backup = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(backup.status, 200);
  const rm = await post(d, '/api/snapshots/remove', { snapshot_ids: [backup.json.snapshot_id] }, 'DELETE');
  t.equal(rm.status, 200, rm.text);
  await removed;
  child.kill('SIGINT');
  t.equal(await exited, 0, 'Ctrl-C ends it with exit 0');
  const job = lines.filter((l) => l.data?.kind === 'backup');
  t.same([...new Set(job.map((l) => l.event))], ['job.created', 'job.progress', 'job.finished'], 'the backup job\'s events, in order');
  t.match(job[job.length - 1]!.data, { status: 'success', result: { snapshot_id: backup.json.snapshot_id } });
  const created = lines.find((l) => l.event === 'snapshot.created' && l.data.snapshot_id === backup.json.snapshot_id);
  t.match(created?.data, { repository: 'repo', job_id: job[0]!.data.id, reason: 'backup' });
  const gone = lines.find((l) => l.event === 'snapshot.removed');
  t.same(gone?.data.snapshot_ids, [backup.json.snapshot_id]);
  t.equal(gone?.data.repository, 'repo');
});

t.test('an appender sees only its own jobs and their events; a retry needs the replayed route\'s permission', async (t) => {
  const work = tmpDir(t);
  const src = smallSource(work);
  const d = await startCairnd(t, { dir: join(work, 'd') });
  const key = async (name: string, role: string): Promise<{ id: string; token: string }> => {
    const k = await post<{ key: { id: string }; token: string }>(d, '/api/keys', { name, role });
    t.equal(k.status, 200, k.text);
    return { id: k.json.key.id, token: k.json.token };
  };
  const one = await key('pusher-one', 'appender');
  const two = await key('pusher-two', 'appender');
  const op = await key('ops', 'operator');
  const evOne = await followEvents(d, one.token);
  const evTwo = await followEvents(d, two.token);
  t.teardown(() => { evOne.close(); evTwo.close(); });

  const adminJob = await post<JobAccepted>(d, '/api/repository/maintenance?async=true', { operations: ['cleanup'] });
  t.equal(adminJob.status, 202);
  const mine = await tcpCall<JobAccepted>(d, one.token, 'POST', '/api/snapshots/create?async=true', { source: src });
  t.equal(mine.status, 202, mine.text);
  const id = mine.json.job.id;
  t.equal(mine.json.job.owner, one.id, 'the job records its owner');
  await tcpCall(d, one.token, 'GET', `/api/jobs/${id}/wait?timeout=120`);

  const listOne = await tcpCall<JobList>(d, one.token, 'GET', '/api/jobs');
  t.same(listOne.json.items.map((j) => j.id), [id], 'the appender lists only its job');
  t.same((await tcpCall<JobList>(d, one.token, 'GET', '/api/history')).json.items.map((j) => j.id), [id]);
  t.equal((await get<JobList>(d, '/api/jobs')).json.total, 2, 'the admin lists both');
  for (const [method, path] of [['GET', `/api/jobs/${id}`], ['GET', `/api/jobs/${id}/wait?timeout=0`], ['POST', `/api/jobs/${id}/cancel`],
    ['GET', `/api/jobs/${id}/logs`], ['POST', `/api/jobs/${id}/retry`], ['GET', `/api/jobs/${id}/stream`]] as const) {
    const r = await tcpCall(d, two.token, method, path);
    t.equal(r.status, 404, `another appender: ${method} ${path} is 404`);
  }
  t.equal((await tcpCall<JobList>(d, two.token, 'GET', '/api/jobs')).json.total, 0);
  t.equal((await tcpCall(d, one.token, 'GET', `/api/jobs/${adminJob.json.job.id}`)).status, 404, 'an admin\'s job is hidden too');
  t.equal((await tcpCall(d, one.token, 'GET', `/api/jobs/${id}/logs`)).status, 200, 'its own job\'s log');

  const retry = await tcpCall<JobAccepted>(d, one.token, 'POST', `/api/jobs/${id}/retry`);
  t.equal(retry.status, 202, retry.text);
  t.equal(retry.json.job.owner, one.id);
  await tcpCall(d, one.token, 'GET', `/api/jobs/${retry.json.job.id}/wait?timeout=120`);
  const denied = await tcpCall(d, op.token, 'POST', `/api/jobs/${adminJob.json.job.id}/retry`);
  t.equal(denied.status, 403, 'an operator may not retry a maintenance job (admin)');
  t.equal(denied.json.error.code, 'forbidden');

  await evOne.until((e) => e.event === 'snapshot.created' && e.data.job_id === retry.json.job.id);
  // The second appender's own backup: once its stream shows it, every earlier event was sent or skipped.
  const mark = await tcpCall<JobAccepted>(d, two.token, 'POST', '/api/snapshots/create?async=true', { source: src });
  t.equal(mark.status, 202, mark.text);
  await evTwo.until((e) => e.event === 'job.created' && e.data.id === mark.json.job.id);
  t.same([...new Set(evOne.events.filter((e) => e.event.startsWith('job.')).map((e) => e.data.id))].sort(), [id, retry.json.job.id].sort(),
    'the appender\'s stream holds only its jobs');
  t.same(evOne.events.filter((e) => e.event === 'snapshot.created').map((e) => e.data.job_id).sort(), [id, retry.json.job.id].sort(),
    'and the snapshots they made');
  t.same(evTwo.events.map((e) => e.data.id ?? e.data.job_id).filter((x) => x !== mark.json.job.id), [],
    'the other appender\'s stream holds nothing of them');
  await tcpCall(d, two.token, 'GET', `/api/jobs/${mark.json.job.id}/wait?timeout=120`);
  const admin = await get<JobList>(d, `/api/jobs?limit=10`);
  t.same([...new Set(admin.json.items.map((j) => j.owner))].sort(), [null, one.id, two.id].sort(), 'the admin sees every job and its owner');
});
