// daemon/api/routes/visibility.ts — which jobs a caller sees (API.md "Access": the `jobs`
// permission covers an appender's own jobs only). An appender sees the jobs its key
// started and, on /api/events, the snapshots those jobs made; every other caller allowed
// on the jobs routes sees every job. A job hidden from a caller is 404, as if it did not
// exist. Used by routes/jobs.ts and routes/events.ts.
import type { FastifyRequest } from 'fastify';
import type { Job } from '../../../shared/schemas/index.js';
import type { Principal } from '../../access/index.js';
import { CairnError } from '../../errors.js';
import type { JobManager } from '../../jobs/index.js';
import { principalOf } from '../create-api.js';

/** The owner a caller's job lists are limited to, or undefined for no limit. */
export function ownerScope(principal: Principal | null): string | undefined {
  if (principal?.role !== 'appender') return undefined;
  return principal.keyId ?? '\u0000an appender without a key id';
}

export function canSee(scope: string | undefined, job: Pick<Job, 'owner'>): boolean {
  return scope === undefined || job.owner === scope;
}

/** The job if the request's caller may see it; else 404 as for an unknown id. */
export function visibleJob(jobs: JobManager, request: FastifyRequest, id: string): Job {
  const job = jobs.get(id);
  if (!canSee(ownerScope(principalOf(request)), job)) throw new CairnError('not-found', 'Job not found', { id });
  return job;
}
