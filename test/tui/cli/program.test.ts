// tui/cli/program.ts run as `node bin/cairn.cjs`: usage errors, help, errors from the API
// and from the connection, where the client looks for cairnd and which token it sends.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tmpDir } from '../../helpers/tmp.js';
import { runCairn, runInProcess, sendError, sendJson, setup, startFakeCairnd } from '../fake-cairnd.js';

const JOBS = { total: 0, items: [] };

t.test('--help prints help on stdout and exits 0; --version too', async (t) => {
  const dir = tmpDir(t);
  const r = await runCairn(['--help'], { cwd: dir });
  t.equal(r.code, 0);
  t.match(r.stdout, /Usage: cairn/);
  t.match(r.stdout, /backup/);
  t.equal(r.stderr, '');
  const sub = await runInProcess(['restore', '--help'], dir);
  t.equal(sub.code, 0);
  t.match(sub.stdout, /--target <dir>/);
  const v = await runCairn(['--version'], { cwd: dir });
  t.equal(v.code, 0);
  t.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
});

t.test('bad flags, arguments and commands exit 2 with one line', async (t) => {
  const { fake, cairn, run } = await setup(t, tmpDir);
  const cases = [
    ['backup', '--frobnicate', 'x'], ['backup'], ['frobnicate'], ['ls'], ['ls', 'a', 'b'],
    ['check', '--read-data-subset', 'ten'], ['jobs', '--status', 'sleeping'], ['cancel'],
    ['--url', 'not a url', 'jobs'], ['--url', 'ftp://x', 'jobs'],
  ];
  // The first two as real processes, the rest in this process (the same runCli).
  const results = await Promise.all(cases.map((args, i) => (i < 2 ? cairn(args) : run(args))));
  for (const [i, args] of cases.entries()) {
    const r = results[i]!;
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, /^cairn: [^\n]+\n$/, `${args.join(' ')}: ${r.stderr}`);
    t.equal(r.stdout, '');
  }
  t.equal(fake.requests.length, 0);
});

t.test('an API error body becomes `cairn: message`, exit 1', async (t) => {
  const { fake, cairn } = await setup(t, tmpDir);
  fake.on('GET /api/repository/snapshots', (_q, res) => sendError(res, 404, 'not-found', 'no repository named "nas"'));
  const r = await cairn(['--repo', 'nas', 'snapshots']);
  t.equal(r.code, 1);
  t.equal(r.stdout, '');
  t.equal(r.stderr, 'cairn: no repository named "nas"\n');
  t.equal(fake.requests[0]!.query.get('repository'), 'nas');
  // Same with --json: nothing on stdout.
  const j = await cairn(['--json', 'snapshots']);
  t.equal(j.code, 1);
  t.equal(j.stdout, '');
});

t.test('an error answer that is not ours still ends in one line', async (t) => {
  const { fake, run } = await setup(t, tmpDir);
  fake.on('GET /api/jobs', (_q, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<h1>Bad\nGateway</h1>'); });
  const r = await run(['jobs']);
  t.equal(r.code, 1);
  t.equal(r.stderr, 'cairn: HTTP 502: <h1>Bad Gateway</h1>\n');
});

t.test('no daemon listening: one line naming the socket', async (t) => {
  const dir = tmpDir(t);
  const sock = join(dir, 'none.sock');
  const r = await runCairn(['--socket', sock, 'jobs'], { cwd: dir });
  t.equal(r.code, 1);
  t.equal(r.stderr, `cairn: cannot connect to cairnd at ${sock}: no such socket\n`);
  t.equal(r.stdout, '');

  const runtime = join(dir, 'run');
  mkdirSync(runtime);
  const d = await runInProcess(['jobs'], dir, { XDG_RUNTIME_DIR: runtime });
  t.equal(d.code, 1);
  t.match(d.stderr, /^cairn: cannot connect to cairnd: no daemon listening on [^\n]*run\/cairn\.sock, [^\n]*\.local\/state\/cairn\/cairn\.sock, \/run\/cairn\/cairn\.sock \(is cairnd running\? see --socket, --url\)\n$/);
});

t.test('the socket is found at $XDG_RUNTIME_DIR/cairn.sock, or from CAIRN_SOCKET', async (t) => {
  const dir = tmpDir(t);
  mkdirSync(join(dir, 'run'));
  const fake = await startFakeCairnd(join(dir, 'run', 'cairn.sock'));
  t.teardown(() => fake.close());
  fake.on('GET /api/jobs', (_q, res) => sendJson(res, 200, JOBS));
  const r = await runInProcess(['jobs'], dir, { XDG_RUNTIME_DIR: join(dir, 'run') });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout, 'no jobs\n');
  const e = await runInProcess(['jobs', '--json'], dir, { CAIRN_SOCKET: 'run/cairn.sock' });
  t.equal(e.code, 0, e.stderr);
  t.same(JSON.parse(e.stdout), JOBS);
  t.equal(fake.requests.length, 2);
  // On the Unix socket the admin token file is not read, so no Authorization is sent.
  t.equal(fake.requests[0]!.headers.authorization, undefined);
});

t.test('--url: the token from CAIRN_TOKEN, --token, or the admin token file, as Bearer', async (t) => {
  const dir = tmpDir(t);
  const fake = await startFakeCairnd(null);
  t.teardown(() => fake.close());
  fake.on('GET /api/jobs', (_q, res) => sendJson(res, 200, JOBS));
  const url = `http://127.0.0.1:${fake.port}`;

  let r = await runCairn(['--url', url, 'jobs'], { cwd: dir, env: { CAIRN_TOKEN: 'env-token-1' } });
  t.equal(r.code, 0, r.stderr);
  t.equal(fake.requests.at(-1)!.headers.authorization, 'Bearer env-token-1');

  r = await runInProcess(['jobs', '--token', 'flag-token'], dir, { CAIRN_URL: url, CAIRN_TOKEN: 'env-token-1' });
  t.equal(r.code, 0, r.stderr);
  t.equal(fake.requests.at(-1)!.headers.authorization, 'Bearer flag-token');

  const state = join(dir, 'state', 'cairn');
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, 'admin.token'), 'fileToken42\n', { mode: 0o600 });
  r = await runInProcess(['--url', url, 'jobs'], dir, { XDG_STATE_HOME: join(dir, 'state') });
  t.equal(r.code, 0, r.stderr);
  t.equal(fake.requests.at(-1)!.headers.authorization, 'Bearer fileToken42');
});

t.test('a 401 over TCP is the API message', async (t) => {
  const dir = tmpDir(t);
  const fake = await startFakeCairnd(null);
  t.teardown(() => fake.close());
  fake.on('GET /api/jobs', (_q, res) => sendError(res, 401, 'bad_auth', 'missing or invalid token'));
  const r = await runInProcess(['--url', `http://127.0.0.1:${fake.port}/`, 'jobs'], dir);
  t.equal(r.code, 1);
  t.equal(r.stderr, 'cairn: missing or invalid token\n');
  t.equal(fake.requests[0]!.headers.authorization, undefined);
});
