// AES-256-GCM helpers: a published vector, round trips, and no byte of a damaged message
// ever comes back.
import t from 'tap';
import { seal, open, isAuthError, AuthError } from '../../../daemon/crypto/index.js';
import { CairnError } from '../../../daemon/errors.js';

const key = Buffer.alloc(32, 1);
const nonce = Buffer.alloc(12, 2);
const aad = Buffer.from('aad');

t.test('GCM spec test case 14 (AES-256, zero key, zero IV, 16 zero bytes)', async (t) => {
  const sealed = seal(Buffer.alloc(32), Buffer.alloc(12), Buffer.alloc(0), Buffer.alloc(16));
  t.equal(sealed.toString('hex'), 'cea7403d4d606b6e074ec5d3baf39d18' + 'd0d1c8a799996bf0265b98b5d48ab919');
});

t.test('round trip, including empty plaintext', async (t) => {
  for (const p of [Buffer.alloc(0), Buffer.from('hello'), Buffer.alloc(100000, 9)]) {
    const s = seal(key, nonce, aad, p);
    t.equal(s.length, p.length + 16);
    t.same(open(key, nonce, aad, s), p);
  }
});

t.test('any change fails with an AuthError (422)', async (t) => {
  const s = seal(key, nonce, aad, Buffer.from('some secret bytes'));
  for (let i = 0; i < s.length; i++) {
    const d = Buffer.from(s);
    d[i]! ^= 0x01;
    t.throws(() => open(key, nonce, aad, d), AuthError, `byte ${i}`);
  }
  t.throws(() => open(Buffer.alloc(32, 3), nonce, aad, s), AuthError, 'key');
  t.throws(() => open(key, Buffer.alloc(12, 3), aad, s), AuthError, 'nonce');
  t.throws(() => open(key, nonce, Buffer.from('aaD'), s), AuthError, 'aad');
  t.throws(() => open(key, nonce, aad, s.subarray(0, 15)), AuthError, 'shorter than a tag');
  t.throws(() => open(key, nonce, aad, s.subarray(1)), AuthError, 'truncated');
  try {
    open(key, nonce, aad, Buffer.alloc(20));
    t.fail('opened garbage');
  } catch (e) {
    t.ok(isAuthError(e));
    t.ok(e instanceof CairnError);
    t.equal((e as CairnError).status, 422);
  }
  t.notOk(isAuthError(new CairnError('unprocessable', 'authentication failed')));
  t.notOk(isAuthError(new Error('x')));
});

t.test('bad key or nonce sizes are programming errors', async (t) => {
  t.throws(() => seal(Buffer.alloc(16), nonce, aad, Buffer.alloc(1)), { code: 'internal-error' });
  t.throws(() => seal(key, Buffer.alloc(16), aad, Buffer.alloc(1)), { code: 'internal-error' });
});
