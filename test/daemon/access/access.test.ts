// daemon/access: the admin token file, the authentication/permission decision (peers,
// tokens, keys, expiry, --no-auth), restore_root creation and the audit log.
import t from 'tap';
import { statSync, writeFileSync, chmodSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import {
  Access, ensureAdminToken, generateToken, roleAllows, tokensEqual, TOKEN_LENGTH, type AuditEntry, type RequestFacts,
} from '../../../daemon/access/index.js';
import type { Permission } from '../../../shared/routes.js';
import { FakeClock } from '../../helpers/daemon.js';
import { tmpDir } from '../../helpers/tmp.js';

t.test('the admin token is created once: 0600, letters and digits, 32+ characters', async (t) => {
  const dir = tmpDir(t);
  const [a, b, c] = await Promise.all([ensureAdminToken(dir), ensureAdminToken(dir), ensureAdminToken(dir)]);
  t.equal(a, b, 'racing creators agree');
  t.equal(a, c);
  t.match(a, /^[A-Za-z0-9]+$/);
  t.equal(a.length, TOKEN_LENGTH);
  t.ok(a.length >= 32);
  t.equal(statSync(join(dir, 'admin.token')).mode & 0o777, 0o600);
  t.same(readdirSync(dir), ['admin.token'], 'no temporary file left');
  t.equal(await ensureAdminToken(dir), a, 'read back on the next start');
});

t.test('an existing token is kept (trailing newline ok), a loose mode tightened, a malformed one refused', async (t) => {
  const dir = tmpDir(t);
  const mine = 'x'.repeat(20) + 'Y'.repeat(20);
  writeFileSync(join(dir, 'admin.token'), mine + '\n');
  chmodSync(join(dir, 'admin.token'), 0o644);
  t.equal(await ensureAdminToken(dir), mine);
  t.equal(statSync(join(dir, 'admin.token')).mode & 0o777, 0o600);
  writeFileSync(join(dir, 'admin.token'), 'short-and-bad');
  await t.rejects(ensureAdminToken(dir), { message: /malformed/ });
});

t.test('generateToken and tokensEqual', async (t) => {
  const seen = new Set(Array.from({ length: 50 }, () => generateToken()));
  t.equal(seen.size, 50);
  const tok = generateToken();
  t.ok(tokensEqual(tok, tok));
  t.notOk(tokensEqual(tok, tok.slice(0, -1)));
  t.notOk(tokensEqual(tok + 'a', tok));
  t.notOk(tokensEqual('', tok));
});

t.test('roles follow API.md\'s permission table', async (t) => {
  t.ok(roleAllows('admin', 'admin'));
  t.notOk(roleAllows('operator', 'admin'));
  t.ok(roleAllows('operator', 'restore'));
  t.ok(roleAllows('reader', 'read'));
  t.notOk(roleAllows('reader', 'backup'));
  t.ok(roleAllows('appender', 'backup'));
  t.notOk(roleAllows('appender', 'browse'));
  t.notOk(roleAllows('appender', 'read'));
});

/** Minimal requests: a TCP one (no server, like inject) or a Unix one with a peer uid. */
function tcpReq(authorization?: string, method = 'GET', remoteAddress = '192.0.2.1'): IncomingMessage {
  return { method, socket: { remoteAddress }, headers: authorization === undefined ? {} : { authorization } } as unknown as IncomingMessage;
}
function unixReq(fd: number, authorization?: string): IncomingMessage {
  const server = { address: () => '/tmp/x.sock' };
  return { method: 'GET', socket: { server, _handle: { fd } }, headers: authorization === undefined ? {} : { authorization } } as unknown as IncomingMessage;
}
const facts = (permission: Permission, routeKey: string | null = null, originalUrl = '/api/x'): RequestFacts => ({ permission, routeKey, originalUrl });

t.test('admit: TCP needs a bearer token except on public routes', async (t) => {
  const dir = tmpDir(t);
  const access = await Access.open({ stateDir: dir });
  t.teardown(() => access.close());
  const token = await ensureAdminToken(dir);
  await t.rejects(access.admit(tcpReq(), facts('meta')), { code: 'bad_auth', message: /authentication required/ });
  await t.rejects(access.admit(tcpReq('Bearer wrong'), facts('meta')), { code: 'bad_auth', message: 'invalid token' });
  await t.rejects(access.admit(tcpReq(`Basic ${token}`), facts('meta')), { code: 'bad_auth', message: /malformed/ });
  t.same(await access.admit(tcpReq(`Bearer ${token}`), facts('admin')), { kind: 'admin', role: 'admin', keyId: 'local-admin', via: 'token' });
  t.same(await access.admit(tcpReq(`bearer  ${token}`), facts('jobs')), { kind: 'admin', role: 'admin', keyId: 'local-admin', via: 'token' });
  t.equal(await access.admit(tcpReq(), facts('public')), null, 'public without credentials');
  t.equal(await access.admit(tcpReq('Bearer wrong'), facts('public')), null, 'public ignores bad credentials');
});

t.test('admit: on the socket, root and the daemon\'s user are admin; others need a token', async (t) => {
  const dir = tmpDir(t);
  const uids = new Map([[10, 0], [11, 1234], [12, 999]]);
  const peerCred = (fd: number) => {
    const uid = uids.get(fd);
    if (uid === undefined) throw new Error('EBADF');
    return { uid };
  };
  const access = await Access.open({ stateDir: dir, ownUid: 1234, peerCred });
  t.teardown(() => access.close());
  const token = await ensureAdminToken(dir);
  t.same(await access.admit(unixReq(10), facts('admin')), { kind: 'admin', role: 'admin', via: 'peer', uid: 0 }, 'root');
  t.same(await access.admit(unixReq(11), facts('admin')), { kind: 'admin', role: 'admin', via: 'peer', uid: 1234 }, 'the daemon\'s user');
  await t.rejects(access.admit(unixReq(12), facts('meta')), { code: 'bad_auth', message: /token is required/ }, 'another user');
  await t.rejects(access.admit(unixReq(13), facts('meta')), { code: 'bad_auth' }, 'unreadable credentials: not admin');
  t.same(await access.admit(unixReq(12, `Bearer ${token}`), facts('meta')),
    { kind: 'admin', role: 'admin', keyId: 'local-admin', via: 'token', uid: 999 }, 'another user with the token');
  const reader = await access.keys.create({ name: 'r', role: 'reader', expiresAt: null, paths: [] });
  t.match(await access.admit(unixReq(12, `Bearer ${reader.token}`), facts('read')), { kind: 'key', role: 'reader', uid: 999 });
  await t.rejects(access.admit(unixReq(12, `Bearer ${reader.token}`), facts('admin')), { code: 'forbidden' });
});

t.test('admit: roles against permissions, key expiry by the injected clock', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const access = await Access.open({ stateDir: dir, clock });
  t.teardown(() => access.close());
  const tokens: Record<string, string> = {};
  for (const role of ['operator', 'reader', 'appender'] as const) {
    tokens[role] = (await access.keys.create({ name: role, role, expiresAt: clock.now() + 60_000, paths: [] })).token;
  }
  const perms: Permission[] = ['meta', 'list', 'browse', 'read', 'backup', 'check', 'restore', 'jobs', 'admin'];
  for (const role of ['operator', 'reader', 'appender'] as const) {
    for (const p of perms) {
      const r = access.admit(tcpReq(`Bearer ${tokens[role]}`), facts(p));
      if (roleAllows(role, p)) t.match(await r, { kind: 'key', role, via: 'token' }, `${role} ${p}`);
      else await t.rejects(r, { code: 'forbidden' }, `${role} ${p}`);
    }
  }
  clock.advance(60_000);
  for (const role of ['operator', 'reader', 'appender'] as const) {
    await t.rejects(access.admit(tcpReq(`Bearer ${tokens[role]}`), facts('meta')), { code: 'bad_auth', message: 'token expired' }, `${role} expired`);
  }
});

