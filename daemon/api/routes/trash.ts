// daemon/api/routes/trash.ts — forgetting snapshots and bringing them back (API.md
// "Snapshots" remove and undelete, "Repositories" trash; DESIGN §3 trash/):
//   DELETE /api/snapshots/remove  {snapshot_ids, apply}  a job of kind `remove`: each
//     snapshot moves to the trash (repository/trash.ts, crash-safe); apply:false lists
//     what would go and changes nothing → {removed}
//   POST /api/snapshots/undelete  {snapshot_ids}  → {restored}; an id not in the trash is 404
//   GET /api/repository/trash     {total, items: [snapshot + removed_at]}, newest first
// References are resolved before any job exists (404 unknown, 400 malformed or
// ambiguous). Trashed snapshots leave every snapshot list; their data stays until a prune.
import type {
  SnapshotRemoveResult, SnapshotUndeleteResult, TrashItem, TrashList,
} from '../../../shared/schemas/index.js';
import { clampLimit } from '../../../shared/schemas/index.js';
import { CancelledError } from '../../errors.js';
import type { EventBus } from '../../events.js';
import {
  listTrash, resolveTrashed, trashSnapshot, untrashSnapshot, type Registry, type SnapshotRow, type TrashedSnapshot,
} from '../../repository/index.js';
import { resolveSnapshot } from '../../snapshot/index.js';
import { runAsJob } from '../run-as-job.js';
import type { Handlers } from '../types.js';
import { presentSnapshot } from './present.js';
import { repoOf } from './repositories.js';

export interface TrashDeps {
  registry: Registry;
  /** Where snapshot.removed and snapshot.created (undelete) go. */
  events?: EventBus;
  /** Milliseconds since the epoch (removed_at); injected by tests. */
  now?: () => number;
}

function presentTrashed(s: TrashedSnapshot): TrashItem {
  const removed = s.row.removedAt;
  return {
    ...presentSnapshot(s.id, s.row as unknown as SnapshotRow),
    removed_at: removed === null || removed === undefined ? null : new Date(removed).toISOString(),
  };
}

const jobIdOf = (row: unknown): string | null => {
  const j = (row as { jobId?: unknown } | undefined)?.jobId;
  return typeof j === 'string' ? j : null;
};

export function trashHandlers(d: TrashDeps): Handlers {
  const { registry } = d;
  const now = d.now ?? Date.now;
  return {
    'snapshots.remove': async (request, reply) => {
      const { repo, name } = repoOf(registry, request.query);
      const ids = [...new Set(request.body.snapshot_ids.map((ref) => resolveSnapshot(repo, ref, 'snapshot_ids').hex))];
      const apply = request.body.apply !== false;
      return runAsJob(request, reply, {
        kind: 'remove', params: { snapshot_ids: ids, apply }, repository: name,
        run: async (ctx): Promise<SnapshotRemoveResult> => {
          if (!apply) {
            const gone = ids.filter((hex) => repo.index.getSnapshot(Buffer.from(hex, 'hex')) !== undefined);
            ctx.log('info', `dry run: ${gone.length} snapshot(s) would move to the trash`);
            return { removed: gone };
          }
          const removed: string[] = [];
          const createdBy: Array<string | null> = [];
          try {
            for (const hex of ids) {
              if (ctx.signal.aborted) throw new CancelledError();
              const id = Buffer.from(hex, 'hex');
              const row = repo.index.getSnapshot(id);
              if (!row) {
                ctx.log('warn', `snapshot ${hex} is no longer in the repository`);
                continue;
              }
              await trashSnapshot(repo, id, now());
              removed.push(hex);
              createdBy.push(jobIdOf(row));
              ctx.log('info', `snapshot ${hex} moved to the trash`);
              ctx.onProgress({ stage: 'removing', files_done: removed.length, files_total: ids.length });
            }
          } finally {
            if (removed.length > 0) {
              d.events?.emit('snapshot.removed', { repository: name, snapshot_ids: removed, job_id: ctx.jobId, created_by: createdBy });
            }
          }
          return { removed };
        },
      });
    },
    'snapshots.undelete': async (request): Promise<SnapshotUndeleteResult> => {
      const { repo, name } = repoOf(registry, request.query);
      const found = request.body.snapshot_ids.map((ref) => resolveTrashed(repo, ref));
      const restored: string[] = [];
      for (const s of found) {
        if (restored.includes(s.hex)) continue;
        await untrashSnapshot(repo, s.id);
        restored.push(s.hex);
        d.events?.emit('snapshot.created', { repository: name, snapshot_id: s.hex, job_id: jobIdOf(s.row), reason: 'undelete' });
      }
      return { restored };
    },
    'repository.trash': async (request): Promise<TrashList> => {
      const { repo } = repoOf(registry, request.query);
      const all = listTrash(repo);
      const offset = request.query.offset ?? 0;
      const limit = clampLimit(request.query.limit);
      return { total: all.length, items: all.slice(offset, offset + limit).map(presentTrashed) };
    },
  };
}
