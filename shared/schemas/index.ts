// shared/schemas — TypeBox schemas and their static types for the API's bodies, queries
// and responses (API.md shapes). Written once; they drive the daemon's validation and
// serialization, the typed client in tui/ and /api/openapi.json. shared/routes.ts ties
// them to routes.
export {
  Nullable, MAX_LIMIT, DEFAULT_LIMIT, FieldErrorSchema, ErrorBodySchema, RepositoryQuery, JobRouteQuery,
  Paging, ListOf, ItemErrorSchema, IdParams, NameParams, RefParams, clampLimit,
} from './common.js';
export type { ErrorBodyJson, JobRouteQueryJson, ItemError } from './common.js';
export { InfoSchema, HealthSchema, OpenApiDocumentSchema } from './meta.js';
export type { Info, Health, OpenApiDocument } from './meta.js';
export {
  JOB_STATUSES, JOB_KINDS, JOB_TRIGGERS, JobStatusSchema, JobKindSchema, JobProgressSchema, JobErrorSchema,
  JobSchema, JobAcceptedSchema, JobListSchema, JobListQuery, JobWaitQuery, JobLogEntrySchema, JobLogsSchema,
  ENDED_JOB_STATUSES, HistoryQuery, LOG_MESSAGE_MAX,
} from './job.js';
export type {
  JobStatus, JobKind, JobTrigger, JobProgress, JobError, Job, JobAccepted, JobList, JobListQueryJson,
  JobLogEntry, JobLogLevel, JobStreamEvent, JobLogs, HistoryQueryJson,
} from './job.js';
export { EVENT_NAMES, SnapshotCreatedEventSchema, SnapshotRemovedEventSchema } from './events.js';
export type { EventName, SnapshotCreatedEvent, SnapshotRemovedEvent, ApiEvent } from './events.js';
export {
  MAX_SNAPSHOT_IDS, SnapshotRemoveBody, SnapshotRemoveResultSchema, SnapshotUndeleteBody, SnapshotUndeleteResultSchema,
  TrashItemSchema, TrashListSchema, TrashQuery,
} from './trash.js';
export type {
  SnapshotRemoveBodyJson, SnapshotRemoveResult, SnapshotUndeleteBodyJson, SnapshotUndeleteResult, TrashItem, TrashList,
  TrashQueryJson,
} from './trash.js';
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
  RepositoryUpdateBody, RepositoryTestResultSchema,
} from './repository.js';
export type {
  RepositoryCreateBodyJson, RepositoryCreateResult, RepositoryInfo, RepositoryCheckBodyJson, CheckError,
  CheckResult, MaintenanceBodyJson, MaintenanceResult, RepositoryEntry, RepositoryList, RepositoryAddBodyJson,
  RepositoryUpdateBodyJson, RepositoryTestResult,
} from './repository.js';
export {
  SnapshotCreateBody, BackupResultSchema, RestoreBody, RestoreResultSchema, SnapshotCheckBody,
  SnapshotCheckResultSchema,
} from './operations.js';
export type {
  SnapshotCreateBodyJson, BackupResult, RestoreBodyJson, RestoreResult, SnapshotCheckBodyJson,
  SnapshotCheckResult,
} from './operations.js';
export {
  DiffParams, DiffQuery, DIFF_CHANGES, DiffItemSchema, DiffSummarySchema, DiffResultSchema, SearchQuery,
  SearchResultSchema, ERROR_SORTS, ErrorsQuery, ErrorItemSchema, ErrorListSchema, ChunksQuery, ChunkItemSchema,
  ChunkListSchema, LOCATE_SORTS, LocatePathnameQuery, LocatedVersionSchema, LocatePathnameResultSchema,
  LOCATE_DEFAULT_LIMIT, LocateQuery, LocateMatchSchema, LocateResultSchema, ImporterTypesSchema,
} from './browse.js';
export type {
  DiffQueryJson, DiffItemJson, DiffResult, SearchQueryJson, SearchResult, ErrorsQueryJson, ErrorList, ChunkList,
  LocatePathnameQueryJson, LocatePathnameResult, LocateQueryJson, LocateResult, ImporterTypes,
} from './browse.js';
export {
  KEY_ROLES, KeyRoleSchema, KeySchema, KeyListSchema, KeyCreateBody, KeyWithTokenSchema, KeyDeletedSchema,
  ReaderSignUrlBody, SignedUrlSchema,
} from './keys.js';
export type { Key, KeyList, KeyCreateBodyJson, KeyWithToken, KeyDeleted, ReaderSignUrlBodyJson, SignedUrlResult } from './keys.js';
export {
  RENDER_MODES, ReaderQuery, CatQuery, DIGEST_ALGORITHMS, DigestQuery, DigestSchema, DOWNLOAD_FORMATS, DownloaderBody,
  DownloaderResultSchema, DownloadParams, DownloadQuery,
} from './files.js';
export type {
  RenderMode, ReaderQueryJson, CatQueryJson, DigestAlgorithm, DigestQueryJson, Digest, DownloadFormat, DownloaderBodyJson,
  DownloaderResult, DownloadQueryJson,
} from './files.js';
