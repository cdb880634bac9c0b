// Routes, handlers, schemas and the typed client agree (issue 4, "What to build" 1): a route
// exists in all of them or in none. Handlers come from every `*Handlers` factory that
// daemon/api exports (called with empty deps: they only close over them), plus the
// built-in openapi; the live daemon's list is checked by test/e2e/contract.test.ts.
// The typed client (tui/client) is table-driven: ApiClient.request/bytes/stream take any
// route key of shared/routes.ts and fill its URL from the table, so "a call per route" is
// checked as: every built route's URL fills from its params schema, and (at compile time)
// every built JSON route has a typed 200 answer.
import t from 'tap';
import type { TObject, TSchema } from '@sinclair/typebox';
import * as api from '../../daemon/api/index.js';
import { buildOpenApi, type Handlers } from '../../daemon/api/index.js';
import { ROUTE_KEYS, openApiPath, routeSpec, type RouteKey, type RouteOf } from '../../shared/routes.js';
import { fillUrl, type ResultOf } from '../../tui/client/index.js';

/** Every route key some exported handler factory answers. */
function handledKeys(): Set<RouteKey> {
  const keys = new Set<RouteKey>(['openapi']); // built into create-api.ts
  const factories = Object.entries(api).filter(([name, f]) => name.endsWith('Handlers') && typeof f === 'function');
  for (const [, factory] of factories) {
    const handlers = (factory as (deps: unknown) => Handlers)({});
    for (const k of Object.keys(handlers)) keys.add(k as RouteKey);
  }
  return keys;
}

const handled = handledKeys();

t.test('every handler is for a route of the table', async (t) => {
  t.ok(handled.size > 40, `${handled.size} handlers found`);
  t.same([...handled].filter((k) => !ROUTE_KEYS.includes(k)), [], 'handlers for unknown route keys');
});

t.test('a route has a handler exactly when it has a schema, and only routes of issues 3 and 4 do', async (t) => {
  const withSchema = ROUTE_KEYS.filter((k) => routeSpec(k).schema !== undefined);
  t.same(ROUTE_KEYS.filter((k) => handled.has(k) && !routeSpec(k).schema), [], 'handler but no schema');
  t.same(withSchema.filter((k) => !handled.has(k)), [], 'schema but no handler');
  t.same(ROUTE_KEYS.filter((k) => routeSpec(k).issue !== 'later' && !handled.has(k)), [], 'routes of issues 3 and 4 not built');
  t.same(ROUTE_KEYS.filter((k) => routeSpec(k).issue === 'later' && handled.has(k)), [], 'later routes built early');
});

t.test('every built route declares what it answers', async (t) => {
  for (const k of handled) {
    const spec = routeSpec(k);
    const statuses = Object.keys(spec.schema?.response ?? {});
    if (spec.produces) {
      t.same(statuses.filter((s) => s.startsWith('2')), [], `${k}: produces ${spec.produces}, no JSON success schema`);
    } else {
      t.ok(statuses.includes('200') || statuses.includes('202'), `${k}: a 2xx response schema`);
    }
    const url = spec.url;
    const params = (spec.schema?.params as TObject | undefined)?.properties ?? {};
    const named = [...url.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
    if (named.length > 0) t.same(Object.keys(params).sort(), [...named].sort(), `${k}: a params schema for ${named.join(', ')}`);
    if (url.endsWith('*')) t.ok('*' in params, `${k}: a params schema for the SNAPSHOT[:path] reference`);
    if (spec.method === 'PUT' || (spec.method === 'POST' && !['jobs.cancel', 'jobs.retry', 'repositories.test', 'keys.rotate'].includes(k))) {
      t.ok(spec.schema?.body, `${k}: a body schema`);
    }
  }
});

t.test('the OpenAPI document covers every built route with its schemas', async (t) => {
  const built = ROUTE_KEYS.filter((k) => handled.has(k));
  const doc = buildOpenApi(built, '0.0.0') as { paths: Record<string, Record<string, Record<string, unknown>>> };
  let ops = 0;
  for (const p of Object.values(doc.paths)) ops += Object.keys(p).length;
  t.equal(ops, built.length, 'one operation per built route');
  for (const k of built) {
    const spec = routeSpec(k);
    const op = doc.paths[openApiPath(spec.url)]?.[spec.method.toLowerCase()] as {
      operationId: string; parameters: { name: string; in: string }[]; requestBody?: unknown;
      responses: Record<string, { content: Record<string, { schema: unknown }> }>;
    } | undefined;
    if (!t.ok(op, `${k} is described`) || !op) continue;
    t.equal(op.operationId, k);
    const query = Object.keys((spec.schema?.querystring as TObject | undefined)?.properties ?? {});
    t.same(op.parameters.filter((p) => p.in === 'query').map((p) => p.name), query, `${k}: query parameters`);
    t.equal(op.requestBody !== undefined, spec.schema?.body !== undefined, `${k}: request body`);
    for (const status of Object.keys(spec.schema?.response ?? {})) {
      t.ok(op.responses[status]?.content['application/json'], `${k}: ${status} response`);
    }
    if (spec.produces) {
      // Bytes are typed by what they are (a file's type, zip, tar…): described as */*.
      const type = spec.produces === 'application/octet-stream' ? '*/*' : spec.produces;
      t.ok(op.responses['200']?.content[type], `${k}: ${type}`);
    }
    t.same(op.responses['4XX']?.content['application/json']?.schema, { $ref: '#/components/schemas/Error' }, `${k}: the error body`);
  }
});

t.test('the typed client can call every built route', async (t) => {
  for (const k of handled) {
    const spec = routeSpec(k);
    const params: Record<string, string> = {};
    for (const name of Object.keys((spec.schema?.params as TObject | undefined)?.properties ?? {})) params[name] = 'abcd';
    const url = fillUrl(spec.url, params);
    t.match(url, /^\/api\/[^:*]*$/, `${k}: ${url}`);
  }
});

// Compile-time: every route with a JSON 200 schema gives the client a typed answer (not unknown).
type JsonRoute = { [K in RouteKey]: RouteOf<K> extends { schema: { response: { 200: TSchema } } } ? K : never }[RouteKey];
type Untyped = { [K in JsonRoute]: unknown extends ResultOf<K> ? K : never }[JsonRoute];
const allTyped: [Untyped] extends [never] ? true : Untyped = true;

t.test('the client\'s answers are typed (checked by the compiler)', async (t) => {
  t.equal(allTyped, true);
});
