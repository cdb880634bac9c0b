// Access end to end against a real cairnd: `cairn keys` (list, create --json → {key,
// token}, rotate, delete) and what each does to TCP requests; local-admin rotated
// (admin.token rewritten 0600) and deleted (recreated at start only when no admin key is
// left); the audit log. (Listeners and paths: access-listen.test.ts.)
import t from 'tap';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cairn, curlSock, startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { NO_LIMITS, tcp } from './access-fixture.js';

interface KeyJson { id: string; name: string; role: string; permissions: string[]; paths: string[]; expires_at: string | null }

function configFile(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, 'cairnd.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

t.test('cairn keys, local-admin and the audit log', async (t) => {
  const dir = tmpDir(t, 'cairn-keys-');
  const args = ['--config', configFile(dir, { rate_limits: NO_LIMITS })];
  const d = await startCairnd(t, { dir, args });
  const admin = d.token();

  const created = await cairn(d, ['keys', 'create', 'ci', '--role', 'reader', '--expires', '30d', '--path', '/srv/data', '--json']);
  t.equal(created.code, 0, created.stderr);
  const ci = JSON.parse(created.stdout) as { key: KeyJson; token: string };
  t.same(Object.keys(ci).sort(), ['key', 'token'], 'create --json prints {key, token}');
  t.match(ci.key, { name: 'ci', role: 'reader', permissions: ['meta', 'list', 'browse', 'read'], paths: ['/srv/data'], expires_at: /^\d{4}-/ });
  t.match(ci.token, /^[A-Za-z0-9-]+$/);
  t.equal((await tcp(d, '/api/info', { token: ci.token })).status, 200, 'the new token works on TCP');
  t.equal((await tcp(d, '/api/keys', { token: ci.token })).status, 403, 'a reader may not list keys');

  const table = await cairn(d, ['keys']);
  t.equal(table.code, 0, table.stderr);
  t.match(table.stdout, /^ID\s+Name\s+Role\s+Paths\s+Created\s+Expires\s+Last used$/m);
  t.match(table.stdout, /^local-admin\s+local-admin\s+admin\s/m);
  t.match(table.stdout, new RegExp(`^${ci.key.id}\\s+ci\\s+reader\\s+/srv/data\\s`, 'm'));
  t.notOk(table.stdout.includes(ci.token), 'the list never shows a token');
  const listed = JSON.parse((await cairn(d, ['keys', 'list', '--json'])).stdout) as { total: number; items: KeyJson[] };
  t.equal(listed.total, 2);
  t.same(listed.items.map((k) => k.id), ['local-admin', ci.key.id]);

  const rotated = await cairn(d, ['keys', 'rotate', ci.key.id]);
  t.equal(rotated.code, 0);
  t.match(rotated.stdout, /shown only this once/);
  const newToken = rotated.stdout.trim().split('\n').pop()!;
  t.not(newToken, ci.token);
  t.equal((await tcp(d, '/api/info', { token: ci.token })).status, 401, 'the old token stops working');
  t.equal((await tcp(d, '/api/info', { token: newToken })).status, 200, 'the new one works');
  const deleted = await cairn(d, ['keys', 'delete', ci.key.id, '--json']);
  t.match(JSON.parse(deleted.stdout), { key: { id: ci.key.id } });
  t.equal((await tcp(d, '/api/info', { token: newToken })).status, 401, 'a deleted key stops working');
  const missing = await cairn(d, ['keys', 'delete', ci.key.id]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /^cairn: .*not found/i);
  const usage = await cairn(d, ['keys', 'create', 'x', '--role', 'root']);
  t.equal(usage.code, 2, 'a bad role is a usage error');

  // local-admin
  const tokenFile = join(d.stateDir, 'admin.token');
  const rotReply = await curlSock(d, ['-XPOST', '/api/keys/local-admin/rotate']);
  t.equal(rotReply.status, 200, rotReply.stdout);
  const rot = rotReply.json as { key: KeyJson; token: string };
  t.equal(rot.key.id, 'local-admin');
  t.equal(readFileSync(tokenFile, 'utf8').trim(), rot.token, 'admin.token holds the new token');
  t.equal(statSync(tokenFile).mode & 0o777, 0o600);
  t.equal((await tcp(d, '/api/keys', { token: admin })).status, 401, 'the old admin token stops working');
  t.equal((await tcp(d, '/api/keys', { token: rot.token })).status, 200);
  t.equal((await curlSock(d, ['-XDELETE', '/api/keys/local-admin'])).status, 200);
  t.notOk(existsSync(tokenFile), 'deleting local-admin deletes admin.token');
  t.equal((await tcp(d, '/api/info', { token: rot.token })).status, 401);

  const audit = readFileSync(join(d.stateDir, 'audit.log'), 'utf8');
  t.equal(statSync(join(d.stateDir, 'audit.log')).mode & 0o777, 0o600);
  const lines = audit.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.ok(lines.some((l) => l.event === 'request' && l.route === 'keys.create' && l.status === 200 && l.remote === 'unix'
    && (l.principal as { via?: string } | null)?.via === 'peer' && l.uid === process.getuid!()), 'keys.create over the socket');
  t.ok(lines.some((l) => l.event === 'auth_failure' && l.route === 'info' && l.status === 401 && l.remote === '127.0.0.1'), 'a failed TCP auth');
  t.ok(lines.some((l) => l.route === 'keys.delete' && l.method === 'DELETE'), 'the deletion');
  t.notOk(lines.some((l) => l.route === 'info' && l.status === 200), 'successful reads are not audited');
  for (const secret of [admin, ci.token, newToken, rot.token]) t.notOk(audit.includes(secret), 'no token in the audit log');

  await d.stop();
  const again = await startCairnd(t, { dir, args });
  t.ok(existsSync(tokenFile), 'no admin key was left: a new admin.token at start');
  t.equal((await tcp(again, '/api/keys', { token: again.token() })).status, 200);
});
