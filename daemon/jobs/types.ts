// daemon/jobs/types.ts — what callers give the JobManager and what a job's run receives.
import type { JobKind, JobLogLevel, JobStatus, JobStreamEvent, JobTrigger } from '../../shared/schemas/index.js';
import type { EventBus } from '../events.js';
import type { Clock } from './clock.js';
import type { JobProgressUpdate } from './progress.js';

/** How to start the job again (retry): the route that started it and its validated
 *  input. Opaque to jobs; stored beside the job, never shown by the API. */
export interface JobReplay {
  route: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface JobSpec {
  kind: JobKind;
  params: Record<string, unknown>;
  /** The repository name the job acts on, or null. */
  repository: string | null;
  trigger?: JobTrigger;
  scheduleId?: string | null;
  /** Jobs of the same kind, repository and key never run at once (backups: their sorted sources, by default). */
  key?: string | null;
  /** Runs alone in its repository (index rebuild). */
  exclusive?: boolean;
  /** The API key id of the caller that started it (Job.owner); null for admins without a key. */
  owner?: string | null;
  replay?: JobReplay | null;
}

export interface JobContext {
  readonly jobId: string;
  /** Aborted by cancel() and at shutdown. */
  readonly signal: AbortSignal;
  /** Cheap to call often: updates reach clients at most once per progress interval. */
  onProgress(update: JobProgressUpdate): void;
  log(level: JobLogLevel, message: string): void;
}

/** A job's work: resolves with the route's result shape, or rejects (CairnError = an expected failure). */
export type JobRun = (ctx: JobContext) => Promise<unknown>;
export type JobListener = (event: JobStreamEvent) => void;

export interface JobManagerOptions {
  /** `<state>/jobs`. */
  dir: string;
  clock?: Clock;
  events?: EventBus;
  /** Backups per repository at once (config jobs.max_backups). */
  maxBackups?: number;
  limits?: Partial<Record<JobKind, number>>;
  /** ms between progress updates of one job (config jobs.progress_interval_ms). */
  progressIntervalMs?: number;
  /** Finished jobs kept (config jobs.history_limit). */
  historyLimit?: number;
  /** Log lines kept per job (config jobs.log_lines). */
  logLines?: number;
}

/** `owner`: only the jobs of this API key id. */
export interface JobQuery { status?: JobStatus; kind?: JobKind; owner?: string; limit?: number; offset?: number }
