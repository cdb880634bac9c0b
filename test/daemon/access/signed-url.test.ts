// daemon/access/signed-url.ts and nonce-store.ts: the HMAC over API.md's fields (each
// one changes it), url.key (32 bytes, 0600, created once), the URL round trip, and
// verification: tampering, expiry by the injected clock, a deleted key, single use
// (also across a restart), and the bound on recorded nonces.
import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  NonceStore, UrlSigner, parseSignedUrl, signatureOf, signedReaderUrl, type SignedFields,
} from '../../../daemon/access/index.js';
import { FakeClock } from '../../helpers/daemon.js';
import { tmpDir } from '../../helpers/tmp.js';

const REPO = 'a'.repeat(64);
const SNAP = 'b'.repeat(64);
const always = (): boolean => true;

t.test('the signature covers every field, in API.md\'s layout', async (t) => {
  const secret = Buffer.alloc(32, 7);
  const f: SignedFields = {
    repositoryId: REPO, snapshotId: SNAP, path: Buffer.from('/home/ann/doc.txt'), expires: 1_800_000_000,
    singleUse: false, nonce: Buffer.alloc(16, 1), keyId: '0123456789abcdef',
  };
  const sig = signatureOf(secret, f);
  t.match(sig, /^[0-9a-f]{64}$/);
  // The layout, computed independently.
  const { createHmac } = await import('node:crypto');
  const len = Buffer.alloc(4); len.writeUInt32BE(17);
  const exp = Buffer.alloc(8); exp.writeBigUInt64BE(1_800_000_000n);
  const manual = createHmac('sha256', secret).update(Buffer.concat([
    Buffer.from('cairn/v1/url'), Buffer.from(REPO, 'hex'), Buffer.from(SNAP, 'hex'), len, Buffer.from('/home/ann/doc.txt'),
    exp, Buffer.of(0), Buffer.alloc(16, 1), Buffer.from('0123456789abcdef'),
  ])).digest('hex');
  t.equal(sig, manual);
  const variants: Partial<SignedFields>[] = [
    { repositoryId: 'c'.repeat(64) }, { snapshotId: 'c'.repeat(64) }, { path: Buffer.from('/home/ann/doc.txu') },
    { expires: 1_800_000_001 }, { singleUse: true }, { nonce: Buffer.alloc(16, 2) }, { keyId: 'local-admin' },
  ];
  for (const v of variants) t.not(signatureOf(secret, { ...f, ...v }), sig, `${Object.keys(v)[0]} is covered`);
  t.not(signatureOf(Buffer.alloc(32, 8), f), sig, 'the secret matters');
});

t.test('URL round trip: bytes that are not UTF-8, a repository name', async (t) => {
  const f: SignedFields = {
    repositoryId: REPO, snapshotId: SNAP, path: Buffer.from([0x2f, 0x61, 0xff, 0x20, 0x3f, 0x26, 0x25]), expires: 123,
    singleUse: true, nonce: Buffer.alloc(16, 9), keyId: 'local-admin',
  };
  const url = signedReaderUrl(f, 'd'.repeat(64), 'second repo');
  t.match(url, /^\/api\/snapshot\/reader\/b{64}:\/a%FF%20%3F%26%25\?/);
  const p = parseSignedUrl(url);
  t.same(Buffer.from(p.fields.path), Buffer.from(f.path));
  t.match(p, { signature: 'd'.repeat(64), repository: 'second repo', fields: { snapshotId: SNAP, expires: 123, singleUse: true, keyId: 'local-admin' } });
  t.same(Buffer.from(p.fields.nonce), Buffer.alloc(16, 9));
  for (const bad of [
    url.replace('signature=', 'sig='), url.replace(/nonce=[0-9a-f]+/, 'nonce=zz'), url.replace('expires=123', 'expires=-1'),
    url.replace('single_use=1', 'single_use=yes'), url + '&signature=' + 'e'.repeat(64), url.replace(SNAP, SNAP.slice(0, 10)),
    url.replace('/api/snapshot/reader/', '/api/files/cat/'),
  ]) t.throws(() => parseSignedUrl(bad), { code: 'bad_auth' }, bad.slice(0, 120));
});

