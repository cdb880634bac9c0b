// daemon/api/openapi.ts — the OpenAPI 3.1 document of the built routes, generated from
// shared/routes.ts and its TypeBox schemas (the same ones that validate requests): path
// and query parameters, the request body, every response status a route declares (or
// its `produces` type for bytes and event streams) and the error body for 4XX and 5XX.
// Called by create-api.ts (served at /api/openapi.json) and by the contract tests.
import type { TObject, TSchema } from '@sinclair/typebox';
import { ERROR_STATUS } from '../../shared/errors.js';
import { openApiPath, routeSpec, type RouteKey, type RouteSpec } from '../../shared/routes.js';
import { ErrorBodySchema } from '../../shared/schemas/index.js';

type Json = Record<string, unknown>;

/** A plain-JSON copy (TypeBox's symbol keys dropped). */
const plain = (s: TSchema): Json => JSON.parse(JSON.stringify(s)) as Json;

function pathParameters(url: string, schema: TSchema | undefined): Json[] {
  const out: Json[] = [];
  const props = (schema as TObject | undefined)?.properties ?? {};
  for (const m of url.matchAll(/:([A-Za-z_]+)/g)) {
    const name = m[1]!;
    out.push({ name, in: 'path', required: true, schema: props[name] ? plain(props[name]) : { type: 'string' } });
  }
  if (url.endsWith('*')) {
    out.push({
      name: 'ref', in: 'path', required: true, schema: { type: 'string' },
      description: 'SNAPSHOT[:path]: a 64-hex id, a 4+ hex prefix or "latest", then optionally ":" and a path percent-encoded once',
    });
  }
  return out;
}

function queryParameters(schema: TSchema | undefined): Json[] {
  if (!schema) return [];
  const obj = schema as TObject;
  const required = new Set(obj.required ?? []);
  return Object.entries(obj.properties ?? {}).map(([name, s]) => ({
    name, in: 'query', required: required.has(name), schema: plain(s),
    ...(s.type === 'array' ? { style: 'form', explode: true } : {}),
  }));
}

/** Response bodies of routes that answer bytes or events, by `produces`. */
const PRODUCED: Record<string, Json> = {
  'application/octet-stream': { type: 'string', format: 'binary' },
  'text/plain': { type: 'string' },
  'text/event-stream': { type: 'string', description: 'Server-Sent Events: `event:` and JSON `data:` lines' },
};

/** The error body, with its `code` limited to shared/errors.ts's codes. */
function errorSchema(): Json {
  const s = plain(ErrorBodySchema);
  const error = (s.properties as Record<string, Json>).error!;
  (error.properties as Record<string, Json>).code = { type: 'string', enum: Object.keys(ERROR_STATUS) };
  return s;
}

/** Whether a request body may be left out: no required property (API.md: an empty body is `{}`). */
function bodyRequired(schema: TSchema): boolean {
  return ((schema as TObject).required ?? []).length > 0;
}

function responsesOf(spec: RouteSpec): Json {
  const responses: Json = {};
  for (const [status, s] of Object.entries(spec.schema?.response ?? {})) {
    responses[status] = {
      description: status === '202' ? 'the job, started (?async=true)' : 'success',
      content: { 'application/json': { schema: plain(s) } },
    };
  }
  if (spec.produces && !responses['200']) {
    // Bytes come typed by what they are (a file's type from its name, zip, tar…).
    const type = spec.produces === 'application/octet-stream' ? '*/*' : spec.produces;
    responses['200'] = { description: 'success', content: { [type]: { schema: PRODUCED[spec.produces] ?? {} } } };
  }
  const error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  responses['4XX'] = { description: 'refused: API.md\'s error body', ...error };
  responses['5XX'] = { description: 'failed: API.md\'s error body', ...error };
  return responses;
}

export function buildOpenApi(built: readonly RouteKey[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const key of built) {
    const spec = routeSpec(key);
    const schema = spec.schema;
    const op: Json = {
      operationId: key,
      summary: spec.summary,
      'x-permission': spec.permission,
      parameters: [...pathParameters(spec.url, schema?.params), ...queryParameters(schema?.querystring)],
      responses: responsesOf(spec),
    };
    if (spec.permission === 'public') op.security = [];
    if (schema?.body) {
      op.requestBody = { required: bodyRequired(schema.body), content: { 'application/json': { schema: plain(schema.body) } } };
    }
    const path = openApiPath(spec.url);
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cairn',
      version,
      description: 'cairnd\'s HTTP API: the same routes on the Unix socket and on TCP (Bearer token).',
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema() },
    },
    paths,
  };
}
