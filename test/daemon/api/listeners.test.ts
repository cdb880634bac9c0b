// daemon/api/listeners.ts against real listeners: a Unix socket in a temp dir and TCP on
// port 0, driven with curl (and a raw socket for what curl will not send).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { curl, listenTestApi, makeTestApi } from '../../helpers/daemon.js';
import type { Entry } from '../../../shared/schemas/index.js';
import { snapshotRefOf } from '../../../daemon/api/index.js';

function entry(path: Buffer): Entry {
  const p = path.toString('hex');
  return {
    name: p, path: p, parent_path: '/', type: 'file', size: 0, mode: '0644', permissions: '-rw-r--r--',
    mtime: '2026-01-01T00:00:00.000Z', uid: 0, gid: 0, username: null, groupname: null, nlink: 1,
    file_info: { name: p, size: 0, mode: 0o644, mod_time: '2026-01-01T00:00:00.000Z', uid: 0, gid: 0, nlink: 1, username: null, groupname: null },
  };
}

/** Sends raw bytes and returns everything the server answers before closing. */
async function raw(port: number, bytes: string): Promise<string> {
  const s = connect(port, '127.0.0.1');
  await once(s, 'connect');
  s.write(bytes);
  let out = '';
  s.setEncoding('latin1');
  s.on('data', (d: string) => { out += d; });
  await once(s, 'close');
  return out;
}

t.test('socket and TCP: peer admin, token, public health, error bodies', async (t) => {
  const ta = await makeTestApi(t, { handlers: { 'snapshot.vfs': async (request) => ({ item: entry(snapshotRefOf(request).path) }) } });
  const l = await listenTestApi(t, ta);
  t.equal(statSync(l.socketPath).mode & 0o777, 0o600, 'socket mode 0600');
  t.match(l.tcpAddress, /^127\.0\.0\.1:\d+$/);
  t.not(l.tcpAddress, '127.0.0.1:0', 'the bound port is reported');
  const sock = ['--unix-socket', l.socketPath];
  const base = `http://${l.tcpAddress}`;

  const peer = await curl([...sock, 'http://cairn/api/info']);
  t.equal(peer.status, 200, 'the daemon\'s own user is admin on the socket without a token');
  t.equal(JSON.parse(peer.body).authenticated, true);

  const noToken = await curl([`${base}/api/info`]);
  t.equal(noToken.status, 401);
  t.equal(JSON.parse(noToken.body).error.code, 'bad_auth');
  const badToken = await curl(['-H', 'Authorization: Bearer 0000', `${base}/api/jobs`]);
  t.equal(badToken.status, 401);
  const unbuiltNoToken = await curl(['-X', 'POST', `${base}/api/keys`]);
  t.equal(unbuiltNoToken.status, 401, 'an unbuilt route answers 401 like a built one');
  const good = await curl(['-H', `Authorization: Bearer ${ta.token}`, `${base}/api/jobs`]);
  t.equal(good.status, 200);
  t.same(JSON.parse(good.body), { total: 0, items: [] });
  const health = await curl([`${base}/api/health`]);
  t.equal(health.status, 200, '/api/health needs no token on TCP');
  t.equal(JSON.parse(health.body).status, 'healthy');

  const bytes = await curl([...sock, 'http://cairn/api/snapshot/vfs/latest:/d%E9j%C3%A0/%FF']);
  t.equal(bytes.status, 200);
  t.equal(JSON.parse(bytes.body).item.path, Buffer.from([0x2f, 0x64, 0xe9, 0x6a, 0xc3, 0xa0, 0x2f, 0xff]).toString('hex'));
  const badUrl = await curl([...sock, 'http://cairn/api/jobs/%FF']);
  t.equal(badUrl.status, 400);
  t.equal(JSON.parse(badUrl.body).error.code, 'invalid_params');
  const bigFile = join(ta.stateDir, 'big.json');
  writeFileSync(bigFile, `{"x":"${'y'.repeat(2_000_000)}"}`);
  const big = await curl([...sock, '-X', 'POST', '-H', 'Content-Type: application/json', '-H', 'Expect:', '--data-binary', `@${bigFile}`, 'http://cairn/api/jobs/x/cancel']);
  t.equal(big.status, 413);
  t.equal(JSON.parse(big.body).error.code, 'too-large');

  const garbage = await raw(Number(l.tcpAddress.split(':')[1]), 'HELLO THERE\r\n\r\n');
  t.match(garbage, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.match(garbage, /\r\nConnection: close\r\n/);
  t.same(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)), { error: { code: 'invalid_params', message: 'malformed HTTP request', params: {} } });
  const hugeHeader = await raw(Number(l.tcpAddress.split(':')[1]), `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  t.match(hugeHeader, /^HTTP\/1\.1 431 /);
  t.match(hugeHeader, /"code":"headers-too-large"/);
});

t.test('a request that never completes gets the 408 error body', async (t) => {
  const ta = await makeTestApi(t, { http: { request_timeout_ms: 50, headers_timeout_ms: 40, connections_check_interval_ms: 10 } });
  const l = await listenTestApi(t, ta);
  const answer = await raw(Number(l.tcpAddress.split(':')[1]), 'GET /api/health HTTP/1.1\r\nHost: x\r\n');
  t.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  t.match(answer, /\r\nConnection: close\r\n/);
  t.same(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code, 'request-timeout');
});

t.test('socket_mode and socket_group are applied exactly', async (t) => {
  const ta = await makeTestApi(t);
  const path = join(ta.stateDir, 'group.sock');
  const gid = process.getgid!();
  const readUmask = (): number => { const m = process.umask(0o022); process.umask(m); return m; };
  const before = readUmask();
  const l = await ta.api.listen({ socket: { path, mode: 0o660, group: gid } });
  t.teardown(() => l.close());
  const st = statSync(path);
  t.equal(st.mode & 0o777, 0o660);
  t.equal(st.gid, gid);
  t.equal(readUmask(), before, 'the process umask is restored');
  const other = await makeTestApi(t);
  await t.rejects(other.api.listen({ socket: { path: join(ta.stateDir, 'g2.sock'), mode: 0o660, group: 'no-such-group-here' } }),
    { code: 'invalid_params', message: /unknown socket group/ });
});

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

t.test('a stale socket file is replaced; a live one or a non-socket is refused', { skip: !hasPython && 'python3 missing' }, async (t) => {
  const ta = await makeTestApi(t);
  const path = join(ta.stateDir, 'cairn.sock');
  // Stale: bound by a process that exited without removing it; nobody listens.
  const bind = spawnSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path]);
  t.equal(bind.status, 0);
  t.ok(lstatSync(path).isSocket(), 'a stale socket file is there');
  const l = await ta.api.listen({ socket: { path, mode: 0o600, group: null } });
  t.teardown(() => l.close());
  t.equal(l.socketPath, path);
  const ok = await curl(['--unix-socket', path, 'http://cairn/api/health']);
  t.equal(ok.status, 200, 'serving on the replaced socket');

  const other = await makeTestApi(t);
  await t.rejects(other.api.listen({ socket: { path, mode: 0o600, group: null } }), { code: 'conflict', message: /another daemon answers/ });
  t.equal((await curl(['--unix-socket', path, 'http://cairn/api/health'])).status, 200, 'the first daemon is untouched');
  const plain = join(ta.stateDir, 'not-a-socket');
  writeFileSync(plain, 'data');
  await t.rejects(other.api.listen({ socket: { path: plain, mode: 0o600, group: null } }), { code: 'conflict', message: /not a socket/ });
  t.equal(readFileSync(plain, 'utf8'), 'data', 'and left alone');
});
