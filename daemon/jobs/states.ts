// daemon/jobs/states.ts — small facts about job states and where jobs live.
import { join } from 'node:path';
import type { Job, JobStatus } from '../../shared/schemas/index.js';
import type { JobQuery } from './types.js';

/** The error of a job found pending or running when the daemon starts. */
export const STOPPED_MESSAGE = 'daemon stopped while the job was running';

const ENDED: ReadonlySet<JobStatus> = new Set(['success', 'failed', 'canceled']);
export const isEnded = (status: JobStatus): boolean => ENDED.has(status);

/** A result as it will be stored and served: plain JSON (undefined → null). */
export function asJson(result: unknown): unknown {
  return result === undefined ? null : JSON.parse(JSON.stringify(result)) as unknown;
}

/** Where the daemon keeps its jobs. */
export function jobsDir(stateDir: string): string {
  return join(stateDir, 'jobs');
}

/** Whether a job passes a list query's filters. */
export function matches(j: Job, q: JobQuery): boolean {
  return (!q.status || j.status === q.status) && (!q.kind || j.kind === q.kind)
    && (q.owner === undefined || j.owner === q.owner);
}
