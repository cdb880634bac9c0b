// daemon/api — cairnd's HTTP API (API.md) over fastify 5, which never listens itself.
//   request → http.Server (timeouts, clientError → error body) → app.routing
//   → rewriteUrl (`%` after `SNAPSHOT:` escaped) → onRequest: access (401/403, TCP
//     rate limits 429, signed reader URLs) → JSON parser / TypeBox validation (400
//     invalid_params) → handler by route key → response schema; every failure →
//     {"error": {code, message, params}} → onResponse: the access audit log
// Routes come from shared/routes.ts; handlers per route key come from the callers
// (routes/meta.ts, routes/jobs.ts here; the repository and snapshot ones from daemon.ts).
// Long operations use runAsJob; streams use openEventStream. Called by daemon.ts.
export { createApi, principalOf } from './create-api.js';
export type { Api, ApiDeps } from './create-api.js';
export type { Handlers, RouteHandler, RouteRequest } from './types.js';
export { runAsJob } from './run-as-job.js';
export type { RunAsJobOptions } from './run-as-job.js';
export { openEventStream, SSE_KEEP_ALIVE_MS, SSE_MAX_BUFFERED_BYTES } from './sse.js';
export type { EventStream, EventStreamOptions } from './sse.js';
export { snapshotRefOf, rawSnapshotRef, rewriteUrl } from './snapshot-url.js';
export { toErrorResponse, answerClientError } from './errors.js';
export type { ErrorResponse } from './errors.js';
export { buildOpenApi } from './openapi.js';
export { startListeners } from './listeners.js';
export type { ListenSpec, Listening, HttpSettings } from './listeners.js';
export { metaHandlers } from './routes/meta.js';
export type { MetaOptions } from './routes/meta.js';
export { jobHandlers, MAX_WAIT_S } from './routes/jobs.js';
export { repositoryHandlers } from './routes/repositories.js';
export type { RepositoryDeps } from './routes/repositories.js';
export { snapshotHandlers } from './routes/snapshots.js';
export type { SnapshotDeps } from './routes/snapshots.js';
export { registryHandlers } from './routes/registry.js';
export type { RegistryDeps } from './routes/registry.js';
export { trashHandlers } from './routes/trash.js';
export type { TrashDeps } from './routes/trash.js';
export { eventHandlers } from './routes/events.js';
export type { EventsDeps } from './routes/events.js';
export { keyHandlers } from './routes/keys.js';
export { signedUrlHandlers } from './routes/signed-urls.js';
export type { SignedUrlDeps } from './routes/signed-urls.js';
export { browseHandlers } from './routes/browse.js';
export type { BrowseDeps } from './routes/browse.js';
export { fileHandlers } from './routes/files.js';
export type { FileDeps } from './routes/files.js';
export { downloadHandlers } from './routes/downloads.js';
export type { DownloadDeps } from './routes/downloads.js';
