// tui/cli/commands/keys.ts in-process against a fake cairnd: the requests each `cairn keys`
// subcommand sends (create's body: relative --path resolved, --expires durations),
// tables for people, `--json` as the API's objects, and usage errors.
import t from 'tap';
import { join } from 'node:path';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { expiresAt } from '../../../../tui/cli/commands/keys.js';
import { memIo, sendJson, setup } from '../../fake-cairnd.js';

process.env.TZ = 'UTC';

const key = (over: Record<string, unknown> = {}) => ({
  id: '0123456789abcdef', name: 'ci', role: 'reader', permissions: ['meta', 'list', 'browse', 'read'], paths: [],
  created_at: '2026-01-01T00:00:00.000Z', expires_at: null, last_used_at: null, ...over,
});

t.test('--expires: durations from now, times passed on, anything else a usage error', async (t) => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  t.equal(expiresAt('30d', now), '2026-01-31T00:00:00.000Z');
  t.equal(expiresAt('12h', now), '2026-01-01T12:00:00.000Z');
  t.equal(expiresAt('90m', now), '2026-01-01T01:30:00.000Z');
  t.equal(expiresAt('2w', now), '2026-01-15T00:00:00.000Z');
  t.equal(expiresAt('2027-02-03T04:05:06Z', now), '2027-02-03T04:05:06Z');
  t.throws(() => expiresAt('tomorrow', now), { name: 'UsageError' });
});

t.test('create sends {name, role, expires_at, paths} and prints the token once', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/keys', (_q, res) => sendJson(res, 200, { key: key({ paths: ['/srv'] }), token: 'ck-0123456789abcdef-SECRET' }));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'keys', 'create', 'ci', '--role', 'reader', '--path', 'data', '--path', '/srv', '--expires', '1d'], io), 0, io.stderr.text);
  const body = fake.requests[0]!.body as { name: string; role: string; paths: string[]; expires_at: string };
  t.same({ ...body, expires_at: typeof body.expires_at }, { name: 'ci', role: 'reader', paths: [join(dir, 'data'), '/srv'], expires_at: 'string' });
  t.ok(Math.abs(Date.parse(body.expires_at) - Date.now() - 86_400_000) < 60_000, 'one day from now');
  t.match(io.stdout.text, /^ID\s+Name\s+Role\s+Paths/);
  t.match(io.stdout.text, /0123456789abcdef\s+ci\s+reader\s+\/srv\s/);
  t.match(io.stdout.text, /shown only this once\):\nck-0123456789abcdef-SECRET\n$/);
  const json = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'keys', 'create', 'ci', '--role', 'reader', '--json'], json), 0);
  t.same(JSON.parse(json.stdout.text), { key: key({ paths: ['/srv'] }), token: 'ck-0123456789abcdef-SECRET' });
  t.same(fake.requests[1]!.body, { name: 'ci', role: 'reader' }, 'no paths or expiry unless given');
  const bad = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'keys', 'create', 'ci'], bad), 2, '--role is required');
  t.equal(fake.requests.length, 2);
});

t.test('list (the default), delete and rotate', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const list = { total: 2, items: [key({ id: 'local-admin', name: 'local-admin', role: 'admin' }), key({ expires_at: '2026-02-01T00:00:00.000Z' })] };
  fake.on('GET /api/keys', (_q, res) => sendJson(res, 200, list));
  fake.on('DELETE /api/keys/0123456789abcdef', (_q, res) => sendJson(res, 200, { key: key() }));
  fake.on('POST /api/keys/local-admin/rotate', (_q, res) => sendJson(res, 200, { key: key({ id: 'local-admin' }), token: 'NEWTOKEN' }));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'keys'], io), 0, io.stderr.text);
  t.equal(io.stdout.text, [
    'ID                Name         Role    Paths  Created              Expires              Last used',
    'local-admin       local-admin  admin   -      2026-01-01 00:00:00  never                -',
    '0123456789abcdef  ci           reader  -      2026-01-01 00:00:00  2026-02-01 00:00:00  -',
    '',
  ].join('\n'));
  const json = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'keys', 'list', '--json'], json), 0);
  t.same(JSON.parse(json.stdout.text), list);
  const del = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'keys', 'delete', '0123456789abcdef'], del), 0);
  t.equal(del.stdout.text, 'key 0123456789abcdef (ci) deleted\n');
  const rot = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'keys', 'rotate', 'local-admin', '--json'], rot), 0);
  t.same(JSON.parse(rot.stdout.text), { key: key({ id: 'local-admin' }), token: 'NEWTOKEN' });
  t.same(fake.requests.map((r) => `${r.method} ${r.path}`), [
    'GET /api/keys', 'GET /api/keys', 'DELETE /api/keys/0123456789abcdef', 'POST /api/keys/local-admin/rotate',
  ]);
});
