// daemon/repository/trash.ts on a real repository: forget copies the snapshot object to
// trash/snapshots/ byte for byte and moves its index row; undelete brings both back with
// a new generation; references resolve against the trash; one operation at a time.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backup } from '../../../daemon/backup/index.js';
import {
  listTrash, resolveTrashed, trashSnapshot, untrashSnapshot, type Repository,
} from '../../../daemon/repository/index.js';
import { listSnapshots, latestSnapshot } from '../../../daemon/snapshot/index.js';
import { makeTestRepo } from '../../helpers/repo.js';
import { tmpDir } from '../../helpers/tmp.js';

// One repository for every case (a worker pool is slow to start under tap); each case
// makes its own snapshots and looks only at them.
const h = await makeTestRepo(t);
const work = tmpDir(t);
let round = 0;

async function twoSnapshots(): Promise<{ repo: Repository; location: string; a: Buffer; b: Buffer }> {
  const src = join(work, `src${++round}`);
  mkdirSync(src);
  writeFileSync(join(src, 'f'), 'one');
  const a = (await backup(h.repo, { sources: [Buffer.from(src)] })).id;
  writeFileSync(join(src, 'f'), 'two');
  const b = (await backup(h.repo, { sources: [Buffer.from(src)] })).id;
  return { repo: h.repo, location: h.location, a, b };
}

const only = <T extends { hex: string }>(list: T[], ...ids: Buffer[]): T[] => list.filter((s) => ids.some((id) => id.toString('hex') === s.hex));

t.test('forget moves object and row; undelete brings them back', async (t) => {
  const { repo, location, a, b } = await twoSnapshots();
  const hex = a.toString('hex');
  const bytes = readFileSync(join(location, 'snapshots', hex));
  const row = repo.index.getSnapshot(a)!;
  await trashSnapshot(repo, a, Date.parse('2026-02-03T04:05:06Z'));
  t.notOk(existsSync(join(location, 'snapshots', hex)), 'the snapshot object is gone');
  t.ok(readFileSync(join(location, 'trash', 'snapshots', hex)).equals(bytes), 'the trash holds the same bytes');
  t.equal(repo.index.getSnapshot(a), undefined, 'the snapshot row is gone');
  t.same(only(listSnapshots(repo), a, b).map((s) => s.hex), [b.toString('hex')], 'it left the snapshot list');
  const trashed = only(listTrash(repo), a);
  t.equal(trashed.length, 1);
  t.equal(trashed[0]!.hex, hex);
  t.equal(trashed[0]!.row.removedAt, Date.parse('2026-02-03T04:05:06Z'));
  t.same((trashed[0]!.row as { root?: unknown }).root, row.root, 'the row keeps the record');
  t.ok((await repo.readSnapshotObject(a, 'trash/snapshots')).root.equals(Buffer.from(row.root as Uint8Array)), 'the trash copy authenticates');

  await t.rejects(trashSnapshot(repo, a), { code: 'not-found' }, 'a trashed snapshot cannot be forgotten again');
  t.equal(resolveTrashed(repo, hex.slice(0, 6)).hex, hex, 'a prefix names it in the trash');
  t.throws(() => resolveTrashed(repo, b.toString('hex')), { code: 'not-found' }, 'a live snapshot is not in the trash');
  t.throws(() => resolveTrashed(repo, 'xyz'), { code: 'invalid_params' });

  const generation = repo.index.generation();
  await untrashSnapshot(repo, a);
  t.ok(readFileSync(join(location, 'snapshots', hex)).equals(bytes), 'the object is back, unchanged');
  t.notOk(existsSync(join(location, 'trash', 'snapshots', hex)), 'the trash copy is gone');
  t.same(only(listTrash(repo), a), []);
  const back = repo.index.getSnapshot(a)!;
  t.ok((back.generation as number) > generation, 'an undeleted snapshot counts as new for a prune');
  t.notOk('removedAt' in back, 'the row has no removal time');
  t.equal(latestSnapshot(repo)!.hex, b.toString('hex'), '`latest` is still the newer one');
  await t.rejects(untrashSnapshot(repo, a), { code: 'not-found' }, 'undelete of a live snapshot is 404');
});

t.test('trash operations on one repository run one at a time', async (t) => {
  const { repo, a, b } = await twoSnapshots();
  await Promise.all([trashSnapshot(repo, a, 1), trashSnapshot(repo, b, 2)]);
  t.same(only(listTrash(repo), a, b).map((s) => s.row.removedAt), [2, 1], 'newest forgotten first');
  const results = await Promise.allSettled([untrashSnapshot(repo, a), untrashSnapshot(repo, a)]);
  t.same(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'], 'the second undelete of one snapshot finds it gone');
  t.equal(only(listSnapshots(repo), a, b).length, 1);
  t.equal(only(listTrash(repo), a, b).length, 1);
});

t.test('a prefix two trashed snapshots share is ambiguous', async (t) => {
  const { repo } = h;
  const one = Buffer.from('abcd00'.padEnd(64, '0'), 'hex');
  const two = Buffer.from('abcd11'.padEnd(64, '1'), 'hex');
  await repo.index.putTrash(one, { damaged: true, unreadable: true, generation: 1, removedAt: null });
  await repo.index.putTrash(two, { damaged: true, unreadable: true, generation: 2, removedAt: 5 });
  t.throws(() => resolveTrashed(repo, 'abcd'), { code: 'invalid_params' });
  t.equal(resolveTrashed(repo, 'ABCD0').hex, one.toString('hex'), 'case does not matter');
  t.same(only(listTrash(repo), one, two).map((s) => s.hex), [two.toString('hex'), one.toString('hex')], 'an unknown removal time sorts last');
});