t.test('--no-auth: TCP without a token is admin; a wrong token is still refused; the socket is unchanged', async (t) => {
  const dir = tmpDir(t);
  const access = await Access.open({ stateDir: dir, noAuth: true, ownUid: 1234, peerCred: () => ({ uid: 999 }) });
  t.teardown(() => access.close());
  t.same(await access.admit(tcpReq(), facts('admin')), { kind: 'admin', role: 'admin', via: 'no-auth' });
  await t.rejects(access.admit(tcpReq('Bearer wrong'), facts('admin')), { code: 'bad_auth' });
  await t.rejects(access.admit(unixReq(5), facts('meta')), { code: 'bad_auth' });
});

t.test('restore_root is created; the audit log records mutating requests and auth failures, never tokens', async (t) => {
  const dir = tmpDir(t);
  const restoreRoot = join(dir, 'restores', 'deep');
  const access = await Access.open({ stateDir: dir, restoreRoot });
  t.ok(statSync(restoreRoot).isDirectory());
  const token = await ensureAdminToken(dir);
  const ok = tcpReq(`Bearer ${token}`, 'POST');
  const p = await access.admit(ok, facts('admin', 'keys.create'));
  access.recordAnswer(ok, { method: 'POST', routeKey: 'keys.create', originalUrl: '/api/keys?x=1', status: 200, principal: p });
  const read = tcpReq(`Bearer ${token}`, 'GET');
  access.recordAnswer(read, { method: 'GET', routeKey: 'info', originalUrl: '/api/info', status: 200, principal: p });
  const bad = tcpReq('Bearer not-the-token-at-all', 'GET');
  await t.rejects(access.admit(bad, facts('meta', 'info')));
  access.recordAnswer(bad, { method: 'GET', routeKey: 'info', originalUrl: '/api/info?signature=abc', status: 401, principal: null });
  const reader = await access.keys.create({ name: 'r', role: 'reader', expiresAt: null, paths: [] });
  const denied = tcpReq(`Bearer ${reader.token}`, 'GET');
  await t.rejects(access.admit(denied, facts('admin', 'keys.list')), { code: 'forbidden' });
  access.recordAnswer(denied, { method: 'GET', routeKey: 'keys.list', originalUrl: '/api/keys', status: 403, principal: null });
  await access.close();
  const file = join(dir, 'audit.log');
  t.equal(statSync(file).mode & 0o777, 0o600);
  const text = readFileSync(file, 'utf8');
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
  t.equal(lines.length, 3, 'the GET that succeeded is not audited');
  t.match(lines[0], { event: 'request', method: 'POST', route: 'keys.create', path: '/api/keys', status: 200, remote: '192.0.2.1',
    principal: { kind: 'admin', role: 'admin', key_id: 'local-admin', via: 'token' } });
  t.match(lines[1], { event: 'auth_failure', method: 'GET', route: 'info', path: '/api/info', status: 401, principal: null, reason: 'invalid token' });
  t.match(lines[2], { event: 'auth_failure', route: 'keys.list', status: 403, reason: /reader role may not/,
    principal: { kind: 'key', role: 'reader', key_id: reader.key.id } }, 'a refused read names who was refused');
  t.notOk(text.includes(token), 'no token in the audit log');
  t.notOk(text.includes(reader.token), 'no key token either');
  t.notOk(text.includes('not-the-token-at-all'), 'not even a wrong one');
  t.notOk(text.includes('signature'), 'no query string');
});
