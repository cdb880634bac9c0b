// daemon/api/create-api.ts — the fastify instance (DESIGN §4). It never listens itself:
// listen() starts plain http servers that hand requests to `app.routing`. Every route of
// shared/routes.ts is registered; auth runs first (onRequest, keyed by the route's
// permission), so a route without a handler answers 401/403 like a built one and 404
// not-found to a caller allowed to use it. onResponse hands each answer to the audit log.
import Fastify, {
  type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type RouteHandlerMethod,
} from 'fastify';
import { ROUTE_KEYS, routeSpec, type Permission, type RouteKey } from '../../shared/routes.js';
import type { Access, Principal } from '../access/index.js';
import { CairnError } from '../errors.js';
import type { JobManager } from '../jobs/index.js';
import { toErrorResponse } from './errors.js';
import { startListeners, type HttpSettings, type Listening, type ListenSpec } from './listeners.js';
import { buildOpenApi } from './openapi.js';
import { bindJobManager } from './run-as-job.js';
import { rewriteUrl } from './snapshot-url.js';
import { serializerCompiler } from './serialization.js';
import type { Handlers } from './types.js';
import { schemaErrorFormatter, validatorCompiler } from './validation.js';

export interface ApiDeps {
  access: Access;
  jobs: JobManager;
  /** Handlers by route key; `openapi` is built in. */
  handlers: Handlers;
  http: HttpSettings & { body_limit: number };
  version: string;
}

export interface Api {
  app: FastifyInstance;
  /** The route keys that have a handler (what /api/openapi.json describes). */
  built: readonly RouteKey[];
  /** Readies the app, then starts the listeners. */
  listen(spec: ListenSpec): Promise<Listening>;
}

interface RouteConfig { routeKey?: RouteKey }

const principals = new WeakMap<FastifyRequest, Principal | null>();

/** Who made the request (set before routing); null on a public route without credentials. */
export function principalOf(request: FastifyRequest): Principal | null {
  return principals.get(request) ?? null;
}

/** Drops `__proto__` keys: JSON.parse keeps them as own keys, which later copies may misuse. */
function reviver(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

/** Our compilers as factories: fastify then never loads its defaults at start (its ajv
 *  compiler, unused here, and fast-json-stringify: ~50 ms of every start). Both compile a
 *  schema on first use (serialization.ts, validation.ts). fastify types these factories
 *  after ajv's and fast-json-stringify's own; it calls them with the route definitions
 *  our compilers take. */
const compilersFactory = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'];

export function createApi(deps: ApiDeps): Api {
  const app = Fastify({
    logger: false,
    bodyLimit: deps.http.body_limit,
    rewriteUrl,
    schemaErrorFormatter,
    exposeHeadRoutes: true,
    return503OnClosing: false,
    schemaController: { compilersFactory },
    frameworkErrors: (err, _request, reply) => {
      const r = toErrorResponse(err);
      void (reply as FastifyReply).code(r.status).headers(r.headers).send(r.body);
    },
  });
  bindJobManager(app, deps.jobs, { handlers: deps.handlers, principalOf });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text, reviver));
    } catch (e) {
      const message = `request body is not valid JSON: ${(e as Error).message}`;
      done(new CairnError('invalid_params', message, { body: { code: 'invalid_argument', message } }), undefined);
    }
  });

  app.setErrorHandler((err, _request, reply) => {
    const r = toErrorResponse(err);
    void reply.code(r.status).headers(r.headers).type('application/json; charset=utf-8').send(r.body);
  });
  app.setNotFoundHandler(async (request) => {
    const path = request.url.split('?')[0];
    throw new CairnError('not-found', 'Route not found', { method: request.method, path });
  });

  app.addHook('onRequest', async (request) => {
    const key = (request.routeOptions.config as RouteConfig | undefined)?.routeKey;
    // Unknown routes need a caller as authenticated as any route's: no probing without one.
    const permission: Permission = key ? routeSpec(key).permission : 'meta';
    principals.set(request, await deps.access.admit(request.raw, { permission, routeKey: key ?? null, originalUrl: request.originalUrl }));
  });
  // The audit log: every mutating request and every authentication failure.
  app.addHook('onResponse', async (request, reply) => {
    deps.access.recordAnswer(request.raw, {
      method: request.method, routeKey: (request.routeOptions.config as RouteConfig | undefined)?.routeKey ?? null,
      originalUrl: request.originalUrl, status: reply.statusCode, principal: principals.get(request) ?? null,
    });
  });

  const built: RouteKey[] = [...ROUTE_KEYS.filter((k) => deps.handlers[k] !== undefined && k !== 'openapi'), 'openapi'];
  let openapi: ReturnType<typeof buildOpenApi> | null = null;
  for (const key of ROUTE_KEYS) {
    const spec = routeSpec(key);
    const handler = key === 'openapi' ? async () => (openapi ??= buildOpenApi(built, deps.version)) : deps.handlers[key];
    const notBuilt: RouteHandlerMethod = async () => {
      throw new CairnError('not-found', 'This route is not available yet', { route: key });
    };
    app.route({
      method: spec.method,
      url: spec.url,
      config: { routeKey: key } satisfies RouteConfig,
      ...(handler && spec.schema ? { schema: spec.schema } : {}),
      handler: handler ? (handler as unknown as RouteHandlerMethod) : notBuilt,
    });
  }

  return {
    app,
    built,
    async listen(spec) {
      await app.ready();
      return startListeners((q, s) => app.routing(q, s), deps.http, spec);
    },
  };
}
