// Key derivation pinned by golden vectors (checked independently against Python's
// `cryptography` HKDF when they were made) and RFC 5869's own test vector.
import t from 'tap';
import { createHash } from 'node:crypto';
import { deriveSubkeys, hkdfExpand, gearTable, hmacId, packKey } from '../../../daemon/crypto/index.js';
import { CairnError } from '../../../daemon/errors.js';
import { formatFixture, hex, GOLDEN_MASTER } from '../../helpers/format-fixtures.js';

interface KeysFixture {
  master: string;
  subkeys: Record<'enc' | 'id' | 'meta' | 'cfg' | 'gear', string>;
  gearTableSha256: string;
  gearFirst: Array<{ k: number; value: string }>;
  packSalt: string;
  packKey: string;
  hmacIdOfEmpty: string;
  hmacIdOfAbc: string;
}
const fx = formatFixture<KeysFixture>('keys.json');

t.test('subkeys of the golden master', async (t) => {
  t.equal(fx.master, GOLDEN_MASTER.toString('hex'));
  const k = deriveSubkeys(GOLDEN_MASTER);
  t.same(Object.keys(k).sort(), ['cfg', 'enc', 'gear', 'id', 'meta']);
  for (const name of ['enc', 'id', 'meta', 'cfg', 'gear'] as const) {
    t.equal(k[name].length, 32);
    t.equal(k[name].toString('hex'), fx.subkeys[name], name);
  }
});

t.test('gear table', async (t) => {
  const g = gearTable(hex(fx.subkeys.gear));
  t.equal(g.length, 2048);
  t.equal(createHash('sha256').update(g).digest('hex'), fx.gearTableSha256);
  const view = Buffer.from(g.buffer, g.byteOffset, g.byteLength);
  for (const { k, value } of fx.gearFirst) t.equal(view.readBigUInt64BE(k * 8).toString(16).padStart(16, '0'), value, `gear[${k}]`);
});

t.test('pack key and keyed ids', async (t) => {
  t.equal(packKey(hex(fx.subkeys.enc), hex(fx.packSalt)).toString('hex'), fx.packKey);
  t.not(packKey(hex(fx.subkeys.enc), Buffer.alloc(16, 0x23)).toString('hex'), fx.packKey, 'the salt matters');
  t.equal(hmacId(hex(fx.subkeys.id), Buffer.alloc(0)).toString('hex'), fx.hmacIdOfEmpty);
  t.equal(hmacId(hex(fx.subkeys.id), Buffer.from('abc')).toString('hex'), fx.hmacIdOfAbc);
});

t.test('HKDF-Expand matches RFC 5869 test case 1', async (t) => {
  const prk = hex('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
  const okm = hkdfExpand(prk, hex('f0f1f2f3f4f5f6f7f8f9'), 42);
  t.equal(okm.toString('hex'), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  t.equal(hkdfExpand(prk, hex('f0f1f2f3f4f5f6f7f8f9'), 10).toString('hex'), okm.subarray(0, 10).toString('hex'));
  t.equal(hkdfExpand(prk, 'x', 0).length, 0);
});

t.test('wrong sizes are refused', async (t) => {
  t.throws(() => deriveSubkeys(Buffer.alloc(32)), CairnError);
  t.throws(() => packKey(Buffer.alloc(32), Buffer.alloc(15)), CairnError);
  t.throws(() => packKey(Buffer.alloc(31), Buffer.alloc(16)), CairnError);
  t.throws(() => gearTable(Buffer.alloc(16)), CairnError);
  t.throws(() => hkdfExpand(Buffer.alloc(32), 'x', 255 * 32 + 1), CairnError);
});
