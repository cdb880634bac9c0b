// The contract test (issue 4 acceptance 1): a real cairnd with snapshots of a small tree;
// every built route is called with valid input by curl, over the Unix socket and over TCP
// with the admin bearer token, and each answer's status and body are checked against the
// /api/openapi.json the daemon serves (its response schemas compiled with ajv; JSON
// routes by content, byte and event-stream routes by their declared content type). The
// served document must equal what daemon/api/openapi.ts makes of shared/routes.ts, and
// the routes it describes must be exactly the table's routes of issues 3 and 4, each one
// called here on both transports (a route built later without a call here fails).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t, { type Test } from 'tap';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { buildOpenApi } from '../../daemon/api/index.js';
import { ROUTE_KEYS, routeSpec, type RouteKey } from '../../shared/routes.js';
import { startCairnd, type Cairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';

// ajv is CommonJS: its class is both the module and the module's `default`.
const Ajv2020 = Ajv2020Module.default;

type Transport = 'unix' | 'tcp';

interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
  text: string;
  json: unknown;
  /** curl's exit code (28: stopped by --max-time, for endless event streams). */
  exit: number;
}

interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** Extra curl arguments. */
  curl?: string[];
}

function curl(d: Cairnd, via: Transport, c: Call): Promise<Answer> {
  const method = c.method ?? 'GET';
  const args = ['-sS', '-X', method, '-w', '\n%{http_code} %{content_type}', ...(c.curl ?? [])];
  if (c.body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', JSON.stringify(c.body));
  if (via === 'unix') args.push('--unix-socket', d.socket, `http://cairn${c.path}`);
  else args.push('-H', `authorization: Bearer ${d.token()}`, `http://${d.tcp}${c.path}`);
  return new Promise((resolve) => {
    execFile('curl', args, { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout) => {
      const i = stdout.lastIndexOf(0x0a);
      const [status, contentType = ''] = stdout.subarray(i + 1).toString().split(' ');
      const body = stdout.subarray(0, i);
      const text = body.toString();
      let json: unknown = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      const exit = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ status: Number(status), contentType, body, text, json, exit });
    });
  });
}

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}
interface OpenApiDoc {
  info: { version: string };
  components: { schemas: { Error: Record<string, unknown> } };
  paths: Record<string, Record<string, Operation>>;
}

