// Signed reader URLs end to end: a reader's key signs (the reference resolved to the
// full id), a GET without a token is authorized by the signature; a tampered URL, a
// second use of a single-use URL (also after a restart), a URL whose key was deleted, and
// an expired URL (the daemon restarted with its access clock later) are 401 bad_auth.
// "Authorized" is 200 with the file's bytes, or 404 not-found while the reader route is
// not built (auth runs before routing, so a refusal would be 401).
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { formatSnapshotRef } from '../../shared/snapshot-ref.js';
import { startCairnd } from '../helpers/cairnd.js';
import { CLOCK_OFFSET_MS, keyedDaemon, NO_LIMITS, tcp, type Reply } from './access-fixture.js';

interface Signed { item: { signature: string; url: string; expires_at: string }; url: string; expires_at: string }

function authorized(t: Test, r: Reply, what: string): void {
  const code = (r.json as { error?: { code?: string } } | null)?.error?.code;
  const ok = (r.status === 200 && r.body === 'hello, access\n') || (r.status === 404 && code === 'not-found');
  t.ok(ok, `${what}: authorized (${r.status} ${r.body.slice(0, 120)})`);
}

function refused(t: Test, r: Reply, what: string, message?: RegExp): void {
  t.equal(r.status, 401, `${what}: 401`);
  t.match(r.json, { error: { code: 'bad_auth', ...(message ? { message } : {}) } }, what);
}

t.test('signed reader URLs', async (t) => {
  const k = await keyedDaemon(t, { rate_limits: NO_LIMITS });
  const ref = formatSnapshotRef(k.snapshot.slice(0, 8), `${k.src}/file.txt`);
  const sign = async (body: unknown, token = k.tokens.reader, query = ''): Promise<Signed> => {
    const r = await tcp(k.d, `/api/snapshot/reader-sign-url/${ref}${query}`, { method: 'POST', token, body });
    t.equal(r.status, 200, `sign: ${r.body}`);
    return r.json as Signed;
  };

  const plain = await sign('');
  t.same(Object.keys(plain).sort(), ['expires_at', 'item', 'url']);
  t.equal(plain.item.url, plain.url);
  t.equal(plain.item.expires_at, plain.expires_at);
  t.match(plain.item.signature, /^[0-9a-f]{64}$/);
  t.ok(plain.url.startsWith(`/api/snapshot/reader/${k.snapshot}:`), 'the URL names the full id');
  const ttl = Date.parse(plain.expires_at) - (Date.now() + CLOCK_OFFSET_MS);
  t.ok(ttl > 7_100_000 && ttl <= 7_200_000, `default ttl 2 h by the daemon's clock (${ttl} ms)`);
  for (const [k2, v] of [['expires', /^\d+$/], ['single_use', /^0$/], ['nonce', /^[0-9a-f]{32}$/], ['key_id', new RegExp(`^${k.keyIds.reader}$`)]] as const) {
    t.match(new URL(plain.url, 'http://x').searchParams.get(k2), v, `the URL carries ${k2}`);
  }
  authorized(t, await tcp(k.d, plain.url), 'a signed GET without a token');
  authorized(t, await tcp(k.d, plain.url), 'again (not single use)');

  const u = new URL(plain.url, 'http://x');
  const other = plain.url.replace('file.txt', 'sub/code.js');
  refused(t, await tcp(k.d, other), 'another path', /invalid signature/);
  const sig = u.searchParams.get('signature')!;
  refused(t, await tcp(k.d, plain.url.replace(sig, (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1))), 'a changed signature');
  refused(t, await tcp(k.d, plain.url.replace(/expires=(\d+)/, (_, e: string) => `expires=${Number(e) + 86_400}`)), 'a later expiry');
  refused(t, await tcp(k.d, plain.url.replace(/key_id=[^&]+/, `key_id=${k.keyIds.operator}`)), 'another key id');
  refused(t, await tcp(k.d, plain.url.replace(/&?nonce=[^&]+/, '')), 'no nonce');
  refused(t, await tcp(k.d, plain.url.replace('/api/snapshot/reader/', '/api/files/cat/')), 'a signature on another route');
  refused(t, await tcp(k.d, `${plain.url}&repository=nope`), 'two repositories');

  const once = await sign({ single_use: true, ttl: 7200 });
  t.equal(new URL(once.url, 'http://x').searchParams.get('single_use'), '1');
  authorized(t, await tcp(k.d, once.url), 'single use: the first GET');
  refused(t, await tcp(k.d, once.url), 'single use: the second GET', /already used/);

  const named = await sign({}, k.tokens.reader, '?repository=repo');
  t.match(named.url, /[?&]repository=repo(&|$)/, 'a named repository travels in the URL');
  authorized(t, await tcp(k.d, named.url), 'with ?repository=');

  const made = await tcp(k.d, '/api/keys', { method: 'POST', token: k.tokens.admin, body: { name: 'short-lived', role: 'reader' } });
  const temp = made.json as { key: { id: string }; token: string };
  const byTemp = await sign({}, temp.token);
  authorized(t, await tcp(k.d, byTemp.url), 'signed by a key that exists');
  t.equal((await tcp(k.d, `/api/keys/${temp.key.id}`, { method: 'DELETE', token: k.tokens.admin })).status, 200);
  refused(t, await tcp(k.d, byTemp.url), 'its key deleted', /deleted or has expired/);

  const hour = await sign({ ttl: 3600 });
  for (const body of [{ ttl: 0 }, { ttl: 'x' }, { ttl: 31 * 86_400 }, { single_use: 'yes' }]) {
    const r = await tcp(k.d, `/api/snapshot/reader-sign-url/${ref}`, { method: 'POST', token: k.tokens.reader, body });
    t.equal(r.status, 400, `bad body ${JSON.stringify(body)}`);
  }
  const missing = await tcp(k.d, `/api/snapshot/reader-sign-url/${formatSnapshotRef(k.snapshot, `${k.src}/nope`)}`, { method: 'POST', token: k.tokens.reader, body: {} });
  t.equal(missing.status, 404, 'a path not in the snapshot');

  // The daemon again, its access clock 1 h 2 min later.
  await k.d.stop();
  const later = await startCairnd(t, {
    dir: k.dir, args: ['--config', join(k.dir, 'cairnd.json')],
    env: { CAIRN_TEST: '1', CAIRN_TEST_CLOCK_OFFSET_MS: String(CLOCK_OFFSET_MS + 3_720_000) },
  });
  refused(t, await tcp(later, hour.url), 'a 1 h URL after 1 h 2 min', /expired/);
  authorized(t, await tcp(later, plain.url), 'a 2 h URL after 1 h 2 min');
  refused(t, await tcp(later, once.url), 'a used single-use URL stays used after a restart', /already used/);
});
