// shared/routes.ts — the route table: every route of API.md, once, with its permission
// (API.md "Access"), the issue that builds it and, for built routes, its schemas.
// The daemon registers its routes from it (auth runs before routing, keyed by
// `permission`), the typed client calls through it, and /api/openapi.json is generated
// from it. URLs are fastify syntax; routes written `{id}[:path]` in API.md are wildcards
// whose `*` holds the raw `SNAPSHOT[:path]` (parse it with shared/snapshot-ref.ts).
import type { TSchema } from '@sinclair/typebox';
import {
  IdParams, JobRouteQuery, NameParams, RefParams, RepositoryQuery, HealthSchema, InfoSchema,
  JobAcceptedSchema, JobListQuery, JobListSchema, JobSchema, JobWaitQuery,
  ChildrenListSchema, ChildrenQuery, SnapshotItemSchema, SnapshotListQuery, SnapshotListSchema, VfsResultSchema,
  CheckResultSchema, MaintenanceBody, MaintenanceResultSchema, RepositoryAddBody, RepositoryCheckBody,
  RepositoryCreateBody, RepositoryCreateResultSchema, RepositoryEntrySchema, RepositoryInfoSchema,
  RepositoryListSchema, BackupResultSchema, RestoreBody, RestoreResultSchema, SnapshotCheckBody,
  SnapshotCheckResultSchema, SnapshotCreateBody,
} from './schemas/index.js';
import {
  ChunkListSchema, ChunksQuery, DiffParams, DiffQuery, DiffResultSchema, ErrorListSchema, ErrorsQuery, ImporterTypesSchema,
  LocatePathnameQuery, LocatePathnameResultSchema, LocateQuery, LocateResultSchema, SearchQuery, SearchResultSchema,
} from './schemas/index.js';
import {
  HistoryQuery, JobLogsSchema, RepositoryTestResultSchema, RepositoryUpdateBody, SnapshotRemoveBody,
  SnapshotRemoveResultSchema, SnapshotUndeleteBody, SnapshotUndeleteResultSchema, TrashListSchema, TrashQuery,
} from './schemas/index.js';
import { OpenApiDocumentSchema } from './schemas/index.js';
import {
  KeyCreateBody, KeyDeletedSchema, KeyListSchema, KeyWithTokenSchema, ReaderSignUrlBody, SignedUrlSchema,
} from './schemas/index.js';
import {
  CatQuery, DigestQuery, DigestSchema, DownloaderBody, DownloaderResultSchema, DownloadParams, DownloadQuery, ReaderQuery,
} from './schemas/index.js';

/** What a caller must be allowed to do (API.md's permission table); `public` needs no auth. */
export type Permission =
  | 'meta' | 'list' | 'browse' | 'read' | 'backup' | 'check' | 'restore' | 'jobs' | 'admin' | 'public';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSchema {
  body?: TSchema;
  querystring?: TSchema;
  params?: TSchema;
  /** By status code; 202 is the `?async=true` answer of job routes. */
  response?: Record<number, TSchema>;
}

export interface RouteSpec {
  method: HttpMethod;
  url: string;
  permission: Permission;
  /** The issue that builds the route: 3 (first slice), 4, or later. */
  issue: 3 | 4 | 'later';
  summary: string;
  schema?: RouteSchema;
  /** Answers something other than JSON: an event stream or file bytes. */
  produces?: 'text/event-stream' | 'application/octet-stream' | 'text/plain';
}

/** Response schemas of a route that runs as a job: its result, or 202 {job}. */
const job = <T extends TSchema>(result: T) => ({ 200: result, 202: JobAcceptedSchema });

