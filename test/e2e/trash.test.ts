// Forget to the trash and undelete through cairnd (API.md "Snapshots" remove, undelete;
// "Repositories" trash; DESIGN §3): a dry run changes nothing; a forgotten snapshot leaves
// every list and reference but its data stays, the trash lists it with removed_at; bad
// references are 400/404 before any job exists; the trash survives a restart and an index
// rebuild; undelete brings it back restorable; the CLI does the same. (The crash cases are
// in trash-crash.test.ts.)
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, MaintenanceResult, SnapshotList, TrashList } from '../../shared/schemas/index.js';
import { cairn, startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { get, isError, post } from './api.js';
import { backup, listed, live, remove, restoresAs, source, trash, trashed, undelete } from './trash-helpers.js';

t.test('forget, trash, undelete; errors; restart and index rebuild keep the trash; the CLI', async (t) => {
  const work = tmpDir(t);
  const s = source(work);
  let d = await startCairnd(t, { dir: join(work, 'd') });
  const v1 = s.version(1);
  const a = await backup(t, d, s.src);
  const v2 = s.version(2);
  const b = await backup(t, d, s.src);

  const dry = await remove(d, { snapshot_ids: [a.slice(0, 8)], apply: false });
  t.equal(dry.status, 200, dry.text);
  t.same(dry.json, { removed: [a] }, 'a dry run names what would go');
  t.same(await listed(d), [a, b], 'and changes nothing');
  t.ok(live(d, a));
  t.equal((await trash(d)).json.total, 0);

  const gone = await remove(d, { snapshot_ids: [a] });
  t.same(gone.json, { removed: [a] });
  t.same(await listed(d), [b], 'the snapshot left the list');
  isError(t, await get(d, `/api/snapshot/${a}`), 404, 'not-found', 'a forgotten snapshot');
  t.notOk(live(d, a), 'its object left snapshots/');
  t.ok(trashed(d, a), 'for trash/snapshots/');
  t.ok(readdirSync(join(d.repo, 'packs')).length > 0, 'its data stays');
  const tr = await trash(d);
  t.equal(tr.status, 200);
  t.equal(tr.json.total, 1);
  t.match(tr.json.items[0], { id: a, status: 'complete', short_id: a.slice(0, 8), summary: { files: 2 } });
  t.match(tr.json.items[0]!.removed_at, /^\d{4}-\d\d-\d\dT.*Z$/);
  const removedAt = tr.json.items[0]!.removed_at;

  isError(t, await remove(d, { snapshot_ids: [a] }), 404, 'not-found', 'forgetting it again');
  isError(t, await remove(d, { snapshot_ids: ['ffffffff'] }), 404, 'not-found', 'an unknown id');
  isError(t, await remove(d, { snapshot_ids: ['xyz!'] }), 400, 'invalid_params', 'a malformed id');
  isError(t, await remove(d, { snapshot_ids: [] }), 400, 'invalid_params', 'no ids');
  isError(t, await remove(d, { snapshot_ids: [b] }, '?repository=nope'), 404, 'not-found', 'an unknown repository');
  isError(t, await undelete(d, ['ffffffff']), 404, 'not-found', 'undelete of an id not in the trash');
  isError(t, await undelete(d, [b]), 404, 'not-found', 'undelete of a live snapshot');
  isError(t, await undelete(d, [a], '?repository=nope'), 404, 'not-found', 'undelete in an unknown repository');
  isError(t, await get(d, '/api/repository/trash?repository=nope'), 404, 'not-found', 'the trash of an unknown repository');
  t.equal((await get<SnapshotList>(d, '/api/jobs?kind=remove')).json.total, 2, 'refused requests made no job');

  // The trash survives a restart (removed_at too) and a rebuild of the index (removed_at then unknown).
  await d.stop();
  d = await startCairnd(t, { dir: join(work, 'd') });
  t.same((await trash(d)).json.items.map((x) => [x.id, x.removed_at]), [[a, removedAt]], 'the restart kept the trash');
  t.same(await listed(d), [b]);
  const rebuild = await post<MaintenanceResult>(d, '/api/repository/maintenance', { operations: ['rebuild_cache'] });
  t.equal(rebuild.status, 200, rebuild.text);
  t.same((await trash(d)).json.items.map((x) => [x.id, x.removed_at]), [[a, null]], 'the rebuilt index finds the trash');
  t.same(await listed(d), [b], 'and keeps it out of the list');

  const back = await undelete(d, [a.slice(0, 6)]);
  t.equal(back.status, 200, back.text);
  t.same(back.json, { restored: [a] });
  t.same(await listed(d), [a, b]);
  t.equal((await trash(d)).json.total, 0);
  t.ok(live(d, a));
  t.notOk(trashed(d, a));
  await restoresAs(t, d, a, s.src, v1, join(work, 'r1'));

  // As a job: ?async=true answers 202 with a job of kind remove.
  const job = await remove(d, { snapshot_ids: ['latest'] }, '?async=true');
  t.equal(job.status, 202, job.text);
  t.match(job.json.job, { kind: 'remove', params: { snapshot_ids: [b], apply: true } });
  const ended = await get<Job>(d, `/api/jobs/${job.json.job.id}/wait?timeout=60`);
  t.match(ended.json, { status: 'success', result: { removed: [b] } });
  t.same(await listed(d), [a], '`latest` now names the older snapshot');

  // The CLI.
  const dryCli = await cairn(d, ['forget', '--dry-run', a.slice(0, 8)]);
  t.equal(dryCli.code, 0, dryCli.stderr);
  t.match(dryCli.stdout, `${a.slice(0, 8)}  would move to the trash`);
  const forget = await cairn(d, ['forget', a.slice(0, 8), '--json']);
  t.equal(forget.code, 0, forget.stderr);
  t.same(JSON.parse(forget.stdout), { removed: [a] });
  const list = await cairn(d, ['trash', '--json']);
  t.same((JSON.parse(list.stdout) as TrashList).items.map((x) => x.id).sort(), [a, b].sort());
  const table = await cairn(d, ['trash']);
  t.match(table.stdout, /2 snapshots in the trash/);
  const un = await cairn(d, ['undelete', b.slice(0, 8), a]);
  t.equal(un.code, 0, un.stderr);
  t.match(un.stdout, `${b.slice(0, 8)}  restored from the trash`);
  const missing = await cairn(d, ['undelete', 'ffffffff']);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /not in the trash/);
  t.same((await listed(d)).sort(), [a, b].sort());
  await restoresAs(t, d, b, s.src, v2, join(work, 'r2'));
});