t.test('sign and verify: tampering, expiry by the injected clock, a deleted key', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const signer = await UrlSigner.open(dir, clock);
  const keyFile = join(dir, 'url.key');
  t.equal(statSync(keyFile).size, 32);
  t.equal(statSync(keyFile).mode & 0o777, 0o600);
  const s = signer.sign({ repositoryId: REPO, snapshotId: SNAP, path: Buffer.from('/etc/hosts'), keyId: 'k1' });
  t.equal(s.expires_at, new Date(clock.now() + 7_200_000).toISOString(), 'default ttl 2 h');
  await signer.verify(parseSignedUrl(s.url), REPO, always);
  await signer.verify(parseSignedUrl(s.url), REPO, always); // not single use: again
  await t.rejects(signer.verify(parseSignedUrl(s.url), 'c'.repeat(64), always), { code: 'bad_auth', message: 'invalid signature' }, 'another repository');
  await t.rejects(signer.verify(parseSignedUrl(s.url.replace('/etc/hosts', '/etc/shadow')), REPO, always), { message: 'invalid signature' });
  const later = s.url.replace(/expires=(\d+)/, (_, e: string) => `expires=${Number(e) + 3600}`);
  await t.rejects(signer.verify(parseSignedUrl(later), REPO, always), { message: 'invalid signature' }, 'expiry is signed');
  const flip = s.url.replace(/signature=([0-9a-f])/, (_, c: string) => `signature=${c === '0' ? '1' : '0'}`);
  await t.rejects(signer.verify(parseSignedUrl(flip), REPO, always), { message: 'invalid signature' });
  await t.rejects(signer.verify(parseSignedUrl(s.url), REPO, (k) => k !== 'k1'), { code: 'bad_auth', message: /deleted or has expired/ });
  clock.advance(7_199_000);
  await signer.verify(parseSignedUrl(s.url), REPO, always);
  clock.advance(1_000);
  await t.rejects(signer.verify(parseSignedUrl(s.url), REPO, always), { code: 'bad_auth', message: 'signed URL expired' });

  const again = await UrlSigner.open(dir, clock);
  t.same(readFileSync(keyFile).length, 32);
  const s2 = again.sign({ repositoryId: REPO, snapshotId: SNAP, path: Buffer.from('/x'), keyId: 'k1', ttl: 60 });
  await signer.verify(parseSignedUrl(s2.url), REPO, always); // the same url.key after a restart
});

t.test('single use: the second use is refused, also after a restart; until expiry only', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const signer = await UrlSigner.open(dir, clock);
  const s = signer.sign({ repositoryId: REPO, snapshotId: SNAP, path: Buffer.from('/f'), keyId: 'k', ttl: 60, singleUse: true });
  const other = signer.sign({ repositoryId: REPO, snapshotId: SNAP, path: Buffer.from('/f'), keyId: 'k', ttl: 60, singleUse: true });
  await signer.verify(parseSignedUrl(s.url), REPO, always);
  await t.rejects(signer.verify(parseSignedUrl(s.url), REPO, always), { code: 'bad_auth', message: 'signed URL already used' });
  const restarted = await UrlSigner.open(dir, clock);
  await t.rejects(restarted.verify(parseSignedUrl(s.url), REPO, always), { message: 'signed URL already used' }, 'after a restart');
  await restarted.verify(parseSignedUrl(other.url), REPO, always);
  t.equal(statSync(join(dir, 'url-nonces')).mode & 0o777, 0o600);
  clock.advance(60_000);
  const store = await NonceStore.open(dir, clock);
  t.equal(store.size, 0, 'expired nonces are dropped at open');
  t.equal(readFileSync(join(dir, 'url-nonces'), 'utf8'), '', 'and from the file');
});

t.test('the nonce store is bounded: past its cap, uses wait (503) until some expire', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock();
  const store = await NonceStore.open(dir, clock, 3);
  const exp = Math.floor(clock.now() / 1000) + 10;
  t.equal(await store.consume('0'.repeat(32), exp), true);
  t.equal(await store.consume('1'.repeat(32), exp), true);
  t.equal(await store.consume('2'.repeat(32), exp + 100), true);
  t.equal(await store.consume('1'.repeat(32), exp), false);
  await t.rejects(store.consume('3'.repeat(32), exp), { code: 'unavailable' });
  clock.advance(10_000);
  t.equal(await store.consume('3'.repeat(32), exp + 50), true, 'expired ones made room');
  t.equal(store.size, 2);
  t.equal(await store.consume('2'.repeat(32), exp + 100), false, 'a live one is never forgotten');
});
