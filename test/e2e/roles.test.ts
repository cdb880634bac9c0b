// The role matrix (issue 4 acceptance): every route of shared/routes.ts — later ones
// included — × {admin, operator, reader, appender, no token, expired token, a local user
// that is not the daemon's (socket mode 0666, curl as uid 65534)} against a real cairnd,
// rate limits off. Expected: API.md's permission table: allowed = any status but 401/403
// (exactly 404 not-found on a route a later issue builds), else 401 bad_auth (no or bad
// credentials) or 403 forbidden (a role without the permission), with the error body.
// Bodies are minimal and mostly invalid (`[]`): only the auth outcome is asserted; names
// and ids that would act on something real are made up. The expired token comes from the
// injected access clock (access-fixture.ts). Then the appender's limits, explicitly.
import t, { type Test } from 'tap';
import { ROUTE_KEYS, routeSpec, type RouteKey } from '../../shared/routes.js';
import { roleAllows } from '../../daemon/access/index.js';
import { formatSnapshotRef } from '../../shared/snapshot-ref.js';
import { keyedDaemon, NO_LIMITS, pool, sock, tcp, type KeyedDaemon, type Reply } from './access-fixture.js';

type Who = 'admin' | 'operator' | 'reader' | 'appender' | 'none' | 'expired' | 'localuser';
const WHO: readonly Who[] = ['admin', 'operator', 'reader', 'appender', 'none', 'expired', 'localuser'];
const NOBODY_UID = 65534;

/** The URL of a route with made-up or real parameters. */
function urlOf(key: RouteKey, k: KeyedDaemon): string {
  const spec = routeSpec(key);
  const file = formatSnapshotRef(k.snapshot, `${k.src}/file.txt`);
  let url = spec.url
    .replace(':id', key.startsWith('snapshot') ? k.snapshot : 'no-such-id')
    .replace(':a', k.snapshot).replace(':b', k.snapshot)
    .replace(':name', 'no-such-repository')
    .replace(':download_id', '0'.repeat(32))
    .replace(/\*$/, file);
  if (key === 'repository.locatePathname') url += `?resource=${encodeURIComponent(`${k.src}/file.txt`)}`;
  if (key === 'search.locate') url += '?patterns=file.txt';
  return url;
}

/** What API.md's table says for `who` on `key`: 'allow', 401 or 403. */
function expected(key: RouteKey, who: Who): 'allow' | 401 | 403 {
  const permission = routeSpec(key).permission;
  if (permission === 'public') return 'allow';
  if (who === 'none' || who === 'expired' || who === 'localuser') return 401;
  return roleAllows(who, permission) ? 'allow' : 403;
}

async function call(k: KeyedDaemon, key: RouteKey, who: Who): Promise<Reply> {
  const spec = routeSpec(key);
  const url = urlOf(key, k);
  const o = {
    method: spec.method,
    ...(spec.method !== 'GET' ? { body: '[]' } : {}),
    ...(spec.produces === 'text/event-stream' ? { maxTime: 1 } : {}),
  };
  if (who === 'localuser') return sock(k.d, url, { ...o, uid: NOBODY_UID });
  const token = who === 'none' ? null : k.tokens[who];
  return tcp(k.d, url, { ...o, token });
}

t.test('one cairnd: a snapshot, a key per role, an expired key, a 0666 socket, no rate limits', async (t) => {
  const k = await keyedDaemon(t, { socket_mode: '0666', rate_limits: NO_LIMITS });
  await t.test('the role matrix: every route × every kind of caller', (t) => matrix(t, k));
  await t.test('the appender creates and lists snapshots, and nothing that reads contents, removes or prunes', (t) => appender(t, k));
});

