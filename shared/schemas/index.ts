// shared/schemas — TypeBox schemas and their static types for the API's bodies, queries
// and responses (API.md shapes). Written once; they drive the daemon's validation and
// serialization, the typed client in tui/ and /api/openapi.json. shared/routes.ts ties
// them to routes.
export {
  Nullable, MAX_LIMIT, DEFAULT_LIMIT, FieldErrorSchema, ErrorBodySchema, RepositoryQuery, JobRouteQuery,
  Paging, ListOf, ItemErrorSchema, IdParams, NameParams, RefParams, clampLimit,
} from './common.js';
export type { ErrorBodyJson, JobRouteQueryJson, ItemError } from './common.js';
export { InfoSchema, HealthSchema } from './meta.js';
export type { Info, Health } from './meta.js';
export {
  JOB_STATUSES, JOB_KINDS, JOB_TRIGGERS, JobStatusSchema, JobKindSchema, JobProgressSchema, JobErrorSchema,
  JobSchema, JobAcceptedSchema, JobListSchema, JobListQuery, JobWaitQuery, JobLogEntrySchema, JobLogsSchema,
} from './job.js';
export type {
  JobStatus, JobKind, JobTrigger, JobProgress, JobError, Job, JobAccepted, JobList, JobListQueryJson,
  JobLogEntry, JobLogLevel, JobStreamEvent,
} from './job.js';
export {
  ImporterSchema, SnapshotSummarySchema, SNAPSHOT_STATUSES, SnapshotSchema, SnapshotItemSchema,
  SnapshotListSchema, SnapshotListQuery, ENTRY_TYPES, FileInfoSchema, EntrySchema, VfsResultSchema,
  CHILDREN_SORTS, ChildrenQuery, ChildrenListSchema,
} from './snapshot.js';
export type {
  SnapshotSummary, Snapshot, SnapshotList, SnapshotListQueryJson, Entry, VfsResult, ChildrenQueryJson,
  ChildrenList,
} from './snapshot.js';
export {
  RepositoryCreateBody, RepositoryCreateResultSchema, RepositoryInfoSchema, RepositoryCheckBody,
  CheckErrorSchema, CheckResultSchema, MAINTENANCE_OPERATIONS, MaintenanceBody, MaintenanceResultSchema,
  RepositoryEntrySchema, RepositoryListSchema, RepositoryAddBody,
} from './repository.js';
export type {
  RepositoryCreateBodyJson, RepositoryCreateResult, RepositoryInfo, RepositoryCheckBodyJson, CheckError,
  CheckResult, MaintenanceBodyJson, MaintenanceResult, RepositoryEntry, RepositoryList, RepositoryAddBodyJson,
} from './repository.js';
export {
  SnapshotCreateBody, BackupResultSchema, RestoreBody, RestoreResultSchema, SnapshotCheckBody,
  SnapshotCheckResultSchema,
} from './operations.js';
export type {
  SnapshotCreateBodyJson, BackupResult, RestoreBodyJson, RestoreResult, SnapshotCheckBodyJson,
  SnapshotCheckResult,
} from './operations.js';
