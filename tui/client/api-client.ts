// tui/client/api-client.ts — the typed HTTP client of cairnd over undici (the parts
// undici-core.ts loads): one Agent on the Unix socket (`connect.socketPath`) or TCP;
// `request(key, …)` calls a route of shared/routes.ts and returns its typed 200 answer or
// throws ApiError; `startJob` asks a job route for `?async=true` and returns the job;
// `stream` reads an event stream with no time limits. `--repo` travels as `?repository=`
// on every route whose query takes it.
import type { Readable } from 'node:stream';
import type { Agent as AgentClass, Dispatcher } from 'undici';
import { ROUTE_INDEX } from '../../shared/route-index.js';
import type { RouteKey } from '../../shared/routes.js';
import type { Job, JobStreamEvent } from '../../shared/schemas/index.js';
import { CAIRN_VERSION } from '../../shared/version.js';
import { describeEndpoint, type Endpoint } from './address.js';
import { apiErrorFrom, ConnectionError } from './api-error.js';
import type { JobAccepted, JobRouteKey, QueryValue, RequestOptions, ResultOf } from './route-types.js';
import { parseSse, type SseMessage } from './sse.js';
import { Agent, request, RequestAbortedError } from './undici-core.js';

/** A route's answer as bytes (ApiClient.bytes). */
export interface ByteResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

export interface ApiClientOptions {
  endpoint: Endpoint;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string | null;
  /** A registered repository name: `?repository=` on routes that take it. */
  repository?: string | null;
}

/** Percent-encodes one path segment (`:id`, `:name`). */
const segment = (v: string): string => encodeURIComponent(v);

/** Fills a route URL: `:name` from params (encoded), `*` verbatim (a SNAPSHOT[:path]
 *  reference the caller encoded with shared/snapshot-ref.ts's formatSnapshotRef). */
export function fillUrl(url: string, params: Record<string, string> = {}): string {
  return url
    .replace(/:([A-Za-z_]+)/g, (_, name: string) => {
      const v = params[name];
      if (v === undefined) throw new TypeError(`missing route parameter "${name}" for ${url}`);
      return segment(v);
    })
    .replace(/\*$/, () => {
      const v = params['*'];
      if (v === undefined) throw new TypeError(`missing route reference for ${url}`);
      return v;
    });
}

/** `?a=1&tag=x&tag=y`; undefined, null and '' are left out. */
export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function takesRepository(key: RouteKey): boolean {
  return ROUTE_INDEX[key].repository === true;
}

export class ApiClient {
  readonly endpoint: Endpoint;
  private readonly agent: AgentClass;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly headers: Record<string, string>;
  private readonly repository: string | null;

  constructor(opts: ApiClientOptions) {
    this.endpoint = opts.endpoint;
    this.repository = opts.repository ?? null;
    if (opts.endpoint.kind === 'unix') {
      this.agent = new Agent({ connect: { socketPath: opts.endpoint.socketPath } });
      this.origin = 'http://localhost';
      this.prefix = '';
    } else {
      this.agent = new Agent();
      this.origin = opts.endpoint.url.origin;
      this.prefix = opts.endpoint.url.pathname.replace(/\/+$/, '');
    }
    this.headers = { 'user-agent': `cairn/${CAIRN_VERSION}`, accept: 'application/json' };
    if (opts.token) this.headers.authorization = `Bearer ${opts.token}`;
  }

  /** Calls a route and returns its 200 answer; any other status throws ApiError. */
  async request<K extends RouteKey>(key: K, opts: RequestOptions<K> = {}): Promise<ResultOf<K>> {
    const { status, text } = await this.call(key, opts);
    if (status < 200 || status >= 300) throw apiErrorFrom(status, text);
    return (text ? JSON.parse(text) : null) as ResultOf<K>;
  }

  /** Starts a job route with `?async=true` and returns the job it created. */
  async startJob<K extends JobRouteKey>(key: K, opts: RequestOptions<K> = {}): Promise<Job> {
    const query = { ...(opts.query ?? {}), async: true } as RequestOptions<K>['query'];
    const { status, text } = await this.call(key, { ...opts, query });
    if (status !== 202 && status !== 200) throw apiErrorFrom(status, text);
    const body = JSON.parse(text) as Partial<JobAccepted>;
    if (!body.job || typeof body.job.id !== 'string') {
      throw new ConnectionError(`cairnd answered ${ROUTE_INDEX[key].url} without a job (is it a cairnd?)`);
    }
    return body.job;
  }

