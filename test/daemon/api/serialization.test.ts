// daemon/api/serialization.ts and validation.ts compile a route's schemas on its first
// request, not at start; this checks what start used to: every built route's request and
// response schemas compile (with TypeBox, and with fastify's own fast-json-stringify
// compiler), and a lazily compiled serializer answers exactly as the eager one.
import t from 'tap';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { compileSerializer, serializerCompiler } from '../../../daemon/api/serialization.js';
import { validatorCompiler } from '../../../daemon/api/validation.js';
import { ROUTE_KEYS, routeSpec } from '../../../shared/routes.js';
import { HealthSchema } from '../../../shared/schemas/index.js';

t.test('every route schema compiles', async (t) => {
  let requests = 0;
  let responses = 0;
  for (const key of ROUTE_KEYS) {
    const spec = routeSpec(key);
    for (const part of ['body', 'querystring', 'params'] as const) {
      const schema = spec.schema?.[part];
      if (!schema) continue;
      t.doesNotThrow(() => TypeCompiler.Compile(schema), `${key} ${part}`);
      requests++;
    }
    for (const [status, schema] of Object.entries(spec.schema?.response ?? {})) {
      t.doesNotThrow(() => compileSerializer({ schema, method: spec.method, url: spec.url, httpStatus: status }), `${key} ${status}`);
      responses++;
    }
  }
  t.ok(requests > 40 && responses > 40, `${requests} request and ${responses} response schemas`);
});

t.test('a lazy serializer answers as the eager one', async (t) => {
  const route = { schema: HealthSchema, method: 'GET', url: '/api/health', httpStatus: '200' };
  const lazy = serializerCompiler(route);
  const eager = compileSerializer(route);
  const body = {
    status: 'healthy', uptime: 1.5, timestamp: '2026-01-01T00:00:00Z', database: 'ok',
    memory: { rss: 1, heapUsed: 2, heapTotal: 3, extra: 4 }, responseTime: 0.25, version: '1', extra: 'dropped',
  };
  t.equal(lazy(body), eager(body));
  t.equal(lazy(body), eager(body), 'and again');
  t.notMatch(lazy(body), /extra/, 'properties outside the schema are dropped');
});

t.test('a lazy validator checks on its first call', async (t) => {
  const spec = routeSpec('repository.check');
  const check = validatorCompiler({ schema: spec.schema!.body!, method: 'POST', url: spec.url, httpPart: 'body' });
  t.same(check({ read_data: true }), { value: { read_data: true } });
  const bad = check({ read_data: 'yes' }) as { error: Array<{ instancePath: string }> };
  t.equal(bad.error[0]!.instancePath, 'read_data');
});
