// daemon/jobs/admission.ts — which pending jobs may start now (DESIGN §3 "Writing
// safely"): at most `limits[kind]` jobs of a kind per repository; never two jobs with the
// same kind, repository and key (a backup's key is its sorted sources); an exclusive job
// (index rebuild) runs alone in its repository, and once it waits, later jobs there wait
// behind it. Pure.
import type { JobKind } from '../../shared/schemas/index.js';

export interface Slot {
  id: string;
  kind: JobKind;
  repository: string | null;
  key: string | null;
  exclusive: boolean;
}

/** Jobs running at once per kind and repository, unless config says otherwise. */
export const DEFAULT_LIMITS: Readonly<Record<JobKind, number>> = {
  backup: 2,
  restore: Infinity,
  check: Infinity,
  prune: 1,
  sync: 1,
  maintenance: 1,
  remove: 1,
};

/** The ids among `pending` (oldest first) that may start beside `running`. */
export function admit(pending: readonly Slot[], running: readonly Slot[], limits: Readonly<Record<JobKind, number>>): string[] {
  const active = [...running];
  const blocked = new Set<string | null>();
  const out: string[] = [];
  for (const job of pending) {
    if (blocked.has(job.repository)) continue;
    const here = active.filter((r) => r.repository === job.repository);
    const ok = !here.some((r) => r.exclusive)
      && !(job.exclusive && here.length > 0)
      && here.filter((r) => r.kind === job.kind).length < limits[job.kind]
      && !(job.key !== null && here.some((r) => r.kind === job.kind && r.key === job.key));
    if (ok) {
      out.push(job.id);
      active.push(job);
    } else if (job.exclusive) {
      blocked.add(job.repository);
    }
  }
  return out;
}

/** A backup's key: its sources sorted, so two backups of the same paths never overlap. */
export function backupKey(params: Readonly<Record<string, unknown>>): string | null {
  const src = params.source ?? params.paths;
  const list = typeof src === 'string' ? [src] : Array.isArray(src) ? src.filter((s): s is string => typeof s === 'string') : [];
  return list.length > 0 ? JSON.stringify([...new Set(list)].sort()) : null;
}