  /** Reads an event stream (a GET of `path`, already filled) until it ends or `signal` aborts. */
  async *stream(path: string, signal?: AbortSignal): AsyncGenerator<SseMessage> {
    const res = await this.send({
      method: 'GET', path: this.prefix + path, headers: { ...this.headers, accept: 'text/event-stream' },
      headersTimeout: 0, bodyTimeout: 0, ...(signal ? { signal } : {}),
    });
    if (res.statusCode !== 200) throw apiErrorFrom(res.statusCode, await res.body.text());
    try {
      yield* parseSse(res.body);
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
  }

  /** `/api/jobs/{id}/stream`: the job's `progress`, `log` and `end` events, JSON-decoded. */
  async *jobEvents(jobId: string, signal?: AbortSignal): AsyncGenerator<JobStreamEvent> {
    const path = fillUrl(ROUTE_INDEX['jobs.stream'].url, { id: jobId });
    for await (const m of this.stream(path, signal)) {
      if (m.event !== 'progress' && m.event !== 'log' && m.event !== 'end') continue;
      yield { event: m.event, data: JSON.parse(m.data) } as JobStreamEvent;
    }
  }

  /** Calls a route that answers bytes (reader, cat, archives): the body as a stream, read
   *  at the caller's pace, with no time limits. Any status but 2xx throws ApiError. */
  async bytes<K extends RouteKey>(key: K, opts: RequestOptions<K> = {}): Promise<ByteResponse> {
    const spec = ROUTE_INDEX[key];
    const query: Record<string, QueryValue> = { ...(opts.query as Record<string, QueryValue> | undefined) };
    if (this.repository && query.repository === undefined && takesRepository(key)) query.repository = this.repository;
    const path = this.prefix + fillUrl(spec.url, opts.params as Record<string, string> | undefined) + queryString(query);
    const headers: Record<string, string> = { ...this.headers, accept: '*/*' };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await this.send({
      method: spec.method, path, headers, headersTimeout: 0, bodyTimeout: 0,
      ...(body !== undefined ? { body } : {}), ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (res.statusCode < 200 || res.statusCode >= 300) throw apiErrorFrom(res.statusCode, await res.body.text().catch(() => ''));
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  /** Waits for open requests, then closes the connections. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Drops every connection at once (Ctrl-C). */
  async destroy(): Promise<void> {
    await this.agent.destroy();
  }

  private async call<K extends RouteKey>(key: K, opts: RequestOptions<K>): Promise<{ status: number; text: string }> {
    const spec = ROUTE_INDEX[key];
    const query: Record<string, QueryValue> = { ...(opts.query as Record<string, QueryValue> | undefined) };
    if (this.repository && query.repository === undefined && takesRepository(key)) query.repository = this.repository;
    const path = this.prefix + fillUrl(spec.url, opts.params as Record<string, string> | undefined) + queryString(query);
    const headers = { ...this.headers };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await this.send({
      method: spec.method, path, headers, ...(body !== undefined ? { body } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    try {
      return { status: res.statusCode, text: await res.body.text() };
    } catch (err) {
      throw this.connectionError(err);
    }
  }

  private async send(options: Omit<Dispatcher.RequestOptions, 'origin'>): Promise<Dispatcher.ResponseData> {
    try {
      return await request.call(this.agent, { ...options, origin: this.origin });
    } catch (err) {
      throw this.connectionError(err);
    }
  }

  private connectionError(err: unknown): unknown {
    if (err instanceof RequestAbortedError || (err as { name?: string })?.name === 'AbortError') return err;
    const code = (err as { code?: string } | null)?.code;
    const where = describeEndpoint(this.endpoint);
    if (this.endpoint.kind === 'unix' && this.endpoint.tried && (code === 'ENOENT' || code === 'ECONNREFUSED')) {
      return new ConnectionError(`cannot connect to cairnd: no daemon listening on ${this.endpoint.tried.join(', ')} (is cairnd running? see --socket, --url)`, err);
    }
    const why = code === 'ENOENT' ? 'no such socket'
      : code === 'ECONNREFUSED' ? 'connection refused, no daemon listening'
      : code === 'EACCES' ? 'permission denied'
      : code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' ? 'connection closed by cairnd'
      : (err as Error | null)?.message ?? String(err);
    return new ConnectionError(`cannot connect to cairnd at ${where}: ${why}`, err);
  }
}
