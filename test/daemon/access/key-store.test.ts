// daemon/access/key-store.ts: keys.json (0600, hashes only), token format, create/delete/
// rotate, expiry with an injected clock, local-admin (admin.token) in the list, rotated,
// deleted and recreated only when no admin key is left, last_used_at debounced.
import t from 'tap';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyStore, LAST_USED_FLUSH_MS, type KeyView } from '../../../daemon/access/index.js';
import { FakeClock } from '../../helpers/daemon.js';
import { tmpDir } from '../../helpers/tmp.js';

t.test('create: a token of letters, digits and "-" with 256 random bits, shown once, stored as a hash', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const store = await KeyStore.open(dir, clock);
  t.teardown(() => store.close());
  const { key, token } = await store.create({ name: 'laptop', role: 'appender', expiresAt: null, paths: ['/home/ann/', '/srv/../data'] });
  t.match(token, /^[A-Za-z0-9-]+$/);
  t.match(token, new RegExp(`^ck-${key.id}-[A-Za-z0-9]{43}$`));
  t.match(key, {
    id: /^[0-9a-f]{16}$/, name: 'laptop', role: 'appender', permissions: ['meta', 'list', 'backup', 'jobs'],
    paths: ['/home/ann', '/data'], created_at: new Date(clock.now()).toISOString(), expires_at: null, last_used_at: null,
  });
  const file = join(dir, 'keys.json');
  t.equal(statSync(file).mode & 0o777, 0o600);
  const text = readFileSync(file, 'utf8');
  t.notOk(text.includes(token), 'the token is not stored');
  t.notOk(text.includes(token.slice(20)), 'nor its secret part');
  t.match(JSON.parse(text), { v: 1, keys: [{ id: key.id, hash: /^[0-9a-f]{64}$/ }] });
  t.notOk(readdirSync(dir).some((f) => f.includes('.tmp-')), 'no temporary file left');
  t.match(store.authenticate(token), { kind: 'key', role: 'appender', keyId: key.id, via: 'token', paths: ['/home/ann', '/data'] });
  t.throws(() => store.authenticate(token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a')), { code: 'bad_auth', message: 'invalid token' });
  t.throws(() => store.authenticate(`ck-${'0'.repeat(16)}-${token.slice(-43)}`), { code: 'bad_auth' }, 'unknown id');
  const tokens = new Set<string>([token]);
  for (let i = 0; i < 20; i++) tokens.add((await store.create({ name: `k${i}`, role: 'reader', expiresAt: null, paths: [] })).token);
  t.equal(tokens.size, 21, 'tokens differ');
});

t.test('create refuses bad input: duplicate or reserved names, past expiry, relative paths', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const store = await KeyStore.open(dir, clock);
  t.teardown(() => store.close());
  await store.create({ name: 'a', role: 'reader', expiresAt: null, paths: [] });
  await t.rejects(store.create({ name: 'a', role: 'reader', expiresAt: null, paths: [] }), { code: 'conflict' });
  await t.rejects(store.create({ name: 'local-admin', role: 'admin', expiresAt: null, paths: [] }), { code: 'conflict' });
  await t.rejects(store.create({ name: 'b', role: 'reader', expiresAt: clock.now(), paths: [] }), { code: 'invalid_params', params: { expires_at: {} } });
  await t.rejects(store.create({ name: 'b', role: 'reader', expiresAt: null, paths: ['rel/path'] }), { code: 'invalid_params', params: { paths: {} } });
  await t.rejects(store.create({ name: 'b', role: 'reader', expiresAt: null, paths: ['/a\0b'] }), { code: 'invalid_params' });
  await t.rejects(store.create({ name: 'x\u0007', role: 'reader', expiresAt: null, paths: [] }), { code: 'invalid_params', params: { name: {} } });
  await t.rejects(store.create({ name: 'c', role: 'root' as 'admin', expiresAt: null, paths: [] }), { code: 'invalid_params' });
  t.equal(store.list().length, 2, 'local-admin and a');
});

t.test('expiry is judged with the injected clock; signed-URL lookups follow it', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const store = await KeyStore.open(dir, clock);
  t.teardown(() => store.close());
  const { key, token } = await store.create({ name: 'tmp', role: 'operator', expiresAt: clock.now() + 1000, paths: [] });
  t.match(store.authenticate(token), { role: 'operator' });
  t.ok(store.activePrincipal(key.id, 'signature'));
  clock.advance(999);
  t.match(store.authenticate(token), { role: 'operator' }, '1 ms before expiry');
  clock.advance(1);
  t.throws(() => store.authenticate(token), { code: 'bad_auth', message: 'token expired' });
  t.equal(store.activePrincipal(key.id, 'signature'), null);
  t.equal(store.list().find((k) => k.id === key.id)?.expires_at, new Date(clock.now()).toISOString(), 'still listed');
});

