// daemon/events.ts — the daemon's typed event bus. Jobs publish job.*; snapshot.created
// follows from a backup job's success (deriveSnapshotEvents) or an undelete, and
// snapshot.removed comes from the remove job; the API turns them into Server-Sent Events
// (/api/events) and the job stream. Listeners run synchronously and must not throw
// (a throwing listener is logged and skipped).
import { EventEmitter } from 'node:events';
import type { Job } from '../shared/schemas/index.js';
import { logger } from './log.js';

export interface CairnEvents {
  'job.created': Job;
  /** At most one per job per progress interval; also when a job starts running. */
  'job.progress': Job;
  'job.finished': Job;
  /** `job_id`: the job that made the snapshot (its owner decides who sees the event). */
  'snapshot.created': { repository: string; snapshot_id: string; job_id: string | null; reason: 'backup' | 'undelete' };
  /** `job_id`: the remove job; `created_by[i]`: the job that made `snapshot_ids[i]`. */
  'snapshot.removed': { repository: string; snapshot_ids: string[]; job_id: string | null; created_by: Array<string | null> };
}
export type CairnEventName = keyof CairnEvents;

const log = logger('events');

export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Every SSE client subscribes; the default limit of 10 would warn.
    this.#emitter.setMaxListeners(0);
  }

  /** Subscribes; returns the unsubscribe function. */
  on<K extends CairnEventName>(name: K, listener: (payload: CairnEvents[K]) => void): () => void {
    const safe = (payload: CairnEvents[K]): void => {
      try {
        listener(payload);
      } catch (e) {
        log.error('event listener failed', { event: name, error: (e as Error).message });
      }
    };
    this.#emitter.on(name, safe);
    return () => { this.#emitter.off(name, safe); };
  }

  emit<K extends CairnEventName>(name: K, payload: CairnEvents[K]): void {
    this.#emitter.emit(name, payload);
  }

  listenerCount(name: CairnEventName): number {
    return this.#emitter.listenerCount(name);
  }
}

/** Publishes snapshot.created for every backup job that ends well (its result names the
 *  snapshot). Returns the unsubscribe function. Called once by daemon.ts. */
export function deriveSnapshotEvents(bus: EventBus): () => void {
  return bus.on('job.finished', (job) => {
    if (job.kind !== 'backup' || job.status !== 'success' || job.repository === null) return;
    const id = (job.result as { snapshot_id?: unknown } | null)?.snapshot_id;
    if (typeof id === 'string') bus.emit('snapshot.created', { repository: job.repository, snapshot_id: id, job_id: job.id, reason: 'backup' });
  });
}
