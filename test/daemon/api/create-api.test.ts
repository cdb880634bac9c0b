// daemon/api/create-api.ts in-process (inject, which arrives like TCP: token needed):
// error bodies for every failure kind, auth before routing, validation, the %FF rewrite,
// unbuilt routes, openapi.
import t from 'tap';
import { snapshotRefOf, type Handlers } from '../../../daemon/api/index.js';
import type { Entry } from '../../../shared/schemas/index.js';
import { makeTestApi } from '../../helpers/daemon.js';

function entry(path: Buffer): Entry {
  const p = path.toString('hex');
  return {
    name: p, path: p, parent_path: '/', type: 'file', size: path.length, mode: '0644', permissions: '-rw-r--r--',
    mtime: '2026-01-01T00:00:00.000Z', uid: 0, gid: 0, username: null, groupname: null, nlink: 1,
    file_info: { name: p, size: 0, mode: 0o644, mod_time: '2026-01-01T00:00:00.000Z', uid: 0, gid: 0, nlink: 1, username: null, groupname: null },
  };
}

const handlers: Handlers = {
  'repository.check': async (request) => ({
    status: 'success', checked_packs: request.body.concurrency ?? 0, checked_snapshots: 0, read_bytes: 0,
    errors: [], notes: [JSON.stringify(request.body)],
  }),
  'snapshots.create': async () => { throw new Error('boom at /secret/place'); },
  'snapshot.vfs': async (request) => {
    const ref = snapshotRefOf(request);
    return { item: { ...entry(ref.path), name: JSON.stringify(ref.snapshot) } };
  },
  'snapshot.get': async (request) => {
    snapshotRefOf(request);
    return { item: { id: 'x', status: 'complete', identifier: 'x', short_id: 'x', timestamp: null, hostname: null, username: null, importer: null, sources: null, tags: null, summary: null, duration: null, parent: null, job_id: null } };
  },
};

async function setup(t: { teardown(fn: () => void | Promise<void>): void }) {
  const ta = await makeTestApi(t, { handlers, bodyLimit: 1024 });
  const auth = { authorization: `Bearer ${ta.token}` };
  return { ...ta, auth, app: ta.api.app };
}

t.test('auth runs before routing, for built, unbuilt and unknown routes alike', async (t) => {
  const { app, auth } = await setup(t);
  for (const url of ['/api/info', '/api/repository/info', '/api/nope', '/elsewhere']) {
    const r = await app.inject({ method: 'GET', url });
    t.equal(r.statusCode, 401, url);
    t.equal(r.json().error.code, 'bad_auth', url);
    t.match(r.headers['content-type'], /application\/json/);
  }
  const wrong = await app.inject({ method: 'GET', url: '/api/info', headers: { authorization: 'Bearer nope' } });
  t.equal(wrong.statusCode, 401);
  t.same(wrong.json(), { error: { code: 'bad_auth', message: 'invalid token', params: {} } });
  const ok = await app.inject({ method: 'GET', url: '/api/info', headers: auth });
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { repository_id: 'r'.repeat(64), authenticated: true, version: '0.0.0-test', browsable: true, demo_mode: false });
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  t.equal(health.statusCode, 200, 'health needs no token');
  t.match(health.json(), { status: 'healthy', database: 'ok', version: '0.0.0-test', memory: { rss: Number } });
  const unbuilt = await app.inject({ method: 'GET', url: '/api/repository/info', headers: auth });
  t.equal(unbuilt.statusCode, 404);
  t.same(unbuilt.json().error.code, 'not-found');
  const unknown = await app.inject({ method: 'GET', url: '/api/nope?x=1', headers: auth });
  t.equal(unknown.statusCode, 404);
  t.same(unknown.json(), { error: { code: 'not-found', message: 'Route not found', params: { method: 'GET', path: '/api/nope' } } });
});

t.test('bodies: bad JSON, wrong types, missing fields, size, media type; empty means {}', async (t) => {
  const { app, auth } = await setup(t);
  const post = (payload: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }, url = '/api/repository/check') =>
    app.inject({ method: 'POST', url, headers: { ...auth, ...headers }, ...(payload !== undefined ? { payload } : {}) });

  const badJson = await post('{"read_data": tru');
  t.equal(badJson.statusCode, 400);
  t.equal(badJson.json().error.code, 'invalid_params');
  t.match(badJson.json().error.message, /not valid JSON/);

  const wrongType = await post('{"read_data": "yes"}');
  t.equal(wrongType.statusCode, 400);
  t.match(wrongType.json(), { error: { code: 'invalid_params', params: { read_data: { code: 'invalid_argument', message: /boolean/ } } } });

  const badNumber = await post('{"concurrency": "4"}');
  t.equal(badNumber.statusCode, 400, 'bodies are not coerced');
  t.match(badNumber.json().error.params, { concurrency: { code: 'bad_number' } });

  const missing = await post('{"tags": []}', undefined, '/api/snapshots/create');
  t.equal(missing.statusCode, 400);
  t.match(missing.json().error.params, { source: { code: 'missing_argument' } });

  const tooLarge = await post(JSON.stringify({ notes: 'x'.repeat(2000) }));
  t.equal(tooLarge.statusCode, 413);
  t.equal(tooLarge.json().error.code, 'too-large');

  const media = await post('read_data=true', { 'content-type': 'text/plain' });
  t.equal(media.statusCode, 415);
  t.equal(media.json().error.code, 'unsupported-media-type');

  for (const [name, r] of [['empty JSON body', await post('')], ['no body, no content type', await post(undefined, {})]] as const) {
    t.equal(r.statusCode, 200, name);
    t.same(JSON.parse(r.json().notes[0]), { read_data: false }, `${name}: {} with defaults`);
  }
  const ok = await post('{"read_data": true, "concurrency": 3, "__proto__": {"polluted": 1}}');
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().checked_packs, 3);
  t.same(JSON.parse(ok.json().notes[0]), { read_data: true, concurrency: 3 }, '__proto__ keys dropped');
});

