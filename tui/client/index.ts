// tui/client — how every client of cairn (the `cairn` CLI, later the TUI) talks to
// cairnd: find the daemon (Unix socket or URL) and a token, call the routes of
// shared/routes.ts with typed bodies and answers, read event streams.
//   resolveEndpoint + resolveToken → new ApiClient → request / startJob / jobEvents
// Errors: ApiError (the daemon's error body), ConnectionError (no answer), AddressError
// (a bad --socket/--url). Called by tui/cli and tui/main.ts.
export { ApiClient, fillUrl, queryString } from './api-client.js';
export type { ApiClientOptions, ByteResponse } from './api-client.js';
export { ApiError, ConnectionError, apiErrorFrom } from './api-error.js';
export { AddressError, describeEndpoint, resolveEndpoint, resolveToken } from './address.js';
export type { AddressOptions, Endpoint } from './address.js';
export { parseSse } from './sse.js';
export type { SseMessage } from './sse.js';
export type {
  BodyOf, JobRouteKey, ParamsOf, QueryOf, QueryValue, RequestOptions, ResultOf,
} from './route-types.js';
