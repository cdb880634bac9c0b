// daemon/jobs: what issue 4 adds to a job — its owner (filtering lists and history), its
// replay (kept on disk beside the job, never in the API shape), history filters, and log
// messages cut to LOG_MESSAGE_MAX. Fake clock only.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobManager, STOPPED_MESSAGE, type JobReplay } from '../../../daemon/jobs/index.js';
import { LOG_MESSAGE_MAX } from '../../../shared/schemas/index.js';
import { FakeClock } from '../../helpers/daemon.js';
import { tmpDir } from '../../helpers/tmp.js';

const replay: JobReplay = { route: 'snapshots.create', params: {}, query: { repository: 'main' }, body: { source: '/data' } };

t.test('owner and replay are kept, survive a restart and stay out of the job', async (t) => {
  const dir = join(tmpDir(t), 'jobs');
  const clock = new FakeClock();
  const jobs = await JobManager.open({ dir, clock });
  let release!: () => void;
  const running = new Promise<void>((r) => { release = r; });
  const mine = jobs.start({ kind: 'backup', params: { source: ['/data'] }, repository: 'main', owner: 'key-a', replay }, () => running);
  const theirs = jobs.start({ kind: 'check', params: {}, repository: 'main', owner: 'key-b' }, async () => ({}));
  const admin = jobs.start({ kind: 'check', params: {}, repository: 'main' }, async () => ({}));
  t.equal(mine.owner, 'key-a');
  t.equal(admin.owner, null, 'no owner without a key');
  t.notOk('replay' in mine, 'the replay is not part of the job');
  t.same(jobs.replayOf(mine.id), replay);
  t.equal(jobs.replayOf(theirs.id), null);
  await jobs.wait(theirs.id, Infinity);
  await jobs.wait(admin.id, Infinity);

  t.same(jobs.list({ owner: 'key-a' }).items.map((j) => j.id), [mine.id], 'a list for one owner');
  t.equal(jobs.list({ owner: 'key-a' }).total, 1);
  t.same(jobs.history({ owner: 'key-b' }).items.map((j) => j.id), [theirs.id]);
  t.same(jobs.history({ owner: 'key-a' }).items, [], 'a running job is not history');
  t.same(jobs.history({ kind: 'check', status: 'success' }).total, 2);
  t.same(jobs.history({ status: 'failed' }).total, 0);

  await jobs.flush();
  const file = JSON.parse(readFileSync(join(dir, `${mine.id}.json`), 'utf8')) as Record<string, unknown>;
  t.same(file.replay, replay, 'the replay is stored beside the job');
  t.equal(file.owner, 'key-a');

  // The daemon dies with the backup running: the next start shows it failed, with its reason.
  const again = await JobManager.open({ dir, clock });
  t.teardown(() => again.close());
  const j = again.get(mine.id);
  t.equal(j.status, 'failed');
  t.same(j.error, { code: 'internal-error', message: STOPPED_MESSAGE, params: {} });
  t.equal(j.owner, 'key-a');
  t.notOk('replay' in j);
  t.same(again.replayOf(mine.id), replay, 'still retryable after the restart');
  release();
  await jobs.close();
});

t.test('a log message is cut to LOG_MESSAGE_MAX characters', async (t) => {
  const jobs = await JobManager.open({ dir: join(tmpDir(t), 'jobs'), clock: new FakeClock() });
  t.teardown(() => jobs.close());
  const job = jobs.start({ kind: 'check', params: {}, repository: null }, async (ctx) => {
    ctx.log('warn', 'x'.repeat(LOG_MESSAGE_MAX * 3));
    ctx.log('info', 'short');
    return {};
  });
  await jobs.wait(job.id, Infinity);
  const logs = await jobs.logs(job.id);
  t.equal(logs[0]!.message.length, LOG_MESSAGE_MAX);
  t.ok(logs[0]!.message.endsWith('…'));
  t.equal(logs[1]!.message, 'short');
});
