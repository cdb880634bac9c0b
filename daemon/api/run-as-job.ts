// daemon/api/run-as-job.ts — a long operation behind a route (API.md "Long operations"):
// the handler validates its input first (4xx before any job exists), then runAsJob starts
// the job and either answers `202 {job}` at once (`?async=true`) or waits for its end and
// answers the result; a failed job answers its error's status with `params.job_id`, a
// cancelled one 409 conflict. A client that disconnects never cancels the job, and the
// wait has no time limit.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JobAccepted, JobKind } from '../../shared/schemas/index.js';
import { isErrorCode } from '../../shared/errors.js';
import { CairnError } from '../errors.js';
import type { JobContext, JobManager } from '../jobs/index.js';

const managers = new WeakMap<FastifyInstance, JobManager>();

/** Called by createApi: the job manager behind runAsJob for this instance. */
export function bindJobManager(app: FastifyInstance, jobs: JobManager): void {
  managers.set(app, jobs);
}

export interface RunAsJobOptions<R> {
  kind: JobKind;
  /** Stored with the job and shown in the API (the validated request body, usually). */
  params: Record<string, unknown>;
  repository: string | null;
  /** See JobSpec.key / JobSpec.exclusive. */
  key?: string | null;
  exclusive?: boolean;
  run: (ctx: JobContext) => Promise<R>;
}

function wantsAsync(request: FastifyRequest): boolean {
  const v = (request.query as Record<string, unknown> | undefined)?.async;
  return v === true || v === 'true';
}

export async function runAsJob<R>(request: FastifyRequest, reply: FastifyReply, opts: RunAsJobOptions<R>): Promise<R | JobAccepted> {
  const jobs = managers.get(request.server);
  if (!jobs) throw new Error('runAsJob: no JobManager bound to this fastify instance');
  const job = jobs.start({
    kind: opts.kind, params: opts.params, repository: opts.repository, trigger: 'api',
    ...(opts.key !== undefined ? { key: opts.key } : {}),
    ...(opts.exclusive !== undefined ? { exclusive: opts.exclusive } : {}),
  }, opts.run);
  if (wantsAsync(request)) {
    reply.code(202);
    return { job };
  }
  const ended = await jobs.wait(job.id, Infinity);
  if (ended.status === 'success') return ended.result as R;
  if (ended.status === 'canceled') throw new CairnError('conflict', 'the job was cancelled', { job_id: ended.id });
  const err = ended.error;
  const code = err && isErrorCode(err.code) ? err.code : 'internal-error';
  throw new CairnError(code, err?.message ?? 'the job failed', { ...(err?.params ?? {}), job_id: ended.id });
}
