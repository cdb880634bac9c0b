// daemon/api/routes/maintenance.ts — POST /api/repository/maintenance (API.md
// "Repositories"), a job of kind `maintenance` running the operations asked, in this order:
//   cleanup           storage.sweep(): tmp/ files no open upload or put is writing, and
//                     empty packs/xx/ directories (never a pack or a snapshot object; only a
//                     prune reclaims packs); safe beside running backups
//   rebuild_cache     the index rebuilt from pack trailers and snapshot objects; the job
//                     runs alone in its repository, whose other routes answer 503 meanwhile
//   verify_integrity  a full check reading all data (check --read-data)
// → {cleaned_objects, reclaimed_space (bytes), errors: ["object: message"…]}.
import type { MaintenanceResult } from '../../../shared/schemas/index.js';
import { check } from '../../check/index.js';
import { rebuildIndex } from '../../reconcile/index.js';
import type { Registry } from '../../repository/index.js';
import { runAsJob } from '../run-as-job.js';
import type { Handlers } from '../types.js';
import { repoOf } from './repositories.js';

export function maintenanceHandlers(d: { registry: Registry }): Handlers {
  const { registry } = d;
  return {
    'repository.maintenance': async (request, reply) => {
      const ops = [...new Set(request.body.operations)];
      const { repo, name } = repoOf(registry, request.query);
      return runAsJob(request, reply, {
        kind: 'maintenance', params: { operations: ops }, repository: name, exclusive: ops.includes('rebuild_cache'),
        run: async (ctx): Promise<MaintenanceResult> => {
          const out: MaintenanceResult = { cleaned_objects: 0, reclaimed_space: 0, errors: [] };
          if (ops.includes('cleanup')) {
            ctx.onProgress({ stage: 'cleanup' });
            const s = await repo.storage.sweep();
            out.cleaned_objects += s.files + s.dirs;
            out.reclaimed_space += s.bytes;
            ctx.log('info', `cleanup: ${s.files} temporary file(s) (${s.bytes} bytes) and ${s.dirs} empty pack directory(ies) removed`);
          }
          if (ops.includes('rebuild_cache')) {
            ctx.onProgress({ stage: 'rebuilding the index' });
            registry.setReady(name, false);
            try {
              const r = await rebuildIndex(repo);
              ctx.log('info', `index rebuilt: ${r.packsAdded} packs, ${r.snapshotsAdded} snapshots, ${r.trashAdded} in the trash`);
            } finally {
              registry.setReady(name, true);
            }
          }
          if (ops.includes('verify_integrity')) {
            ctx.onProgress({ stage: 'verifying' });
            const r = await check(repo, {
              readData: true, subset: null, signal: ctx.signal,
              onProgress: (p) => ctx.onProgress({ stage: `verifying ${p.stage}`, files_done: p.done, files_total: p.total, bytes_done: p.bytes }),
            });
            for (const e of r.errors) out.errors.push(`${e.object}: ${e.message}`);
            for (const n of r.notes) ctx.log('info', n);
            ctx.log(r.errors.length > 0 ? 'error' : 'info',
              `verify_integrity: ${r.checkedPacks} packs and ${r.checkedSnapshots} snapshots, ${r.readBytes} bytes read, ${r.errors.length} error(s)`);
          }
          return out;
        },
      });
    },
  };
}