t.test('delete and rotate', async (t) => {
  const dir = tmpDir(t);
  const store = await KeyStore.open(dir, new FakeClock());
  t.teardown(() => store.close());
  const a = await store.create({ name: 'a', role: 'reader', expiresAt: null, paths: [] });
  const r = await store.rotate(a.key.id);
  t.not(r.token, a.token);
  t.same(r.key, a.key, 'same key');
  t.throws(() => store.authenticate(a.token), { code: 'bad_auth' }, 'the old token stops working');
  t.match(store.authenticate(r.token), { keyId: a.key.id });
  const d = await store.delete(a.key.id);
  t.equal(d.id, a.key.id);
  t.throws(() => store.authenticate(r.token), { code: 'bad_auth' });
  await t.rejects(store.delete(a.key.id), { code: 'not-found' });
  await t.rejects(store.rotate('0123456789abcdef'), { code: 'not-found' });
  await store.close();
  const again = await KeyStore.open(dir, new FakeClock());
  t.teardown(() => again.close());
  t.same(again.list().map((k) => k.id), ['local-admin'], 'deletion persisted');
});

t.test('keys survive a restart; a malformed keys.json is refused with its name', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const store = await KeyStore.open(dir, clock);
  const a = await store.create({ name: 'a', role: 'operator', expiresAt: clock.now() + 3_600_000, paths: ['/x'] });
  await store.close();
  const again = await KeyStore.open(dir, clock);
  t.same(again.list().find((k) => k.id === a.key.id), a.key);
  t.match(again.authenticate(a.token), { role: 'operator', keyId: a.key.id, paths: ['/x'] });
  await again.close();
  writeFileSync(join(dir, 'keys.json'), '{"keys": [{"id": "nope"}]}');
  await t.rejects(KeyStore.open(dir, clock), { code: 'unprocessable', message: /keys\.json is malformed/ });
});

t.test('local-admin: listed, rotated (admin.token rewritten 0600), deleted; recreated only without an admin key', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const tokenFile = join(dir, 'admin.token');
  const store = await KeyStore.open(dir, clock);
  const first = readFileSync(tokenFile, 'utf8').trim();
  const local = store.list()[0]!;
  t.match(local, { id: 'local-admin', name: 'local-admin', role: 'admin', paths: [], expires_at: null });
  t.match(store.authenticate(first), { kind: 'admin', keyId: 'local-admin' });
  const rotated = await store.rotate('local-admin');
  t.match(rotated.token, /^[A-Za-z0-9]{43}$/);
  t.equal(readFileSync(tokenFile, 'utf8').trim(), rotated.token, 'admin.token holds the new token');
  t.equal(statSync(tokenFile).mode & 0o777, 0o600);
  t.throws(() => store.authenticate(first), { code: 'bad_auth' }, 'the old admin token stops working');
  t.match(store.authenticate(rotated.token), { keyId: 'local-admin' });
  const admin = await store.create({ name: 'boss', role: 'admin', expiresAt: clock.now() + 60_000, paths: [] });
  await store.delete('local-admin');
  t.notOk(existsSync(tokenFile), 'deleting local-admin deletes admin.token');
  t.throws(() => store.authenticate(rotated.token), { code: 'bad_auth' });
  t.same(store.list().map((k: KeyView) => k.id), [admin.key.id]);
  await store.close();

  const restarted = await KeyStore.open(dir, clock);
  t.notOk(existsSync(tokenFile), 'an admin key is left: no new admin.token');
  await restarted.close();
  clock.advance(60_000);
  const expired = await KeyStore.open(dir, clock);
  t.teardown(() => expired.close());
  t.ok(existsSync(tokenFile), 'the only admin key expired: a new admin.token');
  const fresh = readFileSync(tokenFile, 'utf8').trim();
  t.not(fresh, rotated.token);
  t.match(expired.authenticate(fresh), { keyId: 'local-admin' });
  t.equal(expired.list()[0]!.id, 'local-admin');
});

t.test('last_used_at is recorded in memory at once and written at most once a minute, and at close', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const store = await KeyStore.open(dir, clock);
  const { key, token } = await store.create({ name: 'busy', role: 'reader', expiresAt: null, paths: [] });
  const file = join(dir, 'keys.json');
  const before = readFileSync(file, 'utf8');
  const mtime = statSync(file).mtimeMs;
  for (let i = 0; i < 200; i++) {
    clock.advance(10);
    store.authenticate(token);
  }
  const used = new Date(clock.now()).toISOString();
  t.equal(store.list().find((k) => k.id === key.id)?.last_used_at, used, 'the list shows the last use');
  t.equal(readFileSync(file, 'utf8'), before, '200 uses did not rewrite keys.json');
  t.equal(statSync(file).mtimeMs, mtime);
  t.ok(LAST_USED_FLUSH_MS >= 10_000, 'the debounce is long enough to matter');
  await store.close();
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<{ last_used_at: string }> };
  t.equal(saved.keys[0]!.last_used_at, used, 'close writes it');
});
