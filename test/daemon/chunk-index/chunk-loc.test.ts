// The 32-byte `chunks` row value (DESIGN §3 "LMDB index"), byte for byte.
import t from 'tap';
import { CHUNK_LOC_SIZE, decodeChunkLoc, encodeChunkLoc, type ChunkLoc } from '../../../daemon/chunk-index/index.js';

const every: ChunkLoc = {
  pack: 0x01020304, offset: 0x05060708, storedLen: 0x090a0b0c, rawLen: 0x0d0e0f10, unit: 0x11121314,
  memberOffset: 0x15161718, memberLen: 0x191a1b1c, kind: 0x1d, codec: 0x1e, flags: 0x1f20,
};

const cases: Array<[string, ChunkLoc, string]> = [
  ['every field distinct', every, '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20'],
  ['a zstd data chunk', {
    pack: 1, offset: 32, storedLen: 1048592, rawLen: 1048576, unit: 0, memberOffset: 0, memberLen: 1048576, kind: 0, codec: 1, flags: 0,
  }, '00000001' + '00000020' + '00100010' + '00100000' + '00000000' + '00000000' + '00100000' + '00' + '01' + '0000'],
  ['a group member', {
    pack: 7, offset: 4096, storedLen: 300000, rawLen: 1000000, unit: 3, memberOffset: 123456, memberLen: 789, kind: 1, codec: 1, flags: 0,
  }, '00000007' + '00001000' + '000493e0' + '000f4240' + '00000003' + '0001e240' + '00000315' + '01' + '01' + '0000'],
  ['maxima', {
    pack: 0xffffffff, offset: 0xffffffff, storedLen: 0xffffffff, rawLen: 0xffffffff, unit: 0xffffffff,
    memberOffset: 0xffffffff, memberLen: 0xffffffff, kind: 0xff, codec: 0xff, flags: 0xffff,
  }, 'ff'.repeat(32)],
];

t.test('encoding is fixed byte for byte and round-trips', async (t) => {
  for (const [name, loc, hex] of cases) {
    const b = encodeChunkLoc(loc);
    t.equal(b.length, CHUNK_LOC_SIZE, name);
    t.equal(b.toString('hex'), hex, name);
    t.same(decodeChunkLoc(b), loc, `${name} decodes`);
    t.same(decodeChunkLoc(new Uint8Array(Buffer.concat([Buffer.alloc(3), b]).subarray(3))), loc, `${name} from an offset view`);
  }
});

t.test('fields out of range are refused', async (t) => {
  const bad: Array<[keyof ChunkLoc, number]> = [
    ['pack', -1], ['pack', 2 ** 32], ['offset', 1.5], ['unit', Number.NaN], ['memberLen', 2 ** 40],
    ['kind', 256], ['codec', -1], ['flags', 65536],
  ];
  for (const [field, value] of bad) {
    t.throws(() => encodeChunkLoc({ ...every, [field]: value }), { code: 'internal-error' }, `${field} = ${value}`);
  }
  t.throws(() => decodeChunkLoc(Buffer.alloc(31)), { code: 'internal-error' });
  t.throws(() => decodeChunkLoc(Buffer.alloc(33)), { code: 'internal-error' });
});
