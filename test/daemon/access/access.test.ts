// daemon/access: the admin token file and the authentication/permission decision.
import t from 'tap';
import { statSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import {
  Access, ensureAdminToken, generateToken, roleAllows, tokensEqual, TOKEN_LENGTH,
} from '../../../daemon/access/index.js';
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
function tcpReq(authorization?: string): IncomingMessage {
  return { socket: {}, headers: authorization === undefined ? {} : { authorization } } as unknown as IncomingMessage;
}
function unixReq(fd: number, authorization?: string): IncomingMessage {
  const server = { address: () => '/tmp/x.sock' };
  return { socket: { server, _handle: { fd } }, headers: authorization === undefined ? {} : { authorization } } as unknown as IncomingMessage;
}

t.test('authorize: TCP needs the bearer token except on public routes', async (t) => {
  const dir = tmpDir(t);
  const access = await Access.open({ stateDir: dir });
  const token = await ensureAdminToken(dir);
  t.throws(() => access.authorize(tcpReq(), 'meta'), { code: 'bad_auth', message: /authentication required/ });
  t.throws(() => access.authorize(tcpReq('Bearer wrong'), 'meta'), { code: 'bad_auth', message: 'invalid token' });
  t.throws(() => access.authorize(tcpReq(`Basic ${token}`), 'meta'), { code: 'bad_auth', message: /malformed/ });
  t.same(access.authorize(tcpReq(`Bearer ${token}`), 'admin'), { kind: 'admin', role: 'admin', via: 'token' });
  t.same(access.authorize(tcpReq(`bearer  ${token}`), 'jobs'), { kind: 'admin', role: 'admin', via: 'token' });
  t.equal(access.authorize(tcpReq(), 'public'), null, 'public without credentials');
  t.equal(access.authorize(tcpReq('Bearer wrong'), 'public'), null, 'public ignores bad credentials');
});

t.test('authorize: on the socket, root and the daemon\'s user are admin; others need a token', async (t) => {
  const dir = tmpDir(t);
  const uids = new Map([[10, 0], [11, 1234], [12, 999]]);
  const peerCred = (fd: number) => {
    const uid = uids.get(fd);
    if (uid === undefined) throw new Error('EBADF');
    return { uid };
  };
  const access = await Access.open({ stateDir: dir, ownUid: 1234, peerCred });
  const token = await ensureAdminToken(dir);
  t.same(access.authorize(unixReq(10), 'admin'), { kind: 'admin', role: 'admin', via: 'peer' }, 'root');
  t.same(access.authorize(unixReq(11), 'admin'), { kind: 'admin', role: 'admin', via: 'peer' }, 'the daemon\'s user');
  t.throws(() => access.authorize(unixReq(12), 'meta'), { code: 'bad_auth', message: /token is required/ }, 'another user');
  t.throws(() => access.authorize(unixReq(13), 'meta'), { code: 'bad_auth' }, 'unreadable credentials: not admin');
  t.same(access.authorize(unixReq(12, `Bearer ${token}`), 'meta'), { kind: 'admin', role: 'admin', via: 'token' }, 'another user with the token');
});
