// Several repositories through cairnd (API.md "Repositories", issue 4 "What to build" 6):
// get, rename, default, a new stored passphrase only once it unlocks, test, forget (never
// the data; the default only as the last one; not while its jobs run), all kept across a
// restart; `?repository=NAME` on every built route that acts on a repository (an unknown
// name is 404, and every such route takes the parameter); and `cairn repos …`.
import t from 'tap';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import type { TObject, TSchema } from '@sinclair/typebox';
import { ROUTE_KEYS, routeSpec } from '../../shared/routes.js';
import type {
  BackupResult, Info, RepositoryEntry, RepositoryList, RepositoryTestResult, SnapshotList,
} from '../../shared/schemas/index.js';
import { cairn, curlSock, startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { get, isError, post } from './api.js';

t.test('get, rename, default, passphrase, test, forget; kept across a restart; the CLI', async (t) => {
  const work = tmpDir(t);
  const dir = join(work, 'd');
  let d = await startCairnd(t, { dir });
  const src = join(work, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'f'), 'x');
  const two = join(work, 'two');

  const added = await post<RepositoryEntry>(d, '/api/repositories', { location: two, passphrase: 'two pass' });
  t.same(added.json, { name: 'two', location: `fs:${two}`, default: false });
  t.same((await get<RepositoryEntry>(d, '/api/repositories/two')).json, added.json);
  isError(t, await get(d, '/api/repositories/nope'), 404, 'not-found', 'an unknown name');

  const renamed = await post<RepositoryEntry>(d, '/api/repositories/two', { name: 'second' }, 'PUT');
  t.same(renamed.json, { name: 'second', location: `fs:${two}`, default: false });
  isError(t, await get(d, '/api/repositories/two'), 404, 'not-found', 'the old name');
  isError(t, await post(d, '/api/repositories/second', { name: 'repo' }, 'PUT'), 409, 'conflict', 'a name taken');
  isError(t, await post(d, '/api/repositories/second', { name: '../x' }, 'PUT'), 400, 'invalid_params', 'a bad name');
  const wrong = await post(d, '/api/repositories/second', { passphrase: 'not it' }, 'PUT');
  const p = isError(t, wrong, 422, 'unprocessable', 'a passphrase that does not unlock');
  t.ok(p.passphrase, 'params.passphrase');
  t.equal((await post(d, '/api/repositories/second', { passphrase: 'two pass' }, 'PUT')).status, 200, 'one that unlocks');
  const tested = await post<RepositoryTestResult>(d, '/api/repositories/second/test', {});
  t.equal(tested.status, 200);
  t.equal(tested.json.ok, true);
  t.ok(tested.json.latency_ms > 0);
  t.notOk('error' in tested.json);

  const b = await post<BackupResult>(d, '/api/snapshots/create?repository=second', { source: src });
  t.equal(b.status, 200, b.text);
  t.equal((await get<SnapshotList>(d, '/api/repository/snapshots?repository=second')).json.total, 1);
  t.equal((await get<SnapshotList>(d, '/api/repository/snapshots')).json.total, 0, 'the default repository is untouched');

  isError(t, await post(d, '/api/repositories/repo', { default: false }, 'PUT'), 409, 'conflict', 'un-defaulting the default');
  const def = await post<RepositoryEntry>(d, '/api/repositories/second', { default: true }, 'PUT');
  t.equal(def.json.default, true);
  t.equal((await get<SnapshotList>(d, '/api/repository/snapshots')).json.total, 1, 'routes now act on the new default');
  isError(t, await post(d, '/api/repositories/second', {}, 'DELETE'), 409, 'conflict', 'forgetting the default while another exists');

  await d.stop();
  d = await startCairnd(t, { dir });
  // `--repo` (as startCairnd passes it) makes its repository the default again at each start.
  t.same((await get<RepositoryList>(d, '/api/repositories')).json.items, [
    { name: 'repo', location: `fs:${d.repo}`, default: true }, { name: 'second', location: `fs:${two}`, default: false },
  ], 'the registry survived the restart');
  t.equal((await get<SnapshotList>(d, '/api/repository/snapshots?repository=second')).json.total, 1);

  // The CLI: default, test, rename, set-passphrase, forget, add again.
  const passFile = join(work, 'pass');
  writeFileSync(passFile, 'two pass\n');
  let r = await cairn(d, ['repos', 'default', 'second']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, 'the default is now second');
  t.equal((await get<SnapshotList>(d, '/api/repository/snapshots')).json.total, 1);
  r = await cairn(d, ['repos', 'default', 'repo']);
  t.equal(r.code, 0, r.stderr);
  r = await cairn(d, ['repos', 'test', 'second', '--json']);
  t.equal(JSON.parse(r.stdout).ok, true);
  r = await cairn(d, ['repos', 'rename', 'second', 'other', '--json']);
  t.same(JSON.parse(r.stdout), { name: 'other', location: `fs:${two}`, default: false });
  r = await cairn(d, ['repos', 'set-passphrase', 'other', '--passphrase-file', passFile]);
  t.equal(r.code, 0, r.stderr);
  r = await cairn(d, ['repos', 'forget', 'other']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, `forgot other; its data stays at fs:${two}`);
  t.ok(existsSync(join(two, 'config')), 'the data stays');
  isError(t, await get(d, '/api/repository/snapshots?repository=other'), 404, 'not-found', 'a forgotten repository');
  r = await cairn(d, ['repos', 'add', two, '--no-create', '--name', 'back', '--passphrase-file', passFile]);
  t.equal(r.code, 0, r.stderr);
  t.equal((await get<SnapshotList>(d, '/api/repository/snapshots?repository=back')).json.total, 1, 'registered again, its snapshots are there');
  r = await cairn(d, ['repos']);
  t.match(r.stdout, /\*\s+repo\s/);
  t.match(r.stdout, /\n\s+back\s/);
  r = await cairn(d, ['repos', 'test', 'nope']);
  t.equal(r.code, 1);
  t.match(r.stderr, /no repository named nope/);
});