async function matrix(t: Test, k: KeyedDaemon): Promise<void> {
  const cases = ROUTE_KEYS.flatMap((key) => WHO.map((who) => ({ key, who })));
  const started = Date.now();
  const replies = await pool(cases, 4, ({ key, who }) => call(k, key, who));
  const mismatches: string[] = [];
  const seen: Record<string, number> = {};
  cases.forEach(({ key, who }, i) => {
    const r = replies[i]!;
    const want = expected(key, who);
    const code = (r.json as { error?: { code?: string } } | null)?.error?.code;
    const got = `${r.status}${code ? ` ${code}` : ''}`;
    seen[`${who} ${r.status === 401 || r.status === 403 ? r.status : 'allow'}`] = (seen[`${who} ${r.status === 401 || r.status === 403 ? r.status : 'allow'}`] ?? 0) + 1;
    const line = `${who} ${routeSpec(key).method} ${routeSpec(key).url} (${key}): expected ${want}, got ${got}`;
    if (want === 'allow') {
      if (r.status === 401 || r.status === 403 || r.status === 0) mismatches.push(line);
      else if (routeSpec(key).issue === 'later' && (r.status !== 404 || code !== 'not-found')) mismatches.push(`${line} (a later route)`);
    } else if (r.status !== want || code !== (want === 401 ? 'bad_auth' : 'forbidden')) {
      mismatches.push(line);
    }
  });
  t.same(mismatches, [], `${cases.length} requests in ${Date.now() - started} ms: every outcome as API.md's table says`);
  t.comment(JSON.stringify(seen));
  // Each column refuses something and (except the credential-less ones) allows something.
  for (const who of ['operator', 'reader', 'appender'] as const) {
    t.ok((seen[`${who} allow`] ?? 0) > 0 && (seen[`${who} 403`] ?? 0) > 0, `${who}: some allowed, some 403`);
  }
  for (const who of ['none', 'expired', 'localuser'] as const) {
    t.equal(seen[`${who} 401`], ROUTE_KEYS.filter((x) => routeSpec(x).permission !== 'public').length, `${who}: 401 on every non-public route`);
  }
  t.equal(seen['admin allow'], ROUTE_KEYS.length, 'admin: everything');
  const expiredReply = replies[cases.findIndex((c) => c.key === 'info' && c.who === 'expired')]!;
  t.match(expiredReply.json, { error: { code: 'bad_auth', message: 'token expired' } }, 'the expired key is refused as expired');
}

async function appender(t: Test, k: KeyedDaemon): Promise<void> {
  const token = k.tokens.appender;
  const backup = await tcp(k.d, '/api/snapshots/create', { method: 'POST', token, body: { source: k.src } });
  t.equal(backup.status, 200, backup.body);
  const id = (backup.json as { snapshot_id: string }).snapshot_id;
  const list = await tcp(k.d, '/api/repository/snapshots', { token });
  t.equal(list.status, 200);
  t.ok((list.json as { items: Array<{ id: string }> }).items.some((s) => s.id === id), 'its snapshot is listed');
  t.equal((await tcp(k.d, `/api/snapshot/${id}`, { token })).status, 200, 'one snapshot');
  t.equal((await tcp(k.d, '/api/repository/info', { token })).status, 200, 'repository info');
  const ref = formatSnapshotRef(id, `${k.src}/file.txt`);
  const refused: Array<[string, string, unknown?]> = [
    ['GET', `/api/snapshot/reader/${ref}`], ['GET', `/api/files/cat/${ref}`], ['GET', `/api/files/digest/${ref}`],
    ['GET', `/api/snapshot/vfs/${id}`], ['GET', `/api/snapshot/vfs/children/${id}`], ['GET', `/api/snapshot/vfs/search/${id}?pattern=*`],
    ['GET', `/api/snapshots/${id}/diff/${id}`], ['GET', `/api/search/locate?patterns=*`],
    ['POST', `/api/snapshot/reader-sign-url/${ref}`, {}], ['POST', `/api/snapshot/vfs/downloader/${id}`, { files: ['/'] }],
    ['POST', `/api/snapshots/${id}/restore`, { destination: `${k.dir}/out` }],
    ['DELETE', '/api/snapshots/remove', { snapshot_ids: [id] }], ['POST', '/api/repository/prune', { apply: true }],
    ['POST', '/api/repository/maintenance', { operations: ['cleanup'] }], ['GET', '/api/repository/trash'],
    ['POST', `/api/snapshots/${id}/check`, {}], ['POST', '/api/keys', { name: 'mine', role: 'admin' }],
  ];
  for (const [method, path, body] of refused) {
    const r = await tcp(k.d, path, { method, token, ...(body !== undefined ? { body } : {}) });
    t.equal(r.status, 403, `${method} ${path}: 403`);
    t.match(r.json, { error: { code: 'forbidden' } });
  }
  const after = await tcp(k.d, '/api/repository/snapshots', { token: k.tokens.admin });
  t.ok((after.json as { items: Array<{ id: string }> }).items.some((s) => s.id === id), 'its snapshot is still there');
}