t.test('queries are coerced; empty values are absent', async (t) => {
  const { app, auth } = await setup(t);
  const r = await app.inject({ method: 'GET', url: '/api/jobs?limit=5&offset=0&status=', headers: auth });
  t.equal(r.statusCode, 200);
  t.same(r.json(), { total: 0, items: [] });
  const bad = await app.inject({ method: 'GET', url: '/api/jobs?limit=many', headers: auth });
  t.equal(bad.statusCode, 400);
  t.match(bad.json().error.params, { limit: { code: 'bad_number' } });
  const badEnum = await app.inject({ method: 'GET', url: '/api/jobs?status=sleeping', headers: auth });
  t.equal(badEnum.statusCode, 400);
  t.match(badEnum.json().error.params, { status: { code: 'invalid_argument' } });
});

t.test('an unexpected error is a 500 with a generic message', async (t) => {
  const { app, auth } = await setup(t);
  const r = await app.inject({ method: 'POST', url: '/api/snapshots/create', headers: auth, payload: { source: '/x' } });
  t.equal(r.statusCode, 500);
  t.same(r.json(), { error: { code: 'internal-error', message: 'internal error', params: {} } });
  t.notMatch(r.body, /secret|boom|at /);
});

t.test('SNAPSHOT:path URLs: %FF after the colon reaches the handler as bytes; elsewhere it is a 400', async (t) => {
  const { app, auth } = await setup(t);
  const r = await app.inject({ method: 'GET', url: '/api/snapshot/vfs/abcd:/a%FF%2Fb%E9?repository=main', headers: auth });
  t.equal(r.statusCode, 200);
  t.equal(r.json().item.path, Buffer.from([0x2f, 0x61, 0xff, 0x2f, 0x62, 0xe9]).toString('hex'));
  t.equal(r.json().item.name, JSON.stringify({ kind: 'prefix', prefix: 'abcd' }));
  for (const url of ['/api/snapshot/vfs/cafe:/x', '/api/snapshot/vfs/eeee', '/api/snapshot/vfs/latest:/']) {
    const ok = await app.inject({ method: 'GET', url, headers: auth });
    t.equal(ok.statusCode, 200, `${url} routes to vfs (hex prefixes sharing letters with static routes)`);
  }
  const noPath = await app.inject({ method: 'GET', url: '/api/snapshot/vfs/latest', headers: auth });
  t.equal(noPath.json().item.path, Buffer.from('/').toString('hex'));
  const malformed = await app.inject({ method: 'GET', url: '/api/snapshot/vfs/xyz:/a', headers: auth });
  t.equal(malformed.statusCode, 400);
  t.match(malformed.json().error, { code: 'invalid_params', params: { snapshot: { code: 'invalid_argument' } } });
  const badEscape = await app.inject({ method: 'GET', url: '/api/snapshot/vfs/abcd:/a%G0', headers: auth });
  t.equal(badEscape.statusCode, 400);
  t.match(badEscape.json().error.params, { path: {} });
  const outside = await app.inject({ method: 'GET', url: '/api/snapshot/%FF', headers: auth });
  t.equal(outside.statusCode, 400);
  t.equal(outside.json().error.code, 'invalid_params');
  const shortId = await app.inject({ method: 'GET', url: '/api/snapshot/abc', headers: auth });
  t.equal(shortId.statusCode, 400, 'non-wildcard ids are parsed too');
});

t.test('openapi describes built routes only', async (t) => {
  const { app, auth, api } = await setup(t);
  const r = await app.inject({ method: 'GET', url: '/api/openapi.json', headers: auth });
  t.equal(r.statusCode, 200);
  const doc = r.json();
  t.equal(doc.openapi, '3.1.0');
  t.ok(doc.paths['/api/info'].get);
  t.ok(doc.paths['/api/jobs/{id}/stream'].get);
  t.ok(doc.paths['/api/snapshot/vfs/{ref}'].get);
  t.ok(doc.paths['/api/repository/check'].post.requestBody);
  t.same(doc.paths['/api/health'].get.security, []);
  t.notOk(doc.paths['/api/repository/info'], 'an unbuilt route is absent');
  t.notOk(doc.paths['/api/keys'], 'so are later ones');
  t.equal(Object.values(doc.paths).reduce((n: number, p) => n + Object.keys(p as object).length, 0), api.built.length);
  t.match(doc.paths['/api/jobs'].get.parameters, [{ name: 'status', in: 'query' }, { name: 'kind' }, { name: 'offset' }, { name: 'limit' }]);
});