/** Routes whose URL names something in a repository: they must take `?repository=`. */
const ACTS_ON_A_REPOSITORY = /^\/api\/(snapshot|snapshots|repository|files|search)\//;
/** …except: creating one (it names its location), and downloads (the download id holds the repository). */
const EXEMPT = new Set(['repository.create', 'snapshot.downloaderSignUrl']);

const filled = (schema: TSchema | undefined): Record<string, unknown> => {
  if (!schema) return {};
  try {
    return Value.Create(schema) as Record<string, unknown>;
  } catch {
    return {};
  }
};

t.test('?repository=NAME: every built route acting on a repository takes it; an unknown name is 404', async (t) => {
  const work = tmpDir(t);
  const d = await startCairnd(t, { dir: join(work, 'd') });
  const src = join(work, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'f.txt'), 'x');
  const b = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  const id = b.json.snapshot_id;
  const info = await get<Info>(d, '/api/info');
  t.equal(info.status, 200);
  const openapi = await get<{ paths: Record<string, Record<string, { operationId: string }>> }>(d, '/api/openapi.json');
  const built = new Set(Object.values(openapi.json.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId)));

  /** Bodies that pass validation, so the request reaches the repository lookup. */
  const bodies: Record<string, unknown> = {
    'snapshots.create': { source: src }, 'snapshots.restore': { destination: join(work, 'out') }, 'snapshots.check': {},
    'repository.check': {}, 'repository.maintenance': { operations: ['cleanup'] }, 'snapshots.remove': { snapshot_ids: [id] },
    'snapshots.undelete': { snapshot_ids: [id] }, 'snapshot.downloader': { files: ['/'], format: 'zip' },
    'snapshot.readerSignUrl': {},
  };
  const missing: string[] = [];
  for (const key of ROUTE_KEYS) {
    const spec = routeSpec(key);
    if (!built.has(key) || EXEMPT.has(key) || !ACTS_ON_A_REPOSITORY.test(spec.url)) continue;
    const qs = spec.schema?.querystring as TObject | undefined;
    if (!qs?.properties?.repository) {
      missing.push(key);
      continue;
    }
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(filled(qs))) if (v !== undefined && v !== '' && typeof v !== 'object') query.set(k, String(v));
    if (qs.properties.resource) query.set('resource', src);
    if (qs.properties.patterns) query.set('patterns', '*.txt');
    if (qs.properties.pattern) query.set('pattern', '*.txt');
    query.set('repository', 'nope');
    const url = spec.url.replace(/:([A-Za-z_]+)/g, (_, p: string) => (p === 'a' || p === 'b' || p === 'id' ? id : 'x'))
      .replace(/\*$/, `${id}:/`) + `?${query.toString()}`;
    const body = spec.method === 'GET' ? null : JSON.stringify(bodies[key] ?? filled(spec.schema?.body));
    const r = await curlSock(d, ['-X', spec.method, ...(body !== null ? ['-H', 'content-type: application/json', '--data-binary', body] : []), url]);
    const e = (r.json as { error?: { code?: string; params?: Record<string, unknown> } } | null)?.error;
    t.equal(r.status, 404, `${key}: ${spec.method} ${url} → 404 (${r.stdout.slice(0, 200)})`);
    t.equal(e?.code, 'not-found', `${key}: not-found`);
    t.equal(e?.params?.repository, 'nope', `${key}: names the unknown repository`);
  }
  t.same(missing, [], 'every built route acting on a repository has ?repository= in its query schema');
  t.equal((await get<SnapshotList>(d, '/api/repository/snapshots')).json.total, 1, 'nothing was done to the default one');
});
