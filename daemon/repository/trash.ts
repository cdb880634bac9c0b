// daemon/repository/trash.ts — forgetting snapshots to the trash and bringing them back
// (DESIGN §3 "trash/snapshots/<id>", "Writing safely"). Crash-safe by order:
//   forget:   copy snapshots/<id> to trash/snapshots/<id> (durable put) → [trash-written]
//             → index: the snapshot row moves to the trash table → remove snapshots/<id>
//   undelete: copy trash/snapshots/<id> back to snapshots/<id> → [undelete-written]
//             → index: the row comes back with a new generation → remove the trash copy
// An id found in both places after a crash is trashed (reconcile finishes the forget).
// The object's bytes are copied unchanged, so its name stays its SHA-256. Data (packs)
// is never touched: only a prune reclaims it. One trash operation at a time per
// repository. Called by the API's trash routes and by reconcile.
import { CairnError } from '../errors.js';
import { crashPoint } from '../storage/index.js';
import type { SnapshotRow } from './records.js';
import type { Repository } from './repository.js';

/** A forgotten snapshot's index row: its snapshot row and when it was forgotten (ms since
 *  the epoch; null when the index was rebuilt from storage, which keeps no time). A row
 *  whose object could not be read has only `damaged`, `unreadable` and `generation`. */
export type TrashedRow = (SnapshotRow | { damaged: true; unreadable: true; generation: number }) & { removedAt: number | null };

export interface TrashedSnapshot {
  id: Buffer;
  hex: string;
  row: TrashedRow;
}

type TrashRepo = Pick<Repository, 'storage' | 'index'>;

export const snapshotObject = (hex: string): string => `snapshots/${hex}`;
export const trashObject = (hex: string): string => `trash/snapshots/${hex}`;

const queues = new WeakMap<object, Promise<unknown>>();

/** Runs `fn` after every trash operation already queued on this repository. */
function exclusive<T>(repo: TrashRepo, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(repo.index) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  queues.set(repo.index, next.catch(() => undefined));
  return next;
}

/** Moves one snapshot to the trash. Throws CairnError('not-found') when it is not a live
 *  snapshot of this repository. */
export function trashSnapshot(repo: TrashRepo, id: Buffer, nowMs: number = Date.now()): Promise<void> {
  return exclusive(repo, async () => {
    const hex = id.toString('hex');
    const row = repo.index.getSnapshot(id);
    if (!row) throw new CairnError('not-found', 'Snapshot not found', { snapshot_id: hex });
    const bytes = await repo.storage.get(snapshotObject(hex));
    await repo.storage.put(trashObject(hex), bytes);
    crashPoint('trash-written');
    await repo.index.moveToTrash(id, { ...row, removedAt: nowMs });
    await repo.storage.remove(snapshotObject(hex));
    crashPoint('snapshot-trashed');
  });
}

/** Brings one snapshot back from the trash; it counts as new for a prune running meanwhile
 *  (a new index generation). Throws CairnError('not-found') when it is not in the trash. */
export function untrashSnapshot(repo: TrashRepo, id: Buffer): Promise<void> {
  return exclusive(repo, async () => {
    const hex = id.toString('hex');
    const row = repo.index.getTrash(id) as TrashedRow | undefined;
    if (!row) throw new CairnError('not-found', 'Snapshot not in the trash', { snapshot_id: hex });
    const bytes = await repo.storage.get(trashObject(hex));
    await repo.storage.put(snapshotObject(hex), bytes);
    crashPoint('undelete-written');
    const { removedAt: _removed, ...rest } = row;
    await repo.index.restoreFromTrash(id, { ...rest, generation: await repo.index.nextGeneration() });
    await repo.storage.remove(trashObject(hex));
  });
}

/** Every trashed snapshot, most recently forgotten first (unknown times last). */
export function listTrash(repo: Pick<Repository, 'index'>): TrashedSnapshot[] {
  const out: TrashedSnapshot[] = [];
  for (const [id, row] of repo.index.listTrash()) out.push({ id, hex: id.toString('hex'), row: row as TrashedRow });
  return out.sort((a, b) => (b.row.removedAt ?? -1) - (a.row.removedAt ?? -1) || a.hex.localeCompare(b.hex));
}

const HEX = /^[0-9a-f]+$/;

/** A trashed snapshot by full id or unique prefix (4+ hex digits); 400/404 as API.md says. */
export function resolveTrashed(repo: Pick<Repository, 'index'>, ref: string, field = 'snapshot_ids'): TrashedSnapshot {
  const r = ref.toLowerCase();
  if (!HEX.test(r) || r.length < 4 || r.length > 64) {
    throw new CairnError('invalid_params', `${JSON.stringify(ref)} is not a snapshot id`, {
      [field]: { code: 'invalid_argument', message: 'a snapshot in the trash is named by its id or a prefix of 4 or more hex digits' },
    });
  }
  const matches = listTrash(repo).filter((s) => s.hex.startsWith(r));
  if (matches.length === 0) throw new CairnError('not-found', 'Snapshot not in the trash', { [field]: ref });
  if (matches.length > 1) {
    throw new CairnError('invalid_params', `snapshot prefix ${ref} is ambiguous (${matches.length} snapshots in the trash)`,
      { [field]: { code: 'invalid_argument', message: 'ambiguous prefix', matches: matches.slice(0, 10).map((m) => m.hex) } });
  }
  return matches[0]!;
}
