// daemon/api/openapi.ts — the OpenAPI 3.1 document of the built routes, generated from
// shared/routes.ts and its TypeBox schemas (the same ones that validate requests).
import type { TObject, TSchema } from '@sinclair/typebox';
import { openApiPath, routeSpec, type RouteKey } from '../../shared/routes.js';
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

export function buildOpenApi(built: readonly RouteKey[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const key of built) {
    const spec = routeSpec(key);
    const schema = spec.schema;
    const responses: Json = {};
    for (const [status, s] of Object.entries(schema?.response ?? {})) {
      responses[status] = { description: status === '202' ? 'the job, started (?async=true)' : 'success', content: { 'application/json': { schema: plain(s) } } };
    }
    if (Object.keys(responses).length === 0) {
      responses['200'] = { description: 'success', content: { [spec.produces ?? 'application/json']: { schema: {} } } };
    }
    responses.default = { description: 'an error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    const op: Json = {
      operationId: key,
      summary: spec.summary,
      'x-permission': spec.permission,
      parameters: [...pathParameters(spec.url, schema?.params), ...queryParameters(schema?.querystring)],
      responses,
    };
    if (spec.permission === 'public') op.security = [];
    if (schema?.body) op.requestBody = { required: false, content: { 'application/json': { schema: plain(schema.body) } } };
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
      schemas: { Error: plain(ErrorBodySchema) },
    },
    paths,
  };
}
