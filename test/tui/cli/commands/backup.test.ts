// tui/cli/commands/backup.ts, run for real (`node bin/cairn.cjs backup`) against a fake
// cairnd: the request it sends, following the job, output and exit codes.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { makeJob, sendError, sendJson, serveJob, setup } from '../../fake-cairnd.js';

const RESULT = {
  snapshot_id: '0123abcd'.repeat(8), timestamp: '2024-05-01T12:00:01.000Z',
  summary: { files: 3, directories: 2, symlinks: 1, size: 3 * 1024 * 1024, stored_size: 1024, errors: 0, duration_ms: 1500 },
  errors: [] as Array<{ path: string; message: string }>,
};

t.test('sends absolute sources (final symlink kept), tags and excludes, then follows the job', async (t) => {
  const { dir, fake, cairn } = await setup(t, tmpDir);
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  writeFileSync(join(dir, 'ex.txt'), '# comment\n\n*.tmp\n  /abs/skip  \n#another\r\nnode_modules\n');
  serveJob(fake, 'POST /api/snapshots/create', makeJob('j1', { status: 'success', result: RESULT }));

  const r = await cairn(['backup', 'data', 'link', '../elsewhere', '--tag', 'daily', '--tag', 'x y',
    '--exclude', '*.iso', '--exclude-file', 'ex.txt', '--exclude-caches', '--one-file-system']);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stderr, '');
  t.match(r.stdout, /^snapshot 0123abcd saved: 3 files, 2 directories, 3\.000 MiB \(1\.000 KiB added\) in 0:02\n$/);

  const create = fake.requests.find((q) => q.path === '/api/snapshots/create')!;
  t.equal(create.method, 'POST');
  t.equal(create.query.get('async'), 'true');
  t.equal(create.headers['content-type'], 'application/json');
  t.same(create.body, {
    source: [join(dir, 'data'), join(dir, 'link'), resolve(dir, '../elsewhere')],
    tags: ['daily', 'x y'],
    excludes: ['*.iso', '*.tmp', '/abs/skip', 'node_modules'],
    exclude_caches: true,
    one_file_system: true,
  });
  t.same(fake.requests.map((q) => `${q.method} ${q.path}`),
    ['POST /api/snapshots/create', 'GET /api/jobs/j1/stream', 'GET /api/jobs/j1']);
  t.equal(fake.requests[1]!.headers.accept, 'text/event-stream');
});

t.test('one path is still sent as an array; --repo adds ?repository=', async (t) => {
  const { dir, fake, run } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/snapshots/create', makeJob('j1', { status: 'success', result: RESULT }));
  const r = await run(['--repo', 'offsite', 'backup', '.']);
  t.equal(r.code, 0, r.stderr);
  const create = fake.requests[0]!;
  t.same((create.body as { source: unknown }).source, [dir]);
  t.equal(create.query.get('repository'), 'offsite');
});

t.test('--json prints exactly the result JSON', async (t) => {
  const { fake, cairn } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/snapshots/create', makeJob('j1', { status: 'success', result: RESULT }));
  const r = await cairn(['backup', '--json', 'a']);
  t.equal(r.code, 0, r.stderr);
  t.same(JSON.parse(r.stdout), RESULT);
  t.equal(r.stdout, JSON.stringify(RESULT, null, 2) + '\n');
  t.equal(r.stderr, '');
});

t.test('a snapshot saved with errors exits 3', async (t) => {
  const { fake, cairn, run } = await setup(t, tmpDir);
  const result = { ...RESULT, errors: [{ path: '/data/locked', message: 'permission denied' }] };
  serveJob(fake, 'POST /api/snapshots/create', makeJob('j1', { status: 'success', result }));
  const r = await cairn(['backup', 'data']);
  t.equal(r.code, 3);
  t.match(r.stdout, /^snapshot 0123abcd saved/);
  t.match(r.stderr, 'error: /data/locked: permission denied\n');
  t.match(r.stderr, /cairn: snapshot 0123abcd saved, but 1 entries could not be read\n$/);

  const j = await run(['--json', 'backup', 'data']);
  t.equal(j.code, 3);
  t.same(JSON.parse(j.stdout), result);
});

