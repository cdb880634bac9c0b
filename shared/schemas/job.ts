// shared/schemas/job.ts — a job as the API shows it (API.md "Jobs"), the jobs routes'
// queries and the `/api/jobs/{id}/stream` events. The daemon's JobManager stores exactly
// this shape; the TUI renders it.
import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, Paging } from './common.js';
import { JOB_STATUSES, JOB_KINDS, ENDED_JOB_STATUSES } from '../vocabulary.js';
export { JOB_STATUSES, JOB_KINDS, ENDED_JOB_STATUSES };

export const JOB_TRIGGERS = ['api', 'schedule', 'retry'] as const;

export const JobStatusSchema = Type.Union(JOB_STATUSES.map((s) => Type.Literal(s)));
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JobKindSchema = Type.Union(JOB_KINDS.map((s) => Type.Literal(s)));
export type JobKind = (typeof JOB_KINDS)[number];
export type JobTrigger = (typeof JOB_TRIGGERS)[number];

export const JobProgressSchema = Type.Object({
  stage: Nullable(Type.String()),
  percent: Nullable(Type.Number({ minimum: 0, maximum: 100 })),
  files_done: Type.Integer({ minimum: 0 }),
  files_total: Nullable(Type.Integer({ minimum: 0 })),
  bytes_done: Type.Integer({ minimum: 0 }),
  bytes_total: Nullable(Type.Integer({ minimum: 0 })),
  rate_bps: Nullable(Type.Number({ minimum: 0 })),
  eta_s: Nullable(Type.Number({ minimum: 0 })),
  current_file: Type.Optional(Nullable(Type.String({ description: 'the file being read or written' }))),
});
export type JobProgress = Static<typeof JobProgressSchema>;

/** A job's failure: the CairnError it ended with (`internal-error` for anything else). */
export const JobErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
});
export type JobError = Static<typeof JobErrorSchema>;

export const JobSchema = Type.Object({
  id: Type.String(),
  kind: JobKindSchema,
  status: JobStatusSchema,
  repository: Nullable(Type.String({ description: 'the repository name the job acts on' })),
  progress: JobProgressSchema,
  params: Type.Record(Type.String(), Type.Unknown()),
  result: Type.Unknown({ description: 'the route\'s result shape once status is success; else null' }),
  error: Nullable(JobErrorSchema),
  trigger: Type.Union(JOB_TRIGGERS.map((s) => Type.Literal(s))),
  schedule_id: Nullable(Type.String()),
  owner: Type.Optional(Nullable(Type.String({
    description: 'the id of the API key that started the job; null for the daemon\'s own admins (socket peer) and jobs of older versions',
  }))),
  created_at: Type.String({ description: 'RFC 3339 UTC' }),
  started_at: Nullable(Type.String()),
  ended_at: Nullable(Type.String()),
});
export type Job = Static<typeof JobSchema>;

export const JobAcceptedSchema = Type.Object({ job: JobSchema }, { description: 'answer of ?async=true' });
export type JobAccepted = Static<typeof JobAcceptedSchema>;

export const JobListSchema = ListOf(JobSchema);
export type JobList = Static<typeof JobListSchema>;

export const JobListQuery = Type.Object({
  status: Type.Optional(JobStatusSchema),
  kind: Type.Optional(JobKindSchema),
  ...Paging,
});
export type JobListQueryJson = Static<typeof JobListQuery>;

export const HistoryQuery = Type.Object({
  status: Type.Optional(Type.Union(ENDED_JOB_STATUSES.map((s) => Type.Literal(s)))),
  kind: Type.Optional(JobKindSchema),
  ...Paging,
});
export type HistoryQueryJson = Static<typeof HistoryQuery>;

export const JobWaitQuery = Type.Object({
  timeout: Type.Optional(Type.Number({ minimum: 0, default: 30, description: 'seconds (at most 3600)' })),
});

export const JobLogEntrySchema = Type.Object({
  ts: Type.String({ description: 'RFC 3339 UTC' }),
  level: Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
  message: Type.String(),
});
export type JobLogEntry = Static<typeof JobLogEntrySchema>;
export type JobLogLevel = JobLogEntry['level'];

/** A job's log, oldest first. At most `jobs.log_lines` entries (10,000 by default) are kept
 *  per job, each message cut to LOG_MESSAGE_MAX characters. */
export const JobLogsSchema = Type.Object({ items: Type.Array(JobLogEntrySchema) });
export type JobLogs = Static<typeof JobLogsSchema>;
/** Longest message of one log entry, in characters (longer ones end with "…"). */
export const LOG_MESSAGE_MAX = 2000;

/** Events of `/api/jobs/{id}/stream` (SSE `event:` name → JSON `data:`): `progress` and
 *  `end` carry the whole job, `log` one log entry. The stream ends after `end`; a
 *  `: keep-alive` comment arrives every 15 s. */
export type JobStreamEvent =
  | { event: 'progress'; data: Job }
  | { event: 'log'; data: JobLogEntry }
  | { event: 'end'; data: Job };
