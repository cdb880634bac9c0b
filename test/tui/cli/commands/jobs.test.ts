// tui/cli/commands/jobs.ts in-process against a fake cairnd: `jobs` and `cancel`.
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { makeJob, memIo, sendError, sendJson, setup } from '../../fake-cairnd.js';

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
