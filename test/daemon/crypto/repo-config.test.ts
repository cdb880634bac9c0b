// The repository config: golden bytes, the MAC, key order, masks, mandatory features.
import t from 'tap';
import { encodeConfig, decodeConfig, defaultConfigBody, makeMask, deriveSubkeys, type RepoConfig } from '../../../daemon/crypto/index.js';
import { encodeCanonical, decode } from '../../../daemon/msgpack.js';
import { createHmac } from 'node:crypto';
import { formatFixture, hex, GOLDEN_MASTER } from '../../helpers/format-fixtures.js';

const fx = formatFixture<{ id: string; maskS: string; maskL: string; bytes: string }>('config.json');
const cfgKey = deriveSubkeys(GOLDEN_MASTER).cfg;

t.test('golden config bytes', async (t) => {
  const bytes = encodeConfig(cfgKey, defaultConfigBody(fx.id));
  t.equal(bytes.toString('hex'), fx.bytes);
  const body = decode(bytes.subarray(0, bytes.length - 32)) as Record<string, unknown>;
  t.same(Object.keys(body), ['v', 'id', 'chunker', 'packTarget', 'groupTarget', 'compression', 'dirPage', 'mandatory']);
  t.same(Object.keys(body.chunker as object), ['algo', 'min', 'avg', 'max', 'level', 'maskS', 'maskL']);
});

t.test('defaults and masks', async (t) => {
  const c = defaultConfigBody(fx.id);
  t.same([c.chunker.min, c.chunker.avg, c.chunker.max], [256 * 1024, 1 << 20, 8 << 20]);
  t.same([c.packTarget, c.groupTarget], [32 << 20, 1 << 20]);
  t.same(c.dirPage, { bytes: 4 << 20, bits: 12, minEntries: 1000, maxEntries: 65536 });
  t.same(c.compression, { algo: 'zstd', dataLevel: 3, treeLevel: 9 });
  t.equal(makeMask(22).toString(16), 'aaa555552aa80000');
  t.equal(makeMask(18).toString(16), '94a4a52929480000');
  t.equal(c.chunker.maskS.toString('hex'), fx.maskS);
  t.equal(c.chunker.maskL.toString('hex'), fx.maskL);
  const popcount = (m: bigint): number => m.toString(2).split('').filter((b) => b === '1').length;
  t.equal(popcount(makeMask(22)), 22);
  t.equal(popcount(makeMask(18)), 18);
});

t.test('decodes to the body it encoded, whatever key order the caller used', async (t) => {
  const c = defaultConfigBody(fx.id);
  t.same(decodeConfig(cfgKey, hex(fx.bytes)), c);
  const shuffled = {
    mandatory: [], dirPage: c.dirPage, compression: c.compression, groupTarget: c.groupTarget,
    packTarget: c.packTarget, chunker: { ...c.chunker }, id: c.id, v: 1,
  } as unknown as RepoConfig;
  t.equal(encodeConfig(cfgKey, shuffled).toString('hex'), fx.bytes);
});

t.test('the MAC guards every byte', async (t) => {
  const bytes = hex(fx.bytes);
  for (let i = 0; i < bytes.length; i++) {
    const d = Buffer.from(bytes);
    d[i]! ^= 0x80;
    t.throws(() => decodeConfig(cfgKey, d), { code: 'unprocessable' }, `byte ${i}`);
  }
  t.throws(() => decodeConfig(Buffer.alloc(32), bytes), { code: 'unprocessable' }, 'another key');
  t.throws(() => decodeConfig(cfgKey, bytes.subarray(0, 32)), { code: 'unprocessable' }, 'too short');
});

function signed(body: unknown): Buffer {
  const b = encodeCanonical(body);
  return Buffer.concat([b, createHmac('sha256', cfgKey).update(b).digest()]);
}

t.test('unknown mandatory features and bad shapes are refused', async (t) => {
  const c = defaultConfigBody(fx.id);
  t.throws(() => decodeConfig(cfgKey, signed({ ...c, mandatory: ['encrypted-names'] })),
    { code: 'unprocessable', params: { features: ['encrypted-names'] } });
  t.throws(() => decodeConfig(cfgKey, signed({ ...c, v: 2 })), { code: 'unprocessable' });
  t.throws(() => decodeConfig(cfgKey, signed({ ...c, id: 'xyz' })), { code: 'unprocessable' });
  t.throws(() => decodeConfig(cfgKey, signed({ ...c, chunker: { ...c.chunker, maskS: Buffer.alloc(4) } })), { code: 'unprocessable' });
  t.throws(() => decodeConfig(cfgKey, signed({ ...c, packTarget: -1 })), { code: 'unprocessable' });
});