t.test('a failed job is one line with its message, exit 1', async (t) => {
  const { fake, run } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/snapshots/create', makeJob('j1', {
    status: 'failed', error: { code: 'unavailable', message: 'repository main is being rebuilt', params: {} },
  }));
  const r = await run(['backup', 'data']);
  t.equal(r.code, 1);
  t.equal(r.stdout, '');
  t.equal(r.stderr, 'cairn: repository main is being rebuilt\n');
});

t.test('a refused request (4xx before any job) is the API message, exit 1', async (t) => {
  const { fake, run } = await setup(t, tmpDir);
  fake.on('POST /api/snapshots/create', (_q, res) => sendError(res, 400, 'invalid_params',
    'source: /nope does not exist', { source: { code: 'invalid_argument', message: '/nope does not exist' } }));
  const r = await run(['backup', '/nope']);
  t.equal(r.code, 1);
  t.equal(r.stderr, 'cairn: source: /nope does not exist\n');
  t.equal(fake.requests.length, 1);
});

t.test('an unreadable exclude file is one line, exit 1, and nothing is sent', async (t) => {
  const { fake, run } = await setup(t, tmpDir);
  const r = await run(['backup', 'data', '--exclude-file', 'missing.txt']);
  t.equal(r.code, 1);
  t.match(r.stderr, /^cairn: cannot read exclude file .*missing\.txt: ENOENT\n$/);
  t.equal(fake.requests.length, 0);
});

t.test('--no-wait prints the job and exits 0 without following it', async (t) => {
  const { fake, run } = await setup(t, tmpDir);
  fake.on('POST /api/snapshots/create', (_q, res) => sendJson(res, 202, { job: makeJob('j9') }));
  const r = await run(['backup', 'data', '--no-wait']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /^job j9 started/);
  const j = await run(['backup', 'data', '--no-wait', '--json']);
  t.equal(j.code, 0);
  t.same(JSON.parse(j.stdout), { job: makeJob('j9') });
  t.same(fake.requests.map((q) => q.path), ['/api/snapshots/create', '/api/snapshots/create']);
});

t.test('a stream that drops before `end` falls back to waiting for the job', async (t) => {
  const { fake, run } = await setup(t, tmpDir);
  fake.on('POST /api/snapshots/create', (_q, res) => sendJson(res, 202, { job: makeJob('j1') }));
  fake.on('GET /api/jobs/j1/stream', (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`event: progress\ndata: ${JSON.stringify(makeJob('j1'))}\n\n`);
  });
  fake.on('GET /api/jobs/j1', (_q, res) => sendJson(res, 200, makeJob('j1')));
  fake.on('GET /api/jobs/j1/wait', (_q, res) => sendJson(res, 200, makeJob('j1', { status: 'success', result: RESULT })));
  const r = await run(['backup', 'data']);
  t.equal(r.code, 0, r.stderr);
  t.same(fake.requests.map((q) => q.path),
    ['/api/snapshots/create', '/api/jobs/j1/stream', '/api/jobs/j1', '/api/jobs/j1/wait']);
});

t.test('Ctrl-C while following exits 130, names the job and does not cancel it', async (t) => {
  const { fake, cairn } = await setup(t, tmpDir);
  fake.on('POST /api/snapshots/create', (_q, res) => sendJson(res, 202, { job: makeJob('j1') }));
  fake.on('GET /api/jobs/j1/stream', (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`event: progress\ndata: ${JSON.stringify(makeJob('j1'))}\n\n`); // and never ends
  });
  const r = await cairn(['backup', 'data'], undefined, (child) => {
    void fake.waitFor('GET /api/jobs/j1/stream').then(() => child.kill('SIGINT'));
  });
  t.equal(r.code, 130, r.stderr);
  t.equal(r.stderr, 'cairn: interrupted; job j1 keeps running in cairnd (cancel it with: cairn cancel j1)\n');
  t.equal(r.stdout, '');
  t.notOk(fake.requests.some((q) => q.path.endsWith('/cancel')));
});
