// Crash safety of the trash (DESIGN §3 "Forget writes trash/snapshots/<id>, then removes
// snapshots/<id>; reconcile treats an id found in both as trashed"): SIGKILL (through
// CAIRN_TEST_CRASH) between the two writes of a forget, and of an undelete, leaves the
// snapshot in both places; after the restart it is in exactly one, the trash, listed once,
// and undelete brings it back restorable.
import t from 'tap';
import { join } from 'node:path';
import type { Job } from '../../shared/schemas/index.js';
import { startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { get } from './api.js';
import { backup, listed, live, remove, restoresAs, source, trash, trashed, undelete } from './trash-helpers.js';

t.test('SIGKILL between the two writes of a forget or an undelete: trashed, once, and undelete works', async (t) => {
  const work = tmpDir(t);
  const s = source(work);
  const dir = join(work, 'd');
  let d = await startCairnd(t, { dir });
  const v1 = s.version(1);
  const a = await backup(t, d, s.src);
  await d.stop();

  // forget: killed after trash/snapshots/<id> is written, before snapshots/<id> goes
  d = await startCairnd(t, { dir, env: { CAIRN_TEST_CRASH: 'trash-written:1' } });
  const job = await remove(d, { snapshot_ids: [a] }, '?async=true');
  t.equal(job.status, 202, job.text);
  t.ok(await d.exited, 'the daemon died');
  t.match(d.stderr, /test crash at trash-written/);
  t.ok(live(d, a) && trashed(d, a), 'the kill came between the two writes: the object is in both places');

  d = await startCairnd(t, { dir });
  t.ok(trashed(d, a), 'after the restart it is in the trash');
  t.notOk(live(d, a), 'and only there');
  t.same(await listed(d), [], 'not listed');
  t.same((await trash(d)).json.items.map((x) => x.id), [a], 'in the trash once');
  t.match((await get<Job>(d, `/api/jobs/${job.json.job.id}`)).json, { status: 'failed', error: { code: 'internal-error' } }, 'the killed job failed');
  const back = await undelete(d, [a]);
  t.same(back.json, { restored: [a] });
  t.same(await listed(d), [a]);
  await restoresAs(t, d, a, s.src, v1, join(work, 'r1'));

  // undelete: killed after snapshots/<id> is written back, before the trash copy goes
  await remove(d, { snapshot_ids: [a] });
  await d.stop();
  d = await startCairnd(t, { dir, env: { CAIRN_TEST_CRASH: 'undelete-written:1' } });
  const cut = await undelete(d, [a]);
  t.equal(cut.status, 0, 'the request died with the daemon');
  await d.exited;
  t.ok(live(d, a) && trashed(d, a), 'both places again');
  d = await startCairnd(t, { dir });
  t.ok(trashed(d, a) && !live(d, a), 'an id in both places is trashed (DESIGN §3)');
  t.same(await listed(d), []);
  t.same((await undelete(d, [a])).json, { restored: [a] }, 'a second undelete brings it back');
  await restoresAs(t, d, a, s.src, v1, join(work, 'r2'));
});
