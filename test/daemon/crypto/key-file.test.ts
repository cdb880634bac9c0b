// Passphrase key files: golden bytes (N = 2^10, fixed salt and nonce), unlocking, a wrong
// passphrase as API.md's 422, and CAIRN_KDF_N.
import t from 'tap';
import { createHash } from 'node:crypto';
import { createKeyFile, unlockKeyFile, kdfParamsFromEnv } from '../../../daemon/crypto/index.js';
import { encodeCanonical, decode } from '../../../daemon/msgpack.js';
import { CairnError } from '../../../daemon/errors.js';
import { formatFixture, hex, GOLDEN_MASTER } from '../../helpers/format-fixtures.js';

interface KeyFileFixture {
  passphrase: string; N: number; r: number; p: number; salt: string; nonce: string; master: string; name: string; bytes: string;
}
const fx = formatFixture<KeyFileFixture>('key-file.json');
const cheap = { N: 1024, r: 8, p: 1 };

t.test('golden key file', async (t) => {
  const bytes = await createKeyFile(fx.passphrase, GOLDEN_MASTER, { N: fx.N, r: fx.r, p: fx.p }, { salt: hex(fx.salt), nonce: hex(fx.nonce) });
  t.equal(bytes.toString('hex'), fx.bytes);
  t.equal(`keys/${createHash('sha256').update(bytes).digest('hex')}`, fx.name);
  t.same(Object.keys(decode(bytes) as object), ['v', 'kdf', 'N', 'r', 'p', 'salt', 'nonce', 'wrapped']);
  t.equal((await unlockKeyFile(hex(fx.bytes), fx.passphrase)).toString('hex'), fx.master);
  t.equal((await unlockKeyFile(hex(fx.bytes), Buffer.from(fx.passphrase))).toString('hex'), fx.master, 'a Buffer passphrase');
});

t.test('a wrong passphrase is a 422 naming the passphrase', async (t) => {
  await t.rejects(unlockKeyFile(hex(fx.bytes), 'wrong'), {
    code: 'unprocessable', message: 'wrong passphrase',
    params: { passphrase: { code: 'invalid_argument', message: 'wrong passphrase' } },
  });
  try {
    await unlockKeyFile(hex(fx.bytes), '');
    t.fail('unlocked');
  } catch (e) {
    t.equal((e as CairnError).status, 422);
  }
});

t.test('fresh files use random salts and unlock', async (t) => {
  const a = await createKeyFile('pw', GOLDEN_MASTER, cheap);
  const b = await createKeyFile('pw', GOLDEN_MASTER, cheap);
  t.not(a.toString('hex'), b.toString('hex'));
  t.same(await unlockKeyFile(a, 'pw'), GOLDEN_MASTER);
  t.same(await unlockKeyFile(b, 'pw'), GOLDEN_MASTER);
});

t.test('N, r, p are read from the file', async (t) => {
  const f = await createKeyFile('pw', GOLDEN_MASTER, { N: 2048, r: 4, p: 2 });
  const o = decode(f) as Record<string, unknown>;
  t.same([o.N, o.r, o.p], [2048, 4, 2]);
  t.same(await unlockKeyFile(f, 'pw'), GOLDEN_MASTER);
});

t.test('malformed files are refused without a scrypt run', async (t) => {
  const o = decode(hex(fx.bytes)) as Record<string, unknown>;
  const variants: Array<[string, unknown]> = [
    ['not msgpack', null],
    ['version 2', { ...o, v: 2 }],
    ['another kdf', { ...o, kdf: 'argon2id' }],
    ['N not a power of two', { ...o, N: 1000 }],
    ['short salt', { ...o, salt: Buffer.alloc(31) }],
    ['short wrapped', { ...o, wrapped: Buffer.alloc(10) }],
    ['an array', [1, 2]],
  ];
  for (const [name, v] of variants) {
    const bytes = v === null ? Buffer.from('c1', 'hex') : encodeCanonical(v);
    await t.rejects(unlockKeyFile(bytes, fx.passphrase), { code: 'unprocessable' }, name);
  }
  await t.rejects(unlockKeyFile(encodeCanonical({ ...o, N: 2 ** 20 }), fx.passphrase), { code: 'unprocessable' }, 'N beyond maxmem');
});

t.test('kdfParamsFromEnv', async (t) => {
  t.same(kdfParamsFromEnv({}), { N: 2 ** 17, r: 8, p: 1 });
  t.same(kdfParamsFromEnv({ CAIRN_KDF_N: '' }), { N: 2 ** 17, r: 8, p: 1 });
  t.same(kdfParamsFromEnv({ CAIRN_KDF_N: '1024' }), { N: 1024, r: 8, p: 1 });
  t.same(kdfParamsFromEnv({ CAIRN_KDF_N: '65536' }), { N: 65536, r: 8, p: 1 });
  for (const bad of ['512', '1000', '0', '-1024', '1e3', 'abc', '1024.0', String(2 ** 18)]) {
    t.throws(() => kdfParamsFromEnv({ CAIRN_KDF_N: bad }), { code: 'invalid_params' }, bad);
  }
  const saved = process.env.CAIRN_KDF_N;
  t.teardown(() => {
    if (saved === undefined) delete process.env.CAIRN_KDF_N;
    else process.env.CAIRN_KDF_N = saved;
  });
  process.env.CAIRN_KDF_N = '2048';
  t.equal(kdfParamsFromEnv().N, 2048, 'reads process.env by default');
});
