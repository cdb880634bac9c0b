// daemon/api/routes/jobs.ts — the jobs routes: list, get, wait, cancel, the SSE stream
// (`progress` now and on each update, `log`, then `end`, after which it closes), logs,
// retry (a new job from the same request, trigger `retry`; only for ended jobs) and
// /api/history (finished jobs, most recently ended first). An appender sees only its own
// jobs (routes/visibility.ts): others are 404 to it.
import { clampLimit, type Job, type JobAccepted, type JobList, type JobLogs } from '../../../shared/schemas/index.js';
import { CairnError } from '../../errors.js';
import { isEnded, type JobManager } from '../../jobs/index.js';
import { principalOf } from '../create-api.js';
import { replayJob } from '../run-as-job.js';
import { openEventStream, SSE_KEEP_ALIVE_MS } from '../sse.js';
import type { Handlers } from '../types.js';
import { ownerScope, visibleJob } from './visibility.js';

/** Longest `?timeout=` of /wait, in seconds. */
export const MAX_WAIT_S = 3600;

export function jobHandlers(jobs: JobManager, opts: { keepAliveMs?: number } = {}): Handlers {
  const keepAliveMs = opts.keepAliveMs ?? SSE_KEEP_ALIVE_MS;
  return {
    'jobs.list': async (request): Promise<JobList> => {
      const q = request.query;
      const owner = ownerScope(principalOf(request));
      return jobs.list({
        ...(q.status ? { status: q.status } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(owner !== undefined ? { owner } : {}),
        limit: clampLimit(q.limit),
        offset: q.offset ?? 0,
      });
    },
    'history': async (request): Promise<JobList> => {
      const q = request.query;
      const owner = ownerScope(principalOf(request));
      return jobs.history({
        ...(q.status ? { status: q.status } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(owner !== undefined ? { owner } : {}),
        limit: clampLimit(q.limit),
        offset: q.offset ?? 0,
      });
    },
    'jobs.get': async (request): Promise<Job> => visibleJob(jobs, request, request.params.id),
    'jobs.wait': async (request): Promise<Job> => {
      visibleJob(jobs, request, request.params.id);
      const seconds = Math.min(request.query.timeout ?? 30, MAX_WAIT_S);
      return jobs.wait(request.params.id, seconds * 1000);
    },
    'jobs.cancel': async (request): Promise<Job> => {
      visibleJob(jobs, request, request.params.id);
      return jobs.cancel(request.params.id);
    },
    'jobs.logs': async (request): Promise<JobLogs> => {
      visibleJob(jobs, request, request.params.id);
      return { items: await jobs.logs(request.params.id) };
    },
    'jobs.retry': async (request, reply): Promise<JobAccepted> => {
      const job = visibleJob(jobs, request, request.params.id);
      if (!isEnded(job.status)) {
        throw new CairnError('conflict', `only an ended job can be retried; this one is ${job.status}`, { id: job.id, status: job.status });
      }
      const replay = jobs.replayOf(job.id);
      if (!replay) throw new CairnError('conflict', 'this job cannot be retried: it was not started by a request', { id: job.id });
      return replayJob(request, reply, replay, job.params);
    },
    'jobs.stream': async (request, reply) => {
      const job = visibleJob(jobs, request, request.params.id); // 404 before the stream starts
      const stream = openEventStream(reply, keepAliveMs);
      stream.send('progress', job);
      if (isEnded(job.status)) {
        stream.send('end', job);
        stream.end();
        return reply;
      }
      const unsubscribe = jobs.subscribe(job.id, (e) => {
        stream.send(e.event, e.data);
        if (e.event === 'end') stream.end();
      });
      stream.onClose(unsubscribe);
      return reply;
    },
  };
}
