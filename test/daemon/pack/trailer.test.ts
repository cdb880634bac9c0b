// The trailer: the padding rule (bin header sizes change at 256 and 65536), encoding,
// authentication, and the entry checks.
import t from 'tap';
import {
  trailerPadLength, encodeTrailer, sealTrailer, openTrailer, decodeTrailer, checkLayout, encodeHeader,
  type PackEntry,
} from '../../../daemon/pack/index.js';
import { encodeCanonical, decode } from '../../../daemon/msgpack.js';

const binHead = (n: number): number => (n < 256 ? 2 : n < 65536 ? 3 : 5);

t.test('pad lengths, worked by hand', async (t) => {
  // base = plaintext bytes without the pad's bin; the sealed length adds the pad's bin and 16.
  const table: Array<[number, number, string]> = [
    [4078, 0, 'already aligned with an empty pad'],
    [4077, 1, 'one byte short'],
    [3823, 255, 'the largest bin8 pad'],
    [3822, 4351, 'bin8 would need 256: bin16 needs 255 (too small for bin16), so one more block'],
    [3821, 256, 'bin8 would need 257: bin16 fits 256 exactly'],
    [4079, 4094, 'one byte over a block: bin16'],
    [0, 4077, 'empty base'],
    [8174, 0, 'two blocks'],
  ];
  for (const [base, n, why] of table) t.equal(trailerPadLength(base), n, `${base}: ${why}`);
});

t.test('pad lengths: aligned and minimal for every base over three blocks', async (t) => {
  let bad = 0;
  for (let base = 0; base < 3 * 4096; base++) {
    const n = trailerPadLength(base);
    if ((base + binHead(n) + n + 16) % 4096 !== 0) bad++;
    for (let m = 0; m < n; m++) if ((base + binHead(m) + m + 16) % 4096 === 0) bad++;
  }
  t.equal(bad, 0);
});

function dataEntries(count: number, rawLen: number): PackEntry[] {
  const out: PackEntry[] = [];
  let offset = 32;
  for (let i = 0; i < count; i++) {
    out.push({ unit: i, kind: 0, codec: i % 2, offset, storedLen: 116, rawLen, id: Buffer.alloc(32, i & 0xff), members: null });
    offset += 116;
  }
  return out;
}

t.test('encoded trailers hit the 256-byte edge and stay aligned', async (t) => {
  // Entries of 40 or 41 bytes (storedLen a fixint or a uint8) reach every base mod 4096.
  const entry = (i: number, wide: boolean): PackEntry =>
    ({ unit: i, kind: 0, codec: 0, offset: 0, storedLen: wide ? 200 : 100, rawLen: 1, id: Buffer.alloc(32, 3), members: null });
  let hitEdge = false;
  let checked = 0;
  for (let count = 0; count < 120 && !hitEdge; count++) {
    for (let wide = 0; wide <= count && !hitEdge; wide++) {
      const entries = Array.from({ length: count }, (_, i) => entry(i, i < wide));
      const plain = encodeTrailer('data', entries);
      checked++;
      if ((plain.length + 16) % 4096 !== 0) t.fail(`unaligned with ${count} entries`);
      const bare = encodeCanonical({ kind: 0, entries: entries.map((e) => [e.kind, e.codec, e.offset, e.storedLen, e.rawLen, e.id]), pad: Buffer.alloc(0) });
      if ((bare.length - 2) % 4096 === 3822) {
        hitEdge = true;
        const pad = (decode(plain) as { pad: Buffer }).pad;
        t.equal(pad.length, 4351, 'the edge case pads with a bin16 of 4351');
        t.ok(pad.equals(Buffer.alloc(4351)), 'zeros');
        t.equal(plain.length + 16, 8192);
      }
    }
  }
  t.ok(hitEdge, `found an entry list at the edge (after ${checked})`);
});

