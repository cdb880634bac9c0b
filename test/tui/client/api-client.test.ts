// tui/client/api-client.ts and api-error.ts: URLs, query strings, error bodies, and a
// typed call over a real Unix socket.
import { createServer } from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import { tmpDir } from '../../helpers/tmp.js';
import { ApiClient, ApiError, apiErrorFrom, ConnectionError, fillUrl, queryString } from '../../../tui/client/index.js';

t.test('fillUrl encodes :params and keeps a * reference as given', async (t) => {
  t.equal(fillUrl('/api/jobs/:id/cancel', { id: 'a b/c' }), '/api/jobs/a%20b%2Fc/cancel');
  t.equal(fillUrl('/api/snapshot/vfs/children/*', { '*': 'abcd:/x%20y' }), '/api/snapshot/vfs/children/abcd:/x%20y');
  t.throws(() => fillUrl('/api/jobs/:id', {}), TypeError);
});

t.test('queryString repeats arrays and leaves out empty values', async (t) => {
  t.equal(queryString({ a: 1, b: true, tag: ['x', 'y z'], c: undefined, d: null, e: '' }), '?a=1&b=true&tag=x&tag=y+z');
  t.equal(queryString({}), '');
  t.equal(queryString(undefined), '');
});

t.test('apiErrorFrom reads API.md error bodies and survives others', async (t) => {
  const e = apiErrorFrom(422, JSON.stringify({ error: { code: 'unprocessable', message: 'wrong\npassphrase', params: { passphrase: {} } } }));
  t.equal(e.status, 422);
  t.equal(e.code, 'unprocessable');
  t.equal(e.message, 'wrong passphrase');
  t.same(e.params, { passphrase: {} });
  const odd = apiErrorFrom(409, JSON.stringify({ error: { code: 'weird', message: 'x' } }));
  t.equal(odd.code, 'conflict');
  t.same(odd.params, {});
  t.equal(apiErrorFrom(503, '').message, 'HTTP 503');
  t.equal(apiErrorFrom(500, 'oops').code, 'internal-error');
});

t.test('request and startJob against a server on a Unix socket', async (t) => {
  const dir = tmpDir(t);
  const sock = join(dir, 's.sock');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/api/repository/info')) {
      res.statusCode = 503;
      res.end(JSON.stringify({ error: { code: 'unavailable', message: 'index rebuilding', params: {} } }));
    } else if (req.url?.startsWith('/api/repository/maintenance')) {
      res.statusCode = 202;
      res.end(JSON.stringify({ job: { id: 'm1', status: 'pending' } }));
    } else res.end(JSON.stringify({ total: 0, items: [] }));
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  const client = new ApiClient({ endpoint: { kind: 'unix', socketPath: sock }, token: 'tk', repository: 'nas' });
  t.teardown(() => client.close());
  const list = await client.request('repositories.list');
  t.equal(list.total, 0);
  await t.rejects(client.request('repository.info'), new ApiError(503, 'unavailable', 'index rebuilding'));
  const job = await client.startJob('repository.maintenance', { body: { operations: ['cleanup'] } });
  t.equal(job.id, 'm1');
  t.same(seen, [
    'GET /api/repositories Bearer tk',
    'GET /api/repository/info?repository=nas Bearer tk',
    'POST /api/repository/maintenance?async=true&repository=nas Bearer tk',
  ]);
});

t.test('no server: a ConnectionError naming the socket', async (t) => {
  const dir = tmpDir(t);
  const client = new ApiClient({ endpoint: { kind: 'unix', socketPath: join(dir, 'gone.sock') } });
  t.teardown(() => client.close());
  const err = await client.request('jobs.list').catch((e: unknown) => e);
  t.type(err, ConnectionError);
  t.equal((err as Error).message, `cannot connect to cairnd at ${join(dir, 'gone.sock')}: no such socket`);
});
