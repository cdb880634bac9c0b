// tui/cli/commands/jobs.ts and history.ts in-process against a fake cairnd: `jobs`,
// `cancel`, `jobs logs|wait|retry` and `history`.
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { makeJob, memIo, sendError, sendJson, serveJob, setup } from '../../fake-cairnd.js';

process.env.TZ = 'UTC'; // times are printed in local time

t.test('jobs lists a table; --status filters; --json is the API JSON', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const list = { total: 2, items: [makeJob('j2'), makeJob('j1', { kind: 'check', status: 'success', repository: null })] };
  fake.on('GET /api/jobs', (_q, res) => sendJson(res, 200, list));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', '--status', 'running'], io), 0, io.stderr.text);
  t.equal(fake.requests[0]!.query.get('status'), 'running');
  t.equal(io.stdout.text, [
    'ID  Kind    Status   Progress  Created              Repository',
    'j2  backup  running     50.0%  2024-05-01 12:00:00  main',
    'j1  check   success            2024-05-01 12:00:00',
    '',
  ].join('\n'));
  const json = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', '--json', '--repo', 'x'], json), 0);
  t.same(JSON.parse(json.stdout.text), list);
  t.equal(fake.requests[1]!.query.get('repository'), null, 'jobs are not per repository');
});

t.test('cancel posts to the job and prints its state', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/jobs/j1/cancel', (_q, res) => sendJson(res, 200, makeJob('j1', { status: 'canceled' })));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'cancel', 'j1'], io), 0, io.stderr.text);
  t.equal(io.stdout.text, 'job j1: canceled\n');
  t.equal(fake.requests[0]!.method, 'POST');

  const missing = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'cancel', 'nope/x'], missing), 1);
  t.equal(fake.requests[1]!.path, '/api/jobs/nope%2Fx/cancel');
  t.equal(missing.stderr.text, 'cairn: no route POST /api/jobs/nope%2Fx/cancel\n');
});

t.test('a job that was cancelled while followed ends with exit 1', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/repository/check', (_q, res) => sendJson(res, 202, { job: makeJob('c1', { kind: 'check' }) }));
  fake.on('GET /api/jobs/c1/stream', (_q, res) => sendError(res, 503, 'unavailable', 'restarting'));
  fake.on('GET /api/jobs/c1', (_q, res) => sendJson(res, 200, makeJob('c1', { kind: 'check', status: 'canceled' })));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'check'], io), 1);
  t.equal(io.stderr.text, 'cairn: job c1 was cancelled\n');
});

t.test('jobs logs prints one line per entry; --json is the API JSON; an unknown job is exit 1', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const logs = { items: [{ ts: '2024-05-01T12:00:01.000Z', level: 'warn', message: 'a\u001bb: unreadable' }, { ts: '2024-05-01T12:00:02.000Z', level: 'info', message: 'done' }] };
  fake.on('GET /api/jobs/j1/logs', (_q, res) => sendJson(res, 200, logs));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'logs', 'j1'], io), 0, io.stderr.text);
  t.equal(io.stdout.text, '2024-05-01 12:00:01  warn   a?b: unreadable\n2024-05-01 12:00:02  info   done\n', 'control characters shown as ?');
  const json = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'logs', 'j1', '--json'], json), 0);
  t.same(JSON.parse(json.stdout.text), logs);
  fake.on('GET /api/jobs/j2/logs', (_q, res) => sendError(res, 404, 'not-found', 'Job not found'));
  const missing = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'logs', 'j2'], missing), 1);
  t.equal(missing.stderr.text, 'cairn: Job not found\n');
});

t.test('jobs wait: repeats /wait until the job ends; exit 0 only for success; --timeout gives up', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  let calls = 0;
  fake.on('GET /api/jobs/j1/wait', (_q, res) => {
    calls++;
    sendJson(res, 200, calls < 3 ? makeJob('j1') : makeJob('j1', { status: 'failed', error: { code: 'unprocessable', message: 'bad', params: {} } }));
  });
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'wait', 'j1'], io), 1, 'a failed job is exit 1');
  t.equal(calls, 3);
  t.equal(io.stdout.text, 'job j1 (backup): failed: bad\n');
  t.equal(fake.requests[0]!.query.get('timeout'), '60');

  fake.on('GET /api/jobs/j2/wait', (_q, res) => sendJson(res, 200, makeJob('j2')));
  const short = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'wait', 'j2', '--timeout', '2'], short), 1);
  t.equal(short.stdout.text, 'job j2 (backup): still running\n');
  t.equal(fake.requests[fake.requests.length - 1]!.query.get('timeout'), '2');
  const bad = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'wait', 'j2', '--timeout', 'soon'], bad), 2, 'a bad --timeout is a usage error');
});

t.test('jobs retry: posts, follows the new job; --no-wait prints it', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const ended = makeJob('r1', { status: 'success', trigger: 'retry', result: { snapshot_id: 'x' } });
  serveJob(fake, 'POST /api/jobs/j1/retry', ended);
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'retry', 'j1'], io), 0, io.stderr.text);
  t.equal(io.stdout.text, 'job r1 (backup): success\n');
  t.equal(fake.requests[0]!.method, 'POST');
  const quick = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'retry', 'j1', '--no-wait', '--json'], quick), 0);
  t.equal(JSON.parse(quick.stdout.text).job.id, 'r1');
  fake.on('POST /api/jobs/j9/retry', (_q, res) => sendError(res, 409, 'conflict', 'only an ended job can be retried; this one is running'));
  const busy = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'jobs', 'retry', 'j9'], busy), 1);
  t.equal(busy.stderr.text, 'cairn: only an ended job can be retried; this one is running\n');
});

t.test('history: a table of ended jobs; filters travel as the query', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const list = {
    total: 3,
    items: [
      makeJob('h2', { kind: 'check', status: 'failed', started_at: '2024-05-01T12:00:00.000Z', ended_at: '2024-05-01T12:01:05.000Z', error: { code: 'internal-error', message: 'daemon stopped while the job was running', params: {} } }),
      makeJob('h1', { status: 'success', trigger: 'retry', started_at: '2024-05-01T12:00:00.000Z', ended_at: '2024-05-01T12:00:03.000Z' }),
    ],
  };
  fake.on('GET /api/history', (_q, res) => sendJson(res, 200, list));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'history', '--status', 'failed', '--kind', 'check', '--limit', '2'], io), 0, io.stderr.text);
  t.equal(fake.requests[0]!.url, '/api/history?limit=2&status=failed&kind=check');
  t.equal(io.stdout.text, [
    'ID  Kind    Status   Ended                Took  Trigger  Repository  Error',
    'h2  check   failed   2024-05-01 12:01:05  1:05  api      main        daemon stopped while the job was running',
    'h1  backup  success  2024-05-01 12:00:03  0:03  retry    main',
    '(2 of 3 jobs)',
    '',
  ].join('\n'));
  const bad = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'history', '--status', 'running'], bad), 2, 'only ended statuses');
});