t.test('seal, open and decode', async (t) => {
  const key = Buffer.alloc(32, 5);
  const header = encodeHeader(Buffer.alloc(16, 9));
  const members: Array<[Buffer, number, number]> = [[Buffer.alloc(32, 1), 0, 10], [Buffer.alloc(32, 2), 10, 5]];
  const entries: PackEntry[] = [
    ...dataEntries(3, 1000),
    { unit: 3, kind: 1, codec: 1, offset: 32 + 3 * 116, storedLen: 40, rawLen: 15, id: null, members },
  ];
  const sealed = sealTrailer(key, header, 'data', entries);
  t.equal(sealed.length % 4096, 0);
  const got = openTrailer(key, header, sealed, 'packs/z');
  t.equal(got.kind, 'data');
  t.same(got.entries, entries);
  checkLayout(got.entries, 32 + 3 * 116 + 40);
  t.throws(() => checkLayout(got.entries, 32 + 3 * 116 + 41, 'packs/z'), { code: 'internal-error', params: { object: 'packs/z' } });
  const shifted = got.entries.map((e) => ({ ...e }));
  shifted[1]!.offset += 1;
  t.throws(() => checkLayout(shifted, 32 + 3 * 116 + 40), { code: 'internal-error' });
  const otherHeader = encodeHeader(Buffer.alloc(16, 8));
  t.throws(() => openTrailer(key, otherHeader, sealed, 'packs/z'), { code: 'internal-error', params: { object: 'packs/z' } });
  const tree = openTrailer(key, header, sealTrailer(key, header, 'tree', [
    { unit: 0, kind: 2, codec: 1, offset: 32, storedLen: 50, rawLen: 80, id: Buffer.alloc(32, 7), members: null },
    { unit: 1, kind: 3, codec: 0, offset: 82, storedLen: 50, rawLen: 34, id: Buffer.alloc(32, 8), members: null },
  ]));
  t.equal(tree.kind, 'tree');
  t.equal(tree.entries.length, 2);
  t.same(openTrailer(key, header, sealTrailer(key, header, 'data', [])).entries, [], 'an empty pack');
});

t.test('malformed trailer plaintexts are refused', async (t) => {
  const id = Buffer.alloc(32, 1);
  const ok = [0, 0, 32, 20, 4, id];
  const bad: Array<[string, unknown]> = [
    ['not a map', [1]],
    ['extra key', { kind: 0, entries: [], pad: Buffer.alloc(0), x: 1 }],
    ['keys out of order', { entries: [], kind: 0, pad: Buffer.alloc(0) }],
    ['pack kind 2', { kind: 2, entries: [], pad: Buffer.alloc(0) }],
    ['pad not bin', { kind: 0, entries: [], pad: 'x' }],
    ['short entry', { kind: 0, entries: [[0, 0, 32, 20, 4]], pad: Buffer.alloc(0) }],
    ['unit kind 4', { kind: 0, entries: [[4, 0, 32, 20, 4, id]], pad: Buffer.alloc(0) }],
    ['codec 2', { kind: 0, entries: [[0, 2, 32, 20, 4, id]], pad: Buffer.alloc(0) }],
    ['stored shorter than a tag', { kind: 0, entries: [[0, 0, 32, 15, 4, id]], pad: Buffer.alloc(0) }],
    ['short id', { kind: 0, entries: [[0, 0, 32, 20, 4, Buffer.alloc(31)]], pad: Buffer.alloc(0) }],
    ['group without members', { kind: 0, entries: [[1, 0, 32, 20, 4, id]], pad: Buffer.alloc(0) }],
    ['member past the group', { kind: 0, entries: [[1, 0, 32, 20, 4, [[id, 2, 3]]]], pad: Buffer.alloc(0) }],
    ['tree unit in a data pack', { kind: 0, entries: [[2, 0, 32, 20, 4, id]], pad: Buffer.alloc(0) }],
    ['data unit in a tree pack', { kind: 1, entries: [ok], pad: Buffer.alloc(0) }],
    ['trailing bytes', null],
  ];
  for (const [name, v] of bad) {
    const bytes = v === null ? Buffer.concat([encodeCanonical({ kind: 0, entries: [], pad: Buffer.alloc(0) }), Buffer.from([0])]) : encodeCanonical(v);
    t.throws(() => decodeTrailer(bytes, 'packs/q'), { code: 'internal-error', params: { object: 'packs/q' } }, name);
  }
  t.same(decodeTrailer(encodeCanonical({ kind: 0, entries: [ok], pad: Buffer.alloc(3) })).entries[0]!.id, id, 'a good one');
});
