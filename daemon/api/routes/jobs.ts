// daemon/api/routes/jobs.ts — the jobs routes: list, get, wait, cancel, and the SSE
// stream (`progress` now and on each update, `log`, then `end`, after which it closes).
import { clampLimit, type Job, type JobList } from '../../../shared/schemas/index.js';
import { isEnded, type JobManager } from '../../jobs/index.js';
import { openEventStream, SSE_KEEP_ALIVE_MS } from '../sse.js';
import type { Handlers } from '../types.js';

/** Longest `?timeout=` of /wait, in seconds. */
export const MAX_WAIT_S = 3600;

export function jobHandlers(jobs: JobManager, opts: { keepAliveMs?: number } = {}): Handlers {
  const keepAliveMs = opts.keepAliveMs ?? SSE_KEEP_ALIVE_MS;
  return {
    'jobs.list': async (request): Promise<JobList> => {
      const q = request.query;
      return jobs.list({
        ...(q.status ? { status: q.status } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        limit: clampLimit(q.limit),
        offset: q.offset ?? 0,
      });
    },
    'jobs.get': async (request): Promise<Job> => jobs.get(request.params.id),
    'jobs.wait': async (request): Promise<Job> => {
      const seconds = Math.min(request.query.timeout ?? 30, MAX_WAIT_S);
      return jobs.wait(request.params.id, seconds * 1000);
    },
    'jobs.cancel': async (request): Promise<Job> => jobs.cancel(request.params.id),
    'jobs.stream': async (request, reply) => {
      const job = jobs.get(request.params.id); // 404 before the stream starts
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
