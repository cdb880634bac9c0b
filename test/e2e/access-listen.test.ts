// Access end to end, listeners and paths: `--no-auth` (TCP without tokens, loopback only);
// socket_mode/socket_group and a local user that is not the daemon's (uid 65534, with and
// without a token); restore_root for operators; a key's paths for backups and restores.
import t from 'tap';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { curlSock, startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { NO_LIMITS, sock, tcp } from './access-fixture.js';

function configFile(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, 'cairnd.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

t.test('--no-auth: TCP without tokens on loopback; refused for any other address', async (t) => {
  const refused = await startCairnd(t, { args: ['--no-auth', '--listen', '0.0.0.0:0'], expectFailure: true });
  t.equal(await refused.exited, 2, 'exits 2');
  t.match(refused.stderr, /--no-auth refuses the non-loopback listen address 0\.0\.0\.0/);
  const dir = tmpDir(t);
  const viaFile = await startCairnd(t, { args: ['--config', configFile(dir, { no_auth: true }), '--listen', '[::]:0'], expectFailure: true });
  t.not(await viaFile.exited, 0, 'no_auth in the config file is checked too');
  t.match(viaFile.stderr, /non-loopback/);

  const d = await startCairnd(t, { args: ['--no-auth'] });
  t.equal((await tcp(d, '/api/keys')).status, 200, 'no token needed on 127.0.0.1');
  t.equal((await tcp(d, '/api/info', { token: 'wrong' })).status, 401, 'a wrong token is still wrong');
});

t.test('socket_mode and socket_group; restore_root for operators; a key\'s paths', async (t) => {
  const dir = tmpDir(t, 'cairn-sock-');
  chmodSync(dir, 0o755);
  const d = await startCairnd(t, { dir, args: ['--config', configFile(dir, { socket_mode: '0660', socket_group: 'nogroup', rate_limits: NO_LIMITS })] });
  const st = statSync(d.socket);
  t.equal(st.mode & 0o777, 0o660, 'socket_mode');
  t.equal(st.gid, 65534, 'socket_group');

  const make = async (name: string, role: string, paths?: string[]) => {
    const r = await curlSock(d, ['-XPOST', '-H', 'content-type: application/json', '-d', JSON.stringify({ name, role, paths }), '/api/keys']);
    t.equal(r.status, 200, r.stdout);
    return (r.json as { token: string }).token;
  };
  const reader = await make('reader', 'reader');
  t.equal((await sock(d, '/api/info', { uid: 65534 })).status, 401, 'uid 65534 (in the socket\'s group) without a token');
  t.equal((await sock(d, '/api/info', { uid: 65534, token: reader })).status, 200, 'with a token');
  t.equal((await sock(d, '/api/keys', { uid: 65534, token: reader })).status, 403, 'as its role allows');

  const src = join(dir, 'src');
  mkdirSync(join(src, 'sub'), { recursive: true });
  writeFileSync(join(src, 'a.txt'), 'a\n');
  writeFileSync(join(src, 'sub', 'b.txt'), 'b\n');
  const pusher = await make('pusher', 'appender', [join(src, 'sub')]);
  const refused = await tcp(d, '/api/snapshots/create', { method: 'POST', token: pusher, body: { source: src } });
  t.equal(refused.status, 403, 'backup outside the key\'s paths');
  t.match(refused.json, { error: { code: 'forbidden', params: { source: {} } } });
  const pushed = await tcp(d, '/api/snapshots/create', { method: 'POST', token: pusher, body: { source: join(src, 'sub') } });
  t.equal(pushed.status, 200, pushed.body);
  const full = await tcp(d, '/api/snapshots/create', { method: 'POST', token: d.token(), body: { source: src } });
  const id = (full.json as { snapshot_id: string }).snapshot_id;

  const operator = await make('operator', 'operator');
  const restoreRoot = join(d.stateDir, 'restores');
  t.ok(statSync(restoreRoot).isDirectory(), 'restore_root exists ($STATE/restores)');
  const outside = await tcp(d, `/api/snapshots/${id}/restore`, { method: 'POST', token: operator, body: { destination: join(dir, 'out') } });
  t.equal(outside.status, 403, 'an operator outside restore_root');
  t.match(outside.json, { error: { code: 'forbidden', params: { destination: {} } } });
  t.notOk(outside.body.includes(restoreRoot), 'the error does not name the daemon\'s paths');
  const sneaky = await tcp(d, `/api/snapshots/${id}/restore`, { method: 'POST', token: operator, body: { destination: `${restoreRoot}/../../out` } });
  t.equal(sneaky.status, 403, '.. out of restore_root');
  const inside = await tcp(d, `/api/snapshots/${id}/restore`, { method: 'POST', token: operator, body: { destination: join(restoreRoot, 'r1') } });
  t.equal(inside.status, 200, inside.body);
  t.equal(readFileSync(join(restoreRoot, 'r1', src, 'sub', 'b.txt'), 'utf8'), 'b\n', 'restored under restore_root');
  const admin = await tcp(d, `/api/snapshots/${id}/restore`, { method: 'POST', token: d.token(), body: { destination: join(dir, 'out') } });
  t.equal(admin.status, 200, 'an admin restores anywhere');

  const limited = await make('limited-op', 'operator', [join(src, 'sub')]);
  const whole = await tcp(d, `/api/snapshots/${id}/restore`, { method: 'POST', token: limited, body: { destination: join(restoreRoot, 'r2') } });
  t.equal(whole.status, 403, 'a key with paths may not restore the whole snapshot');
  const part = await tcp(d, `/api/snapshots/${id}/restore`, { method: 'POST', token: limited, body: { destination: join(restoreRoot, 'r3'), paths: [join(src, 'sub')] } });
  t.equal(part.status, 200, part.body);
});
