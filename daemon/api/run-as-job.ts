// daemon/api/run-as-job.ts — a long operation behind a route (API.md "Long operations"):
// the handler validates its input first (4xx before any job exists), then runAsJob starts
// the job and either answers `202 {job}` at once (`?async=true`) or waits for its end and
// answers the result; a failed job answers its error's status with `params.job_id`, a
// cancelled one 409 conflict. A client that disconnects never cancels the job, and the
// wait has no time limit.
// Every job records its owner (the caller's API key id) and its replay: the route key and
// validated input that started it. replayJob (POST /api/jobs/{id}/retry) runs that route's
// handler again with the stored input under the retrying caller's identity, so a retry is
// checked exactly as a new request would be, and answers `202 {job}` (trigger `retry`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeSpec, type RouteKey } from '../../shared/routes.js';
import type { JobAccepted, JobKind } from '../../shared/schemas/index.js';
import { isErrorCode } from '../../shared/errors.js';
import { roleAllows, type Principal } from '../access/index.js';
import { CairnError } from '../errors.js';
import type { JobContext, JobManager, JobReplay } from '../jobs/index.js';
import type { Handlers } from './types.js';

interface Bound {
  jobs: JobManager;
  handlers: Handlers;
  principalOf: (request: FastifyRequest) => Principal | null;
}

const bound = new WeakMap<FastifyInstance, Bound>();
/** Requests that are a retry: the replay to store with the new job. */
const retrying = new WeakMap<FastifyRequest, JobReplay>();

/** Called by createApi: the job manager behind runAsJob for this instance, the handlers a
 *  retry replays, and who made a request. */
export function bindJobManager(app: FastifyInstance, jobs: JobManager,
  more: { handlers?: Handlers; principalOf?: (request: FastifyRequest) => Principal | null } = {}): void {
  bound.set(app, { jobs, handlers: more.handlers ?? {}, principalOf: more.principalOf ?? (() => null) });
}

function need(request: FastifyRequest): Bound {
  const b = bound.get(request.server);
  if (!b) throw new Error('runAsJob: no JobManager bound to this fastify instance');
  return b;
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

const plainJson = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)) as unknown);

/** The route and input of this request, to start it again (never `async`). */
function replayOf(request: FastifyRequest): JobReplay | null {
  const again = retrying.get(request);
  if (again) return again;
  const route = (request.routeOptions.config as { routeKey?: RouteKey } | undefined)?.routeKey;
  if (!route) return null;
  const { async: _async, ...query } = (request.query ?? {}) as Record<string, unknown>;
  return {
    route,
    params: plainJson(request.params ?? {}) as Record<string, string>,
    query: plainJson(query) as Record<string, unknown>,
    body: plainJson(request.body),
  };
}

export async function runAsJob<R>(request: FastifyRequest, reply: FastifyReply, opts: RunAsJobOptions<R>): Promise<R | JobAccepted> {
  const { jobs, principalOf } = need(request);
  const retry = retrying.has(request);
  const job = jobs.start({
    kind: opts.kind, params: opts.params, repository: opts.repository, trigger: retry ? 'retry' : 'api',
    owner: principalOf(request)?.keyId ?? null, replay: replayOf(request),
    ...(opts.key !== undefined ? { key: opts.key } : {}),
    ...(opts.exclusive !== undefined ? { exclusive: opts.exclusive } : {}),
  }, opts.run);
  if (retry || wantsAsync(request)) {
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

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Starts a job again from its replay, as the caller of `request` (the retry route's): the
 * caller needs the original route's permission too (403 otherwise). A job that acted on one
 * snapshot (`params.snapshot`, a full id) is retried on that snapshot, not on what a
 * reference like `latest` names now. Answers 202 {job}; the handler's 4xx when the input
 * no longer holds (a source that is gone).
 */
export async function replayJob(request: FastifyRequest, reply: FastifyReply, replay: JobReplay,
  jobParams: Record<string, unknown>): Promise<JobAccepted> {
  const { handlers, principalOf } = need(request);
  const route = replay.route as RouteKey;
  const handler = handlers[route] as ((q: FastifyRequest, r: FastifyReply) => Promise<unknown>) | undefined;
  if (!handler) throw new CairnError('conflict', 'this job cannot be retried: its route is not available', { route });
  const permission = routeSpec(route).permission;
  const principal = principalOf(request);
  if (!principal || !roleAllows(principal.role, permission)) {
    throw new CairnError('forbidden', `retrying this job needs the ${permission} permission`, { permission });
  }
  const params = { ...replay.params };
  if (typeof params.id === 'string' && typeof jobParams.snapshot === 'string' && HEX64.test(jobParams.snapshot)) {
    params.id = jobParams.snapshot;
  }
  const saved = { body: request.body, query: request.query, params: request.params };
  const r = request as { body: unknown; query: unknown; params: unknown };
  r.body = structuredClone(replay.body);
  r.query = { ...replay.query };
  r.params = params;
  retrying.set(request, { ...replay, params });
  try {
    const answer = await handler(request, reply);
    if (!answer || typeof answer !== 'object' || !('job' in answer)) {
      throw new CairnError('conflict', 'this job cannot be retried: its route does not start a job', { route });
    }
    return answer as JobAccepted;
  } finally {
    retrying.delete(request);
    r.body = saved.body;
    r.query = saved.query;
    r.params = saved.params;
  }
}
