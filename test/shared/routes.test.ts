// shared/routes.ts must list every route of API.md, once, with a permission and an issue.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { ROUTES, ROUTE_KEYS, openApiPath, routeSpec, type RouteKey, type RouteOf } from '../../shared/routes.js';
import { ROUTE_INDEX } from '../../shared/route-index.js';
import type { BackupResult, CheckResult, Job, RestoreResult } from '../../shared/schemas/index.js';

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const apiMd = join(repoRoot, '..', 'shared', 'API.md');

/** `{id}[:path]` and `{id}:{path}` → `*`; `{x}` and `:x` → `:p`. */
function norm(path: string): string {
  return path.replace(/\{[a-z_]+\}(\[:path\]|:\{path\})$/, '*').replace(/\{[a-z_]+\}/g, ':p').replace(/:[a-z_]+/g, ':p');
}

function apiRoutes(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^\| ([A-Z, ]+) \| ([^|]+) \|/gm)) {
    const methods = m[1]!.split(',').map((s) => s.trim()).filter((s) => /^(GET|POST|PUT|DELETE)$/.test(s));
    for (const path of m[2]!.split(',').map((s) => s.trim()).filter((s) => s.startsWith('/api/'))) {
      for (const method of methods) out.add(`${method} ${norm(path)}`);
    }
  }
  // The Access section names its routes in prose.
  const prose = /`(GET\/POST|GET|POST|PUT|DELETE) (\/api\/[^`\s]+)`/g;
  for (const m of text.matchAll(prose)) for (const method of m[1]!.split('/')) out.add(`${method} ${norm(m[2]!)}`);
  if (text.includes('/api/audit')) out.add('GET /api/audit');
  return out;
}

t.test('the table and API.md list the same routes', { skip: !existsSync(apiMd) && 'API.md not beside the checkout' }, async (t) => {
  const documented = apiRoutes(readFileSync(apiMd, 'utf8'));
  t.ok(documented.size >= 60, `parsed ${documented.size} routes`);
  const table = new Set(ROUTE_KEYS.map((k) => `${ROUTES[k].method} ${norm(ROUTES[k].url)}`));
  t.same([...documented].filter((r) => !table.has(r)).sort(), [], 'documented but missing from the table');
  t.same([...table].filter((r) => !documented.has(r)).sort(), [], 'in the table but not documented');
  t.equal(table.size, ROUTE_KEYS.length, 'no route twice');
});

t.test('the first slice (issue 3) is exactly the brief\'s list, each with schemas', async (t) => {
  const issue3 = ROUTE_KEYS.filter((k) => ROUTES[k].issue === 3).sort();
  t.same(issue3, [
    'health', 'info', 'jobs.cancel', 'jobs.get', 'jobs.list', 'jobs.stream', 'jobs.wait', 'openapi',
    'repositories.add', 'repositories.list', 'repository.check', 'repository.create', 'repository.info',
    'repository.maintenance', 'repository.snapshots', 'snapshot.children', 'snapshot.get', 'snapshot.vfs',
    'snapshots.check', 'snapshots.create', 'snapshots.restore',
  ].sort());
  for (const k of issue3) {
    const spec = routeSpec(k);
    if (k === 'openapi' || spec.produces) continue;
    t.ok(spec.schema?.response?.[200], `${k} has a 200 schema`);
    if (spec.method === 'POST' && !k.startsWith('jobs.')) t.ok(spec.schema?.body, `${k} has a body schema`);
  }
  for (const k of ['snapshots.create', 'snapshots.restore', 'snapshots.check', 'repository.check', 'repository.maintenance'] as RouteKey[]) {
    t.ok(routeSpec(k).schema?.response?.[202], `${k} answers 202 {job} with ?async=true`);
  }
});

t.test('permissions follow API.md\'s table', async (t) => {
  const expect: Partial<Record<RouteKey, string>> = {
    health: 'public', info: 'meta', 'repository.snapshots': 'list', 'snapshot.get': 'list', 'snapshot.vfs': 'browse',
    'snapshot.reader': 'read', 'snapshots.create': 'backup', 'snapshots.check': 'check', 'snapshots.restore': 'restore',
    'jobs.stream': 'jobs', 'repository.prune': 'admin', 'keys.create': 'admin', 'repositories.list': 'admin',
    'snapshot.downloaderSignUrl': 'public',
  };
  for (const [k, p] of Object.entries(expect)) t.equal(ROUTES[k as RouteKey].permission, p, k);
  const publicRoutes = ROUTE_KEYS.filter((k) => ROUTES[k].permission === 'public');
  t.same(publicRoutes.sort(), ['health', 'snapshot.downloaderSignUrl']);
});

t.test('openApiPath', async (t) => {
  t.equal(openApiPath('/api/snapshot/vfs/*'), '/api/snapshot/vfs/{ref}');
  t.equal(openApiPath('/api/snapshots/:a/diff/:b'), '/api/snapshots/{a}/diff/{b}');
});

// Compile-time: the table keeps each route's exact response types (the typed client relies on it).
type Ok<K extends RouteKey> = RouteOf<K> extends { schema: { response: { 200: infer R extends TSchema } } } ? Static<R> : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typed: [
  Same<Ok<'snapshots.create'>, BackupResult>, Same<Ok<'snapshots.restore'>, RestoreResult>,
  Same<Ok<'repository.check'>, CheckResult>, Same<Ok<'jobs.get'>, Job>,
] = [true, true, true, true];

t.test('response types survive the table (checked by the compiler)', async (t) => {
  t.same(typed, [true, true, true, true]);
});

t.test('shared/route-index.ts says what the table says (the CLI reads the index)', async (t) => {
  t.same(Object.keys(ROUTE_INDEX).sort(), [...ROUTE_KEYS].sort(), 'the same keys');
  for (const key of ROUTE_KEYS) {
    const spec = routeSpec(key);
    const qs = spec.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
    const expected = { method: spec.method, url: spec.url, ...(qs?.properties?.repository !== undefined ? { repository: true } : {}) };
    t.same(ROUTE_INDEX[key], expected, key);
  }
});
