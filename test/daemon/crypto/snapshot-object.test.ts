// Snapshot objects: golden object with a fixed nonce, opening, and tampering.
import t from 'tap';
import { sealSnapshot, openSnapshot, deriveSubkeys, isAuthError } from '../../../daemon/crypto/index.js';
import { formatFixture, hex, GOLDEN_MASTER } from '../../helpers/format-fixtures.js';

const fx = formatFixture<{ nonce: string; record: string; sealed: string }>('snapshot.json');
const metaKey = deriveSubkeys(GOLDEN_MASTER).meta;

t.test('golden object opens to its record', async (t) => {
  t.equal(openSnapshot(metaKey, hex(fx.sealed)).toString('hex'), fx.record);
});

t.test('sealing with the golden nonce gives the golden bytes', async (t) => {
  // The ciphertext covers zstd-3 output: a zstd upgrade that changes it shows here first.
  const s = sealSnapshot(metaKey, hex(fx.record), { nonce: hex(fx.nonce) });
  t.equal(s.subarray(0, 20).toString('hex'), Buffer.from('CAIRNSN1').toString('hex') + fx.nonce);
  t.equal(s.toString('hex'), fx.sealed);
});

t.test('random nonces; round trip', async (t) => {
  const record = Buffer.from('a record '.repeat(1000));
  const a = sealSnapshot(metaKey, record);
  const b = sealSnapshot(metaKey, record);
  t.not(a.subarray(8, 20).toString('hex'), b.subarray(8, 20).toString('hex'));
  t.ok(a.length < record.length, 'compressed');
  t.same(openSnapshot(metaKey, a), record);
});

t.test('damage is detected, never returned', async (t) => {
  const s = hex(fx.sealed);
  for (let i = 0; i < s.length; i++) {
    const d = Buffer.from(s);
    d[i]! ^= 0x04;
    t.throws(() => openSnapshot(metaKey, d), { code: 'unprocessable' }, `byte ${i}`);
  }
  t.throws(() => openSnapshot(metaKey, s.subarray(0, 30)), { code: 'unprocessable' });
  try {
    openSnapshot(Buffer.alloc(32), s);
    t.fail('opened under another key');
  } catch (e) {
    t.ok(isAuthError(e));
  }
});
