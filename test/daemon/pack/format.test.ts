// Pack format pieces: header, unit nonce/AAD/sealing (golden), footer, names.
import t from 'tap';
import {
  encodeHeader, parseHeader, unitNonce, unitAad, sealUnit, openUnit, encodeFooter, parseFooter,
  checkFooterHash, packName, packIdFromName, HEADER_SIZE, FOOTER_SIZE,
} from '../../../daemon/pack/index.js';
import { deriveSubkeys, packKey, isAuthError } from '../../../daemon/crypto/index.js';
import { formatFixture, hex, GOLDEN_MASTER } from '../../helpers/format-fixtures.js';

interface UnitFixture {
  i: number; kind: number; codec: number; rawLen: number; id: string; payload: string;
  nonce: string; aad: string; sealed: string; groupAad: string;
}
const fx = formatFixture<UnitFixture>('unit.json');
const salt = Buffer.alloc(16, 0x22);
const pk = packKey(deriveSubkeys(GOLDEN_MASTER).enc, salt);

t.test('header', async (t) => {
  const h = encodeHeader(salt);
  t.equal(h.length, HEADER_SIZE);
  t.equal(h.toString('hex'), Buffer.from('CAIRNPK1').toString('hex') + '0001' + '000000000000' + '22'.repeat(16));
  t.same(parseHeader(h), { version: 1, salt });
  const bad = (i: number, v: number): Buffer => {
    const d = Buffer.from(h);
    d[i] = v;
    return d;
  };
  t.throws(() => parseHeader(bad(0, 0x41), 'packs/x'), { code: 'internal-error', params: { object: 'packs/x' } }, 'magic');
  t.throws(() => parseHeader(bad(9, 2)), { code: 'internal-error' }, 'version 2');
  t.throws(() => parseHeader(bad(12, 1)), { code: 'internal-error' }, 'reserved byte');
  t.throws(() => parseHeader(h.subarray(0, 31)), { code: 'internal-error' }, 'short');
  t.throws(() => encodeHeader(Buffer.alloc(15)), { code: 'internal-error' });
});

t.test('unit nonce and AAD', async (t) => {
  t.equal(unitNonce(fx.i).toString('hex'), fx.nonce);
  t.equal(unitNonce(0xfffffffe).toString('hex'), '0000000000000000fffffffe');
  t.throws(() => unitNonce(2 ** 32), { code: 'internal-error' });
  t.throws(() => unitNonce(-1), { code: 'internal-error' });
  t.equal(unitAad(salt, fx.i, fx.kind, fx.codec, fx.rawLen, hex(fx.id)).toString('hex'), fx.aad);
  t.equal(unitAad(salt, 0x01020304, 1, 1, 0x0a0b0c0d, null).toString('hex'), fx.groupAad);
  t.equal(unitAad(salt, 0x01020304, 1, 1, 0x0a0b0c0d, Buffer.alloc(32)).toString('hex'), fx.groupAad, 'zero id = no id');
  t.throws(() => unitAad(salt, 0, 1, 0, 1, Buffer.alloc(32, 1)), { code: 'internal-error' }, 'a group with an id');
  t.throws(() => unitAad(salt, 0, 0, 0, 1, null), { code: 'internal-error' }, 'a chunk without an id');
  t.throws(() => unitAad(salt, 0, 4, 0, 1, Buffer.alloc(32)), { code: 'internal-error' }, 'kind 4');
  t.throws(() => unitAad(salt, 0, 0, 2, 1, Buffer.alloc(32)), { code: 'internal-error' }, 'codec 2');
});

t.test('golden unit seals and opens; every bound field matters', async (t) => {
  const id = hex(fx.id);
  const sealed = sealUnit(pk, salt, fx.i, fx.kind, fx.codec, fx.rawLen, id, hex(fx.payload));
  t.equal(sealed.toString('hex'), fx.sealed);
  t.equal(openUnit(pk, salt, fx.i, fx.kind, fx.codec, fx.rawLen, id, sealed).toString('hex'), fx.payload);
  const wrong: Array<[string, () => Buffer]> = [
    ['index', () => openUnit(pk, salt, fx.i + 1, fx.kind, fx.codec, fx.rawLen, id, sealed)],
    ['kind', () => openUnit(pk, salt, fx.i, 2, fx.codec, fx.rawLen, id, sealed)],
    ['codec', () => openUnit(pk, salt, fx.i, fx.kind, 1, fx.rawLen, id, sealed)],
    ['rawLen', () => openUnit(pk, salt, fx.i, fx.kind, fx.codec, fx.rawLen + 1, id, sealed)],
    ['id', () => openUnit(pk, salt, fx.i, fx.kind, fx.codec, fx.rawLen, Buffer.alloc(32), sealed)],
    ['salt', () => openUnit(pk, Buffer.alloc(16, 0x23), fx.i, fx.kind, fx.codec, fx.rawLen, id, sealed)],
    ['key', () => openUnit(Buffer.alloc(32), salt, fx.i, fx.kind, fx.codec, fx.rawLen, id, sealed)],
  ];
  for (const [name, fn] of wrong) {
    try {
      fn();
      t.fail(`opened with a wrong ${name}`);
    } catch (e) {
      t.ok(isAuthError(e), name);
    }
  }
});

t.test('footer', async (t) => {
  const trailer = Buffer.alloc(4096, 0xab);
  const f = encodeFooter(trailer);
  t.equal(f.length, FOOTER_SIZE);
  t.equal(f.subarray(0, 12).toString('hex'), '00001000' + Buffer.from('CAIRNEND').toString('hex'));
  t.same(parseFooter(f), { trailerLen: 4096 });
  checkFooterHash(f, trailer);
  const d = Buffer.from(trailer);
  d[100]! ^= 1;
  t.throws(() => checkFooterHash(f, d, 'packs/y'), { code: 'internal-error', params: { object: 'packs/y' } });
  t.throws(() => checkFooterHash(f, trailer.subarray(0, 4095)), { code: 'internal-error' });
  const m = Buffer.from(f);
  m[6] = 0;
  t.throws(() => parseFooter(m), { code: 'internal-error' }, 'magic');
  t.throws(() => parseFooter(encodeFooter(Buffer.alloc(100))), { code: 'internal-error' }, 'unaligned trailer length');
  t.throws(() => parseFooter(encodeFooter(Buffer.alloc(0))), { code: 'internal-error' }, 'empty trailer');
});

t.test('golden footer: xxh64 (seed 0) of 4096 zero bytes ‖ u32 4096', async (t) => {
  // The hash was computed by an independent xxh64 implementation (Python, from the spec).
  const f = encodeFooter(Buffer.alloc(4096, 0));
  t.equal(f.toString('hex'), '00001000' + Buffer.from('CAIRNEND').toString('hex') + 'ccc509aa6abf3976');
});

t.test('pack names', async (t) => {
  const id = Buffer.alloc(32, 0xab);
  const name = packName(id);
  t.equal(name, `packs/ab/${'ab'.repeat(32)}`);
  t.same(packIdFromName(name), id);
  t.equal(packIdFromName(`packs/ac/${'ab'.repeat(32)}`), null, 'prefix must match');
  t.equal(packIdFromName(`packs/ab/${'ab'.repeat(31)}`), null, 'short');
  t.equal(packIdFromName(`snapshots/${'ab'.repeat(32)}`), null);
});
