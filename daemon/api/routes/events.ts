// daemon/api/routes/events.ts — GET /api/events (API.md "Meta"): one Server-Sent Events
// stream of the daemon's event bus: job.created, job.progress, job.finished (data: the
// job), snapshot.created and snapshot.removed (data: shared/schemas/events.ts), and a
// `: keep-alive` comment every 15 s. An appender gets only its own jobs and the snapshots
// they made (routes/visibility.ts). A client that lags gets no job.progress until it has
// caught up (the next progress or job.finished supersedes it); one that falls more than
// 1 MiB behind is disconnected (sse.ts), so memory never grows with a slow reader.
import type { Job, SnapshotCreatedEvent, SnapshotRemovedEvent } from '../../../shared/schemas/index.js';
import type { EventBus } from '../../events.js';
import type { JobManager } from '../../jobs/index.js';
import { principalOf } from '../create-api.js';
import { openEventStream, type EventStreamOptions } from '../sse.js';
import type { Handlers } from '../types.js';
import { canSee, ownerScope } from './visibility.js';

export interface EventsDeps extends EventStreamOptions {
  events: EventBus;
  jobs: JobManager;
}

export function eventHandlers(d: EventsDeps): Handlers {
  const ownerOf = (jobId: string | null): string | null | undefined => {
    if (jobId === null) return undefined;
    try {
      return d.jobs.get(jobId).owner ?? null;
    } catch {
      return undefined; // the job left the history: its owner is unknown
    }
  };
  return {
    'events': async (request, reply) => {
      const scope = ownerScope(principalOf(request));
      const madeBy = (jobId: string | null): boolean => scope === undefined || ownerOf(jobId) === scope;
      const stream = openEventStream(reply, {
        ...(d.keepAliveMs !== undefined ? { keepAliveMs: d.keepAliveMs } : {}),
        ...(d.maxBufferedBytes !== undefined ? { maxBufferedBytes: d.maxBufferedBytes } : {}),
      });
      const job = (name: 'job.created' | 'job.progress' | 'job.finished') => (j: Job): void => {
        if (!canSee(scope, j)) return;
        if (name === 'job.progress' && stream.lagging) return;
        stream.send(name, j);
      };
      const offs = [
        d.events.on('job.created', job('job.created')),
        d.events.on('job.progress', job('job.progress')),
        d.events.on('job.finished', job('job.finished')),
        d.events.on('snapshot.created', (s) => {
          if (!madeBy(s.job_id)) return;
          const data: SnapshotCreatedEvent = { repository: s.repository, snapshot_id: s.snapshot_id, job_id: s.job_id, reason: s.reason };
          stream.send('snapshot.created', data);
        }),
        d.events.on('snapshot.removed', (s) => {
          const ids = s.snapshot_ids.filter((_, i) => madeBy(s.created_by[i] ?? null));
          if (ids.length === 0) return;
          const data: SnapshotRemovedEvent = { repository: s.repository, snapshot_ids: ids, job_id: s.job_id };
          stream.send('snapshot.removed', data);
        }),
      ];
      stream.onClose(() => { for (const off of offs) off(); });
      return reply;
    },
  };
}
