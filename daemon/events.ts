// daemon/events.ts — the daemon's typed event bus. Jobs publish job.*, the repository
// and engines' callers publish snapshot.*; the API turns them into Server-Sent Events
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
  'snapshot.created': { repository: string; snapshot_id: string };
  'snapshot.removed': { repository: string; snapshot_ids: string[] };
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