t.test('every built route, on the socket and on TCP, answers as /api/openapi.json says', async (t) => {
  const work = tmpDir(t);
  const config = join(work, 'cairnd.json');
  writeFileSync(config, JSON.stringify({ rate_limits: { auth_failures_per_min: 0, reads_per_min: 0, writes_per_min: 0 } }));
  const d = await startCairnd(t, { args: ['--config', config] });

  const src = join(work, 'src');
  mkdirSync(join(src, 'docs'), { recursive: true });
  mkdirSync(join(src, 'sub', 'deep'), { recursive: true });
  writeFileSync(join(src, 'docs', 'a.txt'), 'alpha\nbeta\n');
  writeFileSync(join(src, 'docs', 'b.md'), '# title\n');
  writeFileSync(join(src, 'c.txt.gz'), gzipSync('compressed text\n'));
  writeFileSync(join(src, 'sub', 'deep', 'x.bin'), Buffer.from([0, 1, 2, 3, 255]));
  const backup = async (): Promise<string> => {
    const r = await curl(d, 'unix', { method: 'POST', path: '/api/snapshots/create', body: { source: src } });
    t.equal(r.status, 200, r.text.slice(0, 300));
    return (r.json as { snapshot_id: string }).snapshot_id;
  };
  const other = join(work, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'o.txt'), 'other');
  const bigDir = join(work, 'big');
  mkdirSync(bigDir);
  writeFileSync(join(bigDir, 'random.bin'), randomBytes(32 << 20));
  const s1 = await backup();
  writeFileSync(join(src, 'docs', 'a.txt'), 'alpha\ngamma\n');
  const s2 = await backup();
  const s3 = await backup(); // moved to the trash and back by each transport

  // The document: served on both transports, equal to what the schemas make.
  const served = await curl(d, 'unix', { path: '/api/openapi.json' });
  t.equal(served.status, 200);
  const doc = served.json as OpenApiDoc;
  const ops = new Map<string, Operation>();
  for (const p of Object.values(doc.paths)) for (const op of Object.values(p)) ops.set(op.operationId, op);
  const described = [...ops.keys()].sort();
  t.same(described, ROUTE_KEYS.filter((k) => routeSpec(k).issue !== 'later').sort(), 'it describes exactly the routes of issues 3 and 4');
  const built = [...ROUTE_KEYS.filter((k) => ops.has(k) && k !== 'openapi'), 'openapi'] as RouteKey[];
  t.same(doc, buildOpenApi(built, doc.info.version), 'the served document is what shared/routes.ts\'s schemas produce');
  t.same((await curl(d, 'tcp', { path: '/api/openapi.json' })).json, doc, 'the same on TCP');

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(doc.components.schemas.Error, '#/components/schemas/Error');
  const validators = new Map<string, ValidateFunction>();
  const validator = (key: RouteKey, status: number): ValidateFunction | null => {
    const op = ops.get(key)!;
    const declared = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`];
    const schema = declared?.content?.['application/json']?.schema;
    if (!schema) return null;
    const id = `${key} ${status}`;
    if (!validators.has(id)) {
      const s = schema.$ref === '#/components/schemas/Error' ? doc.components.schemas.Error : schema;
      validators.set(id, ajv.compile(s));
    }
    return validators.get(id)!;
  };

  const enc = encodeURIComponent;
  const ref = (snap: string, path: string): string => `${snap}:${enc(path)}`;
  const a = join(src, 'docs', 'a.txt');

  for (const via of ['unix', 'tcp'] as const) {
    t.test(via, async (t) => {
      const called = new Set<RouteKey>();
      /** Calls route `key`; checks status, content type and the body against its schema. */
      const check = async (tt: Test, key: RouteKey, c: Call, status = 200): Promise<Answer> => {
        const spec = routeSpec(key);
        const r = await curl(d, via, { method: spec.method, ...c });
        called.add(key);
        tt.equal(r.status, status, `${key} ${c.path}: status (${JSON.stringify(r.text.slice(0, 300))})`); // escaped: some answers are tar bytes
        const produces = spec.produces && status === 200 ? spec.produces : 'application/json';
        const declared = Object.keys(ops.get(key)!.responses[String(status)]?.content ?? {});
        tt.same(declared, [produces === 'application/octet-stream' ? '*/*' : produces], `${key}: declares ${produces}`);
        if (produces === 'application/octet-stream') tt.notMatch(r.contentType, /^application\/json/, `${key}: bytes`);
        else tt.match(r.contentType, new RegExp(`^${produces.replace(/[./]/g, '\\$&')}(;|$)`), `${key}: ${produces}`);
        const v = validator(key, r.status);
        if (produces === 'application/json') {
          if (tt.ok(v, `${key}: ${r.status} is declared`) && v) {
            const ok = v(r.json);
            tt.ok(ok, `${key}: the body matches the ${r.status} schema ${ok ? '' : JSON.stringify(v.errors?.slice(0, 3))}`);
          }
        } else {
          tt.notOk(v, `${key}: no JSON schema for ${produces}`);
        }
        return r;
      };
      const J = <T>(r: Answer): T => r.json as T;

      // Meta
      await check(t, 'info', { path: '/api/info' });
      await check(t, 'health', { path: '/api/health' });
      await check(t, 'openapi', { path: '/api/openapi.json' });
      const ev = await check(t, 'events', { path: '/api/events', curl: ['--max-time', '1'] });
      t.equal(ev.exit, 28, 'the event stream stays open until the client leaves');

      // Repositories
      const created = await check(t, 'repository.create', {
        path: '/api/repository/create', body: { location: join(work, `created-${via}`), passphrase: 'pw', name: `created-${via}` },
      });
      t.equal(J<{ name: string }>(created).name, `created-${via}`);
      await check(t, 'repository.info', { path: '/api/repository/info' });
      const list = await check(t, 'repository.snapshots', { path: '/api/repository/snapshots?sort=-Timestamp&limit=10' });
      t.ok(J<{ total: number }>(list).total >= 3);
      await check(t, 'repository.importerTypes', { path: '/api/repository/importer-types' });
      const versions = await check(t, 'repository.locatePathname', { path: `/api/repository/locate-pathname?resource=${enc(a)}` });
      t.ok(J<{ total: number }>(versions).total >= 2, 'every version of a.txt');
      await check(t, 'repository.check', { path: '/api/repository/check', body: {} });
      await check(t, 'repository.maintenance', { path: '/api/repository/maintenance', body: { operations: ['cleanup'] } });
      await check(t, 'repositories.list', { path: '/api/repositories' });
      const name = `extra-${via}`;
      await check(t, 'repositories.add', { path: '/api/repositories', body: { name, location: join(work, name), passphrase: 'pw', create: true } });
      await check(t, 'repositories.get', { path: `/api/repositories/${name}` });
      await check(t, 'repositories.update', { method: 'PUT', path: `/api/repositories/${name}`, body: { name: `${name}-2` } });
      const tested = await check(t, 'repositories.test', { path: `/api/repositories/${name}-2/test` });
      t.equal(J<{ ok: boolean }>(tested).ok, true);
      await check(t, 'repositories.delete', { path: `/api/repositories/${name}-2` });

      // Snapshots
      await check(t, 'snapshots.create', { path: '/api/snapshots/create', body: { source: other, tags: [via] } });
      await check(t, 'snapshot.get', { path: `/api/snapshot/${s1.slice(0, 8)}` });
      const vfs = await check(t, 'snapshot.vfs', { path: `/api/snapshot/vfs/${ref(s2, join(src, 'docs'))}` });
      t.equal(J<{ children_total: number }>(vfs).children_total, 2);
      await check(t, 'snapshot.children', { path: `/api/snapshot/vfs/children/${ref('latest', other)}?sort=-Size&limit=2` });
      const found = await check(t, 'snapshot.search', { path: `/api/snapshot/vfs/search/${ref(s2, src)}?pattern=*.txt` });
      t.equal(J<{ total: number }>(found).total, 1);
      await check(t, 'snapshot.errors', { path: `/api/snapshot/vfs/errors/${s2}` });
      await check(t, 'snapshot.chunks', { path: `/api/snapshot/vfs/chunks/${ref(s2, a)}` });
      const restoreTo = join(work, `restored-${via}`);
      await check(t, 'snapshots.restore', { path: `/api/snapshots/${s1}/restore`, body: { destination: restoreTo } });
      t.equal(readFileSync(join(restoreTo, a), 'utf8'), 'alpha\nbeta\n', 'restored');
      const checked = await check(t, 'snapshots.check', { path: `/api/snapshots/${s2}/check?async=true`, body: { fast: true } }, 202);
      const jobId = J<{ job: { id: string } }>(checked).job.id;
      const diff = await check(t, 'snapshots.diff', { path: `/api/snapshots/${s1}/diff/${s2}?path=${enc(a)}&highlight=true` });
      t.match(J<{ unified?: string }>(diff).unified, /-beta\n\+gamma/);
      await check(t, 'snapshots.remove', { method: 'DELETE', path: '/api/snapshots/remove', body: { snapshot_ids: [s3] } });
      const trash = await check(t, 'repository.trash', { path: '/api/repository/trash' });
      t.same(J<{ items: { id: string }[] }>(trash).items.map((i) => i.id), [s3]);
      await check(t, 'snapshots.undelete', { path: '/api/snapshots/undelete', body: { snapshot_ids: [s3] } });

      // Files
      const read = await check(t, 'snapshot.reader', { path: `/api/snapshot/reader/${ref(s1, a)}` });
      t.equal(read.text, 'alpha\nbeta\n');
      const signed = await check(t, 'snapshot.readerSignUrl', { path: `/api/snapshot/reader-sign-url/${ref(s1, a)}` });
      t.match(J<{ url: string }>(signed).url, /^\/api\/snapshot\/reader\/.*signature=/);
      const cat = await check(t, 'files.cat', { path: `/api/files/cat/${ref(s2, join(src, 'c.txt.gz'))}?decompress=true` });
      t.equal(cat.text, 'compressed text\n');
      const digest = await check(t, 'files.digest', { path: `/api/files/digest/${ref(s2, a)}?algorithm=SHA1` });
      t.equal(J<{ size: number }>(digest).size, 12);
      const prepared = await check(t, 'snapshot.downloader', { path: `/api/snapshot/vfs/downloader/${s2}`, body: { files: [join(src, 'docs')], format: 'tar' } });
      const dl = await check(t, 'snapshot.downloaderSignUrl', { path: J<{ download_url: string }>(prepared).download_url });
      t.ok(dl.body.includes(Buffer.from('alpha\ngamma\n')), 'the archive holds a.txt');
      const located = await check(t, 'search.locate', { path: '/api/search/locate?patterns=*.md&patterns=x.bin' });
      t.equal(J<{ total: number }>(located).total, 6, 'two names in three snapshots');

      // Jobs
      await check(t, 'jobs.wait', { path: `/api/jobs/${jobId}/wait?timeout=30` });
      await check(t, 'jobs.list', { path: '/api/jobs?limit=5' });
      await check(t, 'jobs.get', { path: `/api/jobs/${jobId}` });
      await check(t, 'jobs.logs', { path: `/api/jobs/${jobId}/logs` });
      const stream = await check(t, 'jobs.stream', { path: `/api/jobs/${jobId}/stream` });
      t.match(stream.text, /event: end/, 'an ended job\'s stream ends');
      // A backup of 32 MiB of random data runs long enough to be cancelled while it runs.
      const big = await check(t, 'snapshots.create', { path: '/api/snapshots/create?async=true', body: { source: bigDir } }, 202);
      const canceled = await check(t, 'jobs.cancel', { path: `/api/jobs/${J<{ job: { id: string } }>(big).job.id}/cancel` });
      t.match(J<{ status: string }>(canceled).status, /^(running|canceled)$/);
      const retried = await check(t, 'jobs.retry', { path: `/api/jobs/${jobId}/retry` }, 202);
      await check(t, 'jobs.wait', { path: `/api/jobs/${J<{ job: { id: string } }>(retried).job.id}/wait?timeout=30` });
      await check(t, 'history', { path: '/api/history?limit=5' });

      // Access
      await check(t, 'keys.list', { path: '/api/keys' });
      const key = await check(t, 'keys.create', { path: '/api/keys', body: { name: `k-${via}`, role: 'reader' } });
      const keyId = J<{ key: { id: string } }>(key).key.id;
      await check(t, 'keys.rotate', { path: `/api/keys/${keyId}/rotate` });
      await check(t, 'keys.delete', { path: `/api/keys/${keyId}` });

      t.same([...called].sort(), described, `every built route was called over ${via}`);
    });
  }
});