export const ROUTES = {
  // Meta
  'info': { method: 'GET', url: '/api/info', permission: 'meta', issue: 3, summary: 'Daemon and default repository',
    schema: { response: { 200: InfoSchema } } },
  'health': { method: 'GET', url: '/api/health', permission: 'public', issue: 3, summary: 'Liveness, no auth',
    schema: { response: { 200: HealthSchema } } },
  'openapi': { method: 'GET', url: '/api/openapi.json', permission: 'meta', issue: 3, summary: 'This document',
    schema: { response: { 200: OpenApiDocumentSchema } } },
  'events': { method: 'GET', url: '/api/events', permission: 'meta', issue: 4, summary: 'Server-Sent Events of jobs, snapshots, mounts, schedules', produces: 'text/event-stream',
    schema: {} },

  // Repositories
  'repository.create': { method: 'POST', url: '/api/repository/create', permission: 'admin', issue: 3, summary: 'Create and register a repository',
    schema: { body: RepositoryCreateBody, response: { 200: RepositoryCreateResultSchema } } },
  'repository.info': { method: 'GET', url: '/api/repository/info', permission: 'list', issue: 3, summary: 'Repository statistics and configuration',
    schema: { querystring: RepositoryQuery, response: { 200: RepositoryInfoSchema } } },
  'repository.snapshots': { method: 'GET', url: '/api/repository/snapshots', permission: 'list', issue: 3, summary: 'List snapshots',
    schema: { querystring: SnapshotListQuery, response: { 200: SnapshotListSchema } } },
  'repository.importerTypes': { method: 'GET', url: '/api/repository/importer-types', permission: 'list', issue: 4, summary: 'Importer types',
    schema: { querystring: RepositoryQuery, response: { 200: ImporterTypesSchema } } },
  'repository.locatePathname': { method: 'GET', url: '/api/repository/locate-pathname', permission: 'browse', issue: 4, summary: 'Every version of one path',
    schema: { querystring: LocatePathnameQuery, response: { 200: LocatePathnameResultSchema } } },
  'repository.check': { method: 'POST', url: '/api/repository/check', permission: 'check', issue: 3, summary: 'Check the repository (a job)',
    schema: { body: RepositoryCheckBody, querystring: JobRouteQuery, response: job(CheckResultSchema) } },
  'repository.trash': { method: 'GET', url: '/api/repository/trash', permission: 'admin', issue: 4, summary: 'Forgotten snapshots',
    schema: { querystring: TrashQuery, response: { 200: TrashListSchema } } },
  'repository.prune': { method: 'POST', url: '/api/repository/prune', permission: 'admin', issue: 'later', summary: 'Apply retention and reclaim space (a job)' },
  'repository.maintenance': { method: 'POST', url: '/api/repository/maintenance', permission: 'admin', issue: 3, summary: 'cleanup, rebuild_cache, verify_integrity (a job)',
    schema: { body: MaintenanceBody, querystring: JobRouteQuery, response: job(MaintenanceResultSchema) } },
  'repository.sync': { method: 'POST', url: '/api/repository/sync', permission: 'admin', issue: 'later', summary: 'Copy snapshots between repositories (a job)' },
  'repositories.list': { method: 'GET', url: '/api/repositories', permission: 'admin', issue: 3, summary: 'The repository registry',
    schema: { response: { 200: RepositoryListSchema } } },
  'repositories.add': { method: 'POST', url: '/api/repositories', permission: 'admin', issue: 3, summary: 'Open or create and register a repository',
    schema: { body: RepositoryAddBody, response: { 200: RepositoryEntrySchema } } },
  'repositories.get': { method: 'GET', url: '/api/repositories/:name', permission: 'admin', issue: 4, summary: 'One registry entry',
    schema: { params: NameParams, response: { 200: RepositoryEntrySchema } } },
  'repositories.update': { method: 'PUT', url: '/api/repositories/:name', permission: 'admin', issue: 4, summary: 'Rename, make default, replace passphrase',
    schema: { params: NameParams, body: RepositoryUpdateBody, response: { 200: RepositoryEntrySchema } } },
  'repositories.delete': { method: 'DELETE', url: '/api/repositories/:name', permission: 'admin', issue: 4, summary: 'Forget a repository (never deletes data)',
    schema: { params: NameParams, response: { 200: RepositoryEntrySchema } } },
  'repositories.test': { method: 'POST', url: '/api/repositories/:name/test', permission: 'admin', issue: 4, summary: 'Open, unlock and read its config',
    schema: { params: NameParams, response: { 200: RepositoryTestResultSchema } } },

  // Snapshots
  'snapshots.create': { method: 'POST', url: '/api/snapshots/create', permission: 'backup', issue: 3, summary: 'Back up (a job)',
    schema: { body: SnapshotCreateBody, querystring: JobRouteQuery, response: job(BackupResultSchema) } },
  'snapshot.get': { method: 'GET', url: '/api/snapshot/:id', permission: 'list', issue: 3, summary: 'One snapshot',
    schema: { params: IdParams, querystring: RepositoryQuery, response: { 200: SnapshotItemSchema } } },
  'snapshot.vfs': { method: 'GET', url: '/api/snapshot/vfs/*', permission: 'browse', issue: 3, summary: 'An entry, with a directory\'s first children',
    schema: { params: RefParams, querystring: RepositoryQuery, response: { 200: VfsResultSchema } } },
  'snapshot.children': { method: 'GET', url: '/api/snapshot/vfs/children/*', permission: 'browse', issue: 3, summary: 'A directory\'s children',
    schema: { params: RefParams, querystring: ChildrenQuery, response: { 200: ChildrenListSchema } } },
  'snapshot.search': { method: 'GET', url: '/api/snapshot/vfs/search/*', permission: 'browse', issue: 4, summary: 'Glob search below a path',
    schema: { params: RefParams, querystring: SearchQuery, response: { 200: SearchResultSchema } } },
  'snapshot.errors': { method: 'GET', url: '/api/snapshot/vfs/errors/*', permission: 'browse', issue: 4, summary: 'Entries that could not be read',
    schema: { params: RefParams, querystring: ErrorsQuery, response: { 200: ErrorListSchema } } },
  'snapshot.chunks': { method: 'GET', url: '/api/snapshot/vfs/chunks/*', permission: 'browse', issue: 4, summary: 'The chunks of one file',
    schema: { params: RefParams, querystring: ChunksQuery, response: { 200: ChunkListSchema } } },
  'snapshots.restore': { method: 'POST', url: '/api/snapshots/:id/restore', permission: 'restore', issue: 3, summary: 'Restore (a job)',
    schema: { params: IdParams, body: RestoreBody, querystring: JobRouteQuery, response: job(RestoreResultSchema) } },
  'snapshots.check': { method: 'POST', url: '/api/snapshots/:id/check', permission: 'check', issue: 3, summary: 'Check one snapshot (a job)',
    schema: { params: IdParams, body: SnapshotCheckBody, querystring: JobRouteQuery, response: job(SnapshotCheckResultSchema) } },
  'snapshots.undelete': { method: 'POST', url: '/api/snapshots/undelete', permission: 'admin', issue: 4, summary: 'Bring snapshots back from the trash',
    schema: { body: SnapshotUndeleteBody, querystring: RepositoryQuery, response: { 200: SnapshotUndeleteResultSchema } } },
  'snapshots.diff': { method: 'GET', url: '/api/snapshots/:a/diff/:b', permission: 'browse', issue: 4, summary: 'Compare two snapshots (read permission with highlight)',
    schema: { params: DiffParams, querystring: DiffQuery, response: { 200: DiffResultSchema } } },
  'snapshots.mount': { method: 'POST', url: '/api/snapshots/:id/mount', permission: 'admin', issue: 'later', summary: 'Mount a snapshot with FUSE' },
  'snapshots.remove': { method: 'DELETE', url: '/api/snapshots/remove', permission: 'admin', issue: 4, summary: 'Move snapshots to the trash (a job)',
    schema: { body: SnapshotRemoveBody, querystring: JobRouteQuery, response: job(SnapshotRemoveResultSchema) } },

  // Files
  'snapshot.reader': { method: 'GET', url: '/api/snapshot/reader/*', permission: 'read', issue: 4, summary: 'A file\'s bytes (Range honoured)', produces: 'application/octet-stream',
    schema: { params: RefParams, querystring: ReaderQuery } },
  'snapshot.readerSignUrl': { method: 'POST', url: '/api/snapshot/reader-sign-url/*', permission: 'read', issue: 4, summary: 'A signed reader URL',
    schema: { params: RefParams, querystring: RepositoryQuery, body: ReaderSignUrlBody, response: { 200: SignedUrlSchema } } },
  'files.cat': { method: 'GET', url: '/api/files/cat/*', permission: 'read', issue: 4, summary: 'A file as text', produces: 'text/plain',
    schema: { params: RefParams, querystring: CatQuery } },
  'files.digest': { method: 'GET', url: '/api/files/digest/*', permission: 'read', issue: 4, summary: 'A file\'s digest',
    schema: { params: RefParams, querystring: DigestQuery, response: { 200: DigestSchema } } },
  'snapshot.downloader': { method: 'POST', url: '/api/snapshot/vfs/downloader/:id', permission: 'read', issue: 4, summary: 'Prepare an archive download',
    schema: { params: IdParams, querystring: RepositoryQuery, body: DownloaderBody, response: { 200: DownloaderResultSchema } } },
  'snapshot.downloaderSignUrl': { method: 'GET', url: '/api/snapshot/vfs/downloader-sign-url/:download_id', permission: 'public', issue: 4, summary: 'Stream an archive (the download id is the credential)', produces: 'application/octet-stream',
    schema: { params: DownloadParams, querystring: DownloadQuery } },
  'search.locate': { method: 'GET', url: '/api/search/locate', permission: 'browse', issue: 4, summary: 'Find paths across all snapshots',
    schema: { querystring: LocateQuery, response: { 200: LocateResultSchema } } },

  // Jobs, schedules, scheduler
  'jobs.list': { method: 'GET', url: '/api/jobs', permission: 'jobs', issue: 3, summary: 'List jobs, newest first',
    schema: { querystring: JobListQuery, response: { 200: JobListSchema } } },
  'jobs.get': { method: 'GET', url: '/api/jobs/:id', permission: 'jobs', issue: 3, summary: 'One job',
    schema: { params: IdParams, response: { 200: JobSchema } } },
  'jobs.wait': { method: 'GET', url: '/api/jobs/:id/wait', permission: 'jobs', issue: 3, summary: 'Wait for a job to end (or the timeout)',
    schema: { params: IdParams, querystring: JobWaitQuery, response: { 200: JobSchema } } },
  'jobs.cancel': { method: 'POST', url: '/api/jobs/:id/cancel', permission: 'jobs', issue: 3, summary: 'Cancel a job',
    schema: { params: IdParams, response: { 200: JobSchema } } },
  'jobs.retry': { method: 'POST', url: '/api/jobs/:id/retry', permission: 'jobs', issue: 4, summary: 'Run a job again: a new job, same request',
    schema: { params: IdParams, response: { 202: JobAcceptedSchema } } },
  'jobs.logs': { method: 'GET', url: '/api/jobs/:id/logs', permission: 'jobs', issue: 4, summary: 'A job\'s log',
    schema: { params: IdParams, response: { 200: JobLogsSchema } } },
  'jobs.stream': { method: 'GET', url: '/api/jobs/:id/stream', permission: 'jobs', issue: 3, summary: 'SSE: progress, log, end',
    schema: { params: IdParams }, produces: 'text/event-stream' },
  'history': { method: 'GET', url: '/api/history', permission: 'jobs', issue: 4, summary: 'Finished jobs, newest first',
    schema: { querystring: HistoryQuery, response: { 200: JobListSchema } } },
  'schedules.list': { method: 'GET', url: '/api/schedules', permission: 'admin', issue: 'later', summary: 'Schedules' },
  'schedules.create': { method: 'POST', url: '/api/schedules', permission: 'admin', issue: 'later', summary: 'Add a schedule' },
  'schedules.get': { method: 'GET', url: '/api/schedules/:id', permission: 'admin', issue: 'later', summary: 'One schedule' },
  'schedules.update': { method: 'PUT', url: '/api/schedules/:id', permission: 'admin', issue: 'later', summary: 'Change a schedule' },
  'schedules.delete': { method: 'DELETE', url: '/api/schedules/:id', permission: 'admin', issue: 'later', summary: 'Remove a schedule' },
  'schedules.toggle': { method: 'POST', url: '/api/schedules/:id/toggle', permission: 'admin', issue: 'later', summary: 'Enable or disable' },
  'schedules.run': { method: 'POST', url: '/api/schedules/:id/run', permission: 'admin', issue: 'later', summary: 'Run now' },
  'scheduler.start': { method: 'POST', url: '/api/scheduler/start', permission: 'admin', issue: 'later', summary: 'Start the scheduler' },
  'scheduler.stop': { method: 'POST', url: '/api/scheduler/stop', permission: 'admin', issue: 'later', summary: 'Stop the scheduler' },
  'scheduler.status': { method: 'GET', url: '/api/scheduler/status', permission: 'admin', issue: 'later', summary: 'Scheduler state' },

  // Access
  'keys.list': { method: 'GET', url: '/api/keys', permission: 'admin', issue: 4, summary: 'API keys',
    schema: { response: { 200: KeyListSchema } } },
  'keys.create': { method: 'POST', url: '/api/keys', permission: 'admin', issue: 4, summary: 'Create a key (its token is shown once)',
    schema: { body: KeyCreateBody, response: { 200: KeyWithTokenSchema } } },
  'keys.delete': { method: 'DELETE', url: '/api/keys/:id', permission: 'admin', issue: 4, summary: 'Delete a key',
    schema: { params: IdParams, response: { 200: KeyDeletedSchema } } },
  'keys.rotate': { method: 'POST', url: '/api/keys/:id/rotate', permission: 'admin', issue: 4, summary: 'Replace a key\'s token',
    schema: { params: IdParams, response: { 200: KeyWithTokenSchema } } },
  'audit': { method: 'GET', url: '/api/audit', permission: 'admin', issue: 'later', summary: 'The audit log' },
} as const satisfies Record<string, RouteSpec>;

export type RouteKey = keyof typeof ROUTES;
export type RouteOf<K extends RouteKey> = (typeof ROUTES)[K];

export const ROUTE_KEYS = Object.keys(ROUTES) as RouteKey[];

/** The route spec of a key, widened for code that iterates the table. */
export function routeSpec(key: RouteKey): RouteSpec {
  return ROUTES[key];
}

/** `/api/snapshot/vfs/*` → `/api/snapshot/vfs/{ref}`, `:id` → `{id}` (OpenAPI, docs, client). */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\*$/, '{ref}');
}
