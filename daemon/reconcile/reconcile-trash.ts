// daemon/reconcile/reconcile-trash.ts — the trash part of the startup reconcile (DESIGN §3:
// "reconcile treats an id found in both as trashed"), run before the snapshot objects are
// reconciled:
//   trash/snapshots/<id> authenticates and snapshots/<id> exists too → a forget (or an
//     undelete) was cut short: remove snapshots/<id>, its row moves to the trash table;
//   a trash copy that does not authenticate while snapshots/<id> exists → the forget never
//     completed: the copy is removed, the snapshot stays;
//   trash objects without a row → added (removed_at unknown), unreadable ones as damaged;
//   trash rows whose object is gone (a prune deleted it) → dropped.
// Idempotent. Called by reconcile().
import { logger } from '../log.js';
import {
  snapshotObject, trashObject, type Repository, type SnapshotRecord, type TrashedRow,
} from '../repository/index.js';

const log = logger('reconcile');

export interface TrashReport {
  forgetsCompleted: number;
  trashAdded: number;
  trashDropped: number;
  trashDamaged: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

export async function reconcileTrash(repo: Repository): Promise<TrashReport> {
  const r: TrashReport = { forgetsCompleted: 0, trashAdded: 0, trashDropped: 0, trashDamaged: 0 };
  const objects = new Set<string>();
  for await (const e of repo.storage.list('trash/snapshots/')) {
    const hex = e.name.slice('trash/snapshots/'.length);
    if (!HEX64.test(hex)) continue;
    const id = Buffer.from(hex, 'hex');
    let rec: SnapshotRecord | null = null;
    try {
      rec = await repo.readSnapshotObject(id, 'trash/snapshots');
    } catch (err) {
      log.error('trashed snapshot object cannot be authenticated', { snapshot: hex, error: (err as Error).message });
    }
    const live = await repo.storage.stat(snapshotObject(hex));
    if (live && !rec) {
      log.error('the trash copy of a live snapshot is damaged: removed, the snapshot stays', { snapshot: hex });
      await repo.storage.remove(trashObject(hex));
      if (repo.index.getTrash(id)) await repo.index.deleteTrash(id);
      continue;
    }
    objects.add(hex);
    const known = repo.index.getTrash(id) as TrashedRow | undefined;
    const liveRow = repo.index.getSnapshot(id);
    if (live) {
      log.warn('an interrupted forget or undelete: the snapshot stays in the trash', { snapshot: hex });
      r.forgetsCompleted++;
    }
    if (!known) {
      const row: TrashedRow = liveRow
        ? { ...(liveRow as unknown as TrashedRow), removedAt: null }
        : rec
          ? { ...rec, generation: await repo.index.nextGeneration(), damaged: false, removedAt: null }
          : { damaged: true, unreadable: true, generation: await repo.index.nextGeneration(), removedAt: null };
      const stored = row as unknown as Record<string, unknown>;
      if (liveRow) await repo.index.moveToTrash(id, stored);
      else await repo.index.putTrash(id, stored);
      if (rec) r.trashAdded++;
      else r.trashDamaged++;
    } else if (liveRow) {
      await repo.index.deleteSnapshot(id);
    } else if (!rec && !known.damaged) {
      await repo.index.putTrash(id, { ...known, damaged: true });
      r.trashDamaged++;
    }
    if (live) {
      // The trash copy is authenticated and the index says trashed: only now drop the live object.
      await repo.index.flushed();
      await repo.storage.remove(snapshotObject(hex));
    }
  }
  for (const [id] of repo.index.listTrash()) {
    if (!objects.has(id.toString('hex'))) {
      log.warn('trash row without its object dropped', { snapshot: id.toString('hex') });
      await repo.index.deleteTrash(id);
      r.trashDropped++;
    }
  }
  return r;
}
