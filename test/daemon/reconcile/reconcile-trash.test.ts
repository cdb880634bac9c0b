// daemon/reconcile/reconcile-trash.ts: the states a crash can leave a forget or an undelete
// in, each reconciled to "trashed" (DESIGN §3: an id found in both places is trashed), a
// damaged trash copy of a live snapshot dropped, rows and objects made to agree, and the
// trash rebuilt from storage alone.
import t from 'tap';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backup } from '../../../daemon/backup/index.js';
import { reconcile, rebuildIndex } from '../../../daemon/reconcile/index.js';
import { listTrash, trashSnapshot, type Repository } from '../../../daemon/repository/index.js';
import { listSnapshots } from '../../../daemon/snapshot/index.js';
import { makeTestRepo } from '../../helpers/repo.js';
import { tmpDir } from '../../helpers/tmp.js';

// One repository for every case (a worker pool is slow to start under tap): each case
// makes its own snapshot and looks only at it; the rebuild comes last.
const shared = await makeTestRepo(t);
const work = tmpDir(t);
let round = 0;

async function oneSnapshot(): Promise<{ repo: Repository; location: string; id: Buffer; hex: string }> {
  const src = join(work, `src${++round}`);
  mkdirSync(src);
  writeFileSync(join(src, 'f'), `data ${round}`);
  const id = (await backup(shared.repo, { sources: [Buffer.from(src)] })).id;
  return { repo: shared.repo, location: shared.location, id, hex: id.toString('hex') };
}

const listedIds = (repo: Repository): string[] => listSnapshots(repo).map((s) => s.hex);
const trashOf = (repo: Repository, hex: string) => listTrash(repo).filter((s) => s.hex === hex);

const live = (location: string, hex: string): string => join(location, 'snapshots', hex);
const trashed = (location: string, hex: string): string => join(location, 'trash', 'snapshots', hex);
const copyToTrash = (location: string, hex: string): void => {
  mkdirSync(join(location, 'trash', 'snapshots'), { recursive: true });
  copyFileSync(live(location, hex), trashed(location, hex));
};

t.test('cut after the trash copy (both objects, the live row): trashed', async (t) => {
  const { repo, location, hex } = await oneSnapshot();
  copyToTrash(location, hex);
  const r = await reconcile(repo);
  t.equal(r.forgetsCompleted, 1);
  t.notOk(existsSync(live(location, hex)), 'the live object is removed');
  t.ok(existsSync(trashed(location, hex)));
  t.notOk(listedIds(repo).includes(hex));
  t.same(trashOf(repo, hex).map((s) => s.row.removedAt), [null], 'in the trash, time unknown');
  const again = await reconcile(repo);
  t.equal(again.forgetsCompleted + again.trashAdded + again.trashDropped, 0, 'idempotent');
});

t.test('cut after the index moved (both objects, the trash row): trashed, time kept', async (t) => {
  const { repo, location, id, hex } = await oneSnapshot();
  copyToTrash(location, hex);
  await repo.index.moveToTrash(id, { ...repo.index.getSnapshot(id)!, removedAt: 1234 });
  await reconcile(repo);
  t.notOk(existsSync(live(location, hex)));
  t.same(trashOf(repo, hex).map((s) => s.row.removedAt), [1234]);
  t.notOk(listedIds(repo).includes(hex));
});

t.test('an undelete cut before the trash copy went (both objects, the live row): trashed again', async (t) => {
  const { repo, location, id, hex } = await oneSnapshot();
  await trashSnapshot(repo, id, 99);
  // the undelete's first two steps: the object back, the row back
  copyFileSync(trashed(location, hex), live(location, hex));
  const row = trashOf(repo, hex)[0]!.row as Record<string, unknown>;
  await repo.index.restoreFromTrash(id, { ...row, removedAt: undefined });
  await reconcile(repo);
  t.notOk(existsSync(live(location, hex)));
  t.equal(trashOf(repo, hex).length, 1);
  t.notOk(listedIds(repo).includes(hex));
});

t.test('a damaged trash copy of a live snapshot is dropped; the snapshot stays', async (t) => {
  const { repo, location, hex } = await oneSnapshot();
  copyToTrash(location, hex);
  const bytes = readFileSync(trashed(location, hex));
  bytes[bytes.length - 1] ^= 1;
  writeFileSync(trashed(location, hex), bytes);
  await reconcile(repo);
  t.ok(existsSync(live(location, hex)), 'the live object stays');
  t.notOk(existsSync(trashed(location, hex)), 'the broken copy is gone');
  t.ok(listedIds(repo).includes(hex));
  t.same(trashOf(repo, hex), []);
});

t.test('a trashed object that does not authenticate is listed damaged; a row without object is dropped', async (t) => {
  const { repo, location, id, hex } = await oneSnapshot();
  await trashSnapshot(repo, id, 7);
  const bytes = readFileSync(trashed(location, hex));
  bytes[20] ^= 1;
  writeFileSync(trashed(location, hex), bytes);
  let r = await reconcile(repo);
  t.equal(r.trashDamaged, 1);
  t.equal(trashOf(repo, hex)[0]!.row.damaged, true);
  rmSync(trashed(location, hex));
  r = await reconcile(repo);
  t.equal(r.trashDropped, 1, 'a prune (or a hand) deleted the object: its row goes');
  t.same(trashOf(repo, hex), []);
});

t.test('rebuildIndex finds the trash in storage (last: it resets the index)', async (t) => {
  const { repo, id, hex } = await oneSnapshot();
  await trashSnapshot(repo, id, 5);
  const inTrash = listTrash(repo).length;
  const r = await rebuildIndex(repo);
  t.equal(r.trashAdded, inTrash, 'every trashed object is found again');
  t.same(trashOf(repo, hex).map((s) => [s.row.removedAt, s.row.damaged]), [[null, false]]);
  t.notOk(listedIds(repo).includes(hex));
});
