// Rate limits through the real API hooks on a real TCP listener, with an injected clock:
// each limit (auth failures per address, reads and writes per key or per address) answers
// 429 rate-limited with Retry-After and API.md's error body, resets after the window, and
// never applies on the Unix socket; 0 turns a limit off.
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { Access, type RateLimits } from '../../../daemon/access/index.js';
import { createApi, keyHandlers, metaHandlers } from '../../../daemon/api/index.js';
import { DEFAULTS } from '../../../daemon/config/index.js';
import { JobManager } from '../../../daemon/jobs/index.js';
import { curl, FakeClock, type CurlResult } from '../../helpers/daemon.js';
import { tmpDir } from '../../helpers/tmp.js';

interface T { teardown(fn: () => void | Promise<void>): void }

async function serve(t: T, rateLimits: RateLimits) {
  const stateDir = tmpDir(t, 'cairn-rl-');
  const clock = new FakeClock();
  const jobs = await JobManager.open({ dir: join(stateDir, 'jobs') });
  const access = await Access.open({ stateDir, clock, rateLimits, ownUid: process.getuid!() });
  const api = createApi({
    access, jobs, version: '0.0.0-test', http: { ...DEFAULTS.http },
    handlers: { ...metaHandlers({ version: '0.0.0-test', repositoryId: () => null }), ...keyHandlers(access) },
  });
  const l = await api.listen({ socket: { path: join(stateDir, 'cairn.sock'), mode: 0o600, group: null }, tcp: { host: '127.0.0.1', port: 0 } });
  t.teardown(async () => {
    await l.close();
    await jobs.close();
    await api.app.close();
    await access.close();
  });
  const admin = access.keys.list()[0]!;
  const adminToken = (await access.keys.rotate(admin.id)).token;
  const key = async (name: string) => (await access.keys.create({ name, role: 'operator', expiresAt: null, paths: [] })).token;
  const base = `http://${l.tcpAddress}`;
  const get = (path: string, token?: string): Promise<CurlResult> =>
    curl([...(token ? ['-H', `authorization: Bearer ${token}`] : []), base + path]);
  const post = (path: string, body: unknown, token: string): Promise<CurlResult> =>
    curl(['-X', 'POST', '-H', `authorization: Bearer ${token}`, '-H', 'content-type: application/json', '--data-binary', JSON.stringify(body), base + path]);
  const sock = (path: string): Promise<CurlResult> => curl(['--unix-socket', l.socketPath!, `http://cairn${path}`]);
  return { clock, access, adminToken, key, get, post, sock };
}

function limited(t: Test, r: CurlResult, retryAfter: number, what: string): void {
  t.equal(r.status, 429, `${what}: 429`);
  t.equal(r.headers['retry-after'], String(retryAfter), `${what}: Retry-After ${retryAfter}`);
  const body = JSON.parse(r.body) as { error: { code: string; message: string; params: Record<string, unknown> } };
  t.equal(body.error.code, 'rate-limited', `${what}: code`);
  t.equal(typeof body.error.message, 'string');
}

t.test('auth failures per address: 429 with Retry-After, even with a good token, until the window passes', async (t) => {
  const s = await serve(t, { auth_failures_per_min: 3, reads_per_min: 0, writes_per_min: 0 });
  for (let i = 0; i < 3; i++) t.equal((await s.get('/api/info', 'wrong-token')).status, 401, `failure ${i + 1}`);
  limited(t, await s.get('/api/info', 'wrong-token'), 20, 'a 4th wrong token');
  limited(t, await s.get('/api/info', s.adminToken), 20, 'a good token from that address');
  limited(t, await s.get('/api/info'), 20, 'no token');
  t.equal((await s.sock('/api/info')).status, 200, 'the socket is not limited');
  s.clock.advance(19_000);
  limited(t, await s.get('/api/info', s.adminToken), 1, '1 s before');
  s.clock.advance(1_000);
  t.equal((await s.get('/api/info', s.adminToken)).status, 200, 'after 20 s: one more attempt');
  t.equal((await s.get('/api/info')).status, 401, 'a missing token counts as a failure');
  t.equal((await s.get('/api/info', s.adminToken)).status, 429);
  s.clock.advance(60_000);
  for (let i = 0; i < 3; i++) t.equal((await s.get('/api/info', 'wrong')).status, 401, `after the window, failure ${i + 1}`);
  t.equal((await s.get('/api/info', 'wrong')).status, 429);
});

t.test('reads per key and per address without a token; the socket is never limited', async (t) => {
  const s = await serve(t, { auth_failures_per_min: 0, reads_per_min: 4, writes_per_min: 0 });
  const a = await s.key('a');
  const b = await s.key('b');
  for (let i = 0; i < 4; i++) t.equal((await s.get('/api/info', a)).status, 200, `key a read ${i + 1}`);
  limited(t, await s.get('/api/info', a), 15, 'key a 5th read');
  t.equal((await s.get('/api/info', b)).status, 200, 'key b has its own budget');
  for (let i = 0; i < 4; i++) t.equal((await s.get('/api/health')).status, 200, `no token, read ${i + 1}`);
  limited(t, await s.get('/api/health'), 15, 'no token: per address');
  t.equal((await s.post('/api/keys', { name: 'w', role: 'reader' }, a)).status, 403, 'writes are counted apart (and 403 here)');
  for (let i = 0; i < 10; i++) t.equal((await s.sock('/api/info')).status, 200, `socket read ${i + 1}`);
  s.clock.advance(15_000);
  t.equal((await s.get('/api/info', a)).status, 200, 'after 15 s one more');
  limited(t, await s.get('/api/info', a), 15, 'and only one');
  s.clock.advance(60_000);
  for (let i = 0; i < 4; i++) t.equal((await s.get('/api/info', a)).status, 200, `after the window, read ${i + 1}`);
});

t.test('writes per key; reads unaffected; 0 turns a limit off', async (t) => {
  const s = await serve(t, { auth_failures_per_min: 0, reads_per_min: 0, writes_per_min: 2 });
  t.equal((await s.post('/api/keys', { name: 'w1', role: 'reader' }, s.adminToken)).status, 200);
  t.equal((await s.post('/api/keys', { name: 'w2', role: 'reader' }, s.adminToken)).status, 200);
  const r = await s.post('/api/keys', { name: 'w3', role: 'reader' }, s.adminToken);
  limited(t, r, 30, 'the 3rd write');
  t.notOk(s.access.keys.list().some((k) => k.name === 'w3'), 'the refused write did nothing');
  for (let i = 0; i < 10; i++) if ((await s.get('/api/info', s.adminToken)).status !== 200) t.fail(`read ${i} refused`);
  for (let i = 0; i < 10; i++) if ((await s.get('/api/info', 'wrong')).status !== 401) t.fail(`failure ${i} limited`);
  s.clock.advance(30_000);
  t.equal((await s.post('/api/keys', { name: 'w3', role: 'reader' }, s.adminToken)).status, 200, 'after 30 s');
});
