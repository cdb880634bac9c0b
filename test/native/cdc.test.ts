// native/src/cdc.c: the golden vectors, agreement with the TypeScript reference on random
// params, carrying the tail across final=false calls, and the average chunk size.
import t from 'tap';
import { createChunker } from '../../native/index.js';
import { DEFAULT_CHUNKER_PARAMS, makeMask, referenceCuts, type ChunkerParams } from '../../daemon/chunking/index.js';
import { buildInput, goldenGear, loadGolden, paramsOf, prngBytes, summarize } from '../daemon/chunking/golden.js';

const golden = loadGolden();
const gear = goldenGear();
const MiB = 1024 * 1024;

t.test('native cuts reproduce every golden cut list', async (t) => {
  for (const input of golden.inputs) {
    const buf = buildInput(input);
    for (const [pname, p] of Object.entries(golden.params)) {
      const cuts = createChunker({ gear, ...paramsOf(p) }).cuts(buf, true);
      t.ok(cuts instanceof Uint32Array);
      t.same(summarize(cuts), golden.expected[pname]![input.name]!, `${pname} ${input.name}`);
    }
  }
});

t.test('native == reference on random params and data', async (t) => {
  const r = prngBytes(0x5eedn, 8 * 400);
  const u = (i: number) => r.readUInt32LE(4 * i);
  for (let k = 0; k < 100; k++) {
    const min = u(8 * k) % 3000;
    const avg = min + (u(8 * k + 1) % 9000);
    const max = Math.max(1, avg + (u(8 * k + 2) % 40000));
    // Half the cases use makeMask masks, half arbitrary 64-bit masks (low bits too).
    const arbitrary = k % 2 === 1;
    const mask = (i: number, bits: number) => arbitrary
      ? (BigInt(u(i)) << 32n | BigInt(u(i + 1))) & ((BigInt(u(i + 2)) << 32n) | BigInt(u(i + 3)))
      : makeMask(bits);
    const params: ChunkerParams = { min, avg, max, maskS: mask(8 * k + 3, 2 + (u(8 * k + 3) % 14)), maskL: mask(8 * k + 4, 2 + (u(8 * k + 4) % 10)) };
    const size = u(8 * k + 5) % 200_000;
    const kind = k % 3;
    const data = kind === 0 ? prngBytes(BigInt(k + 1), size) : kind === 1 ? Buffer.alloc(size, k) : Buffer.from(prngBytes(BigInt(k + 1), 64).toString('hex').repeat(Math.ceil(size / 128)).slice(0, size));
    const final = (u(8 * k + 6) & 1) === 1;
    const native = Array.from(createChunker({ gear, ...params }).cuts(data, final));
    const ref = referenceCuts(data, gear, params, final);
    if (JSON.stringify(native) !== JSON.stringify(ref)) {
      t.same(native, ref, `case ${k}: ${JSON.stringify({ ...params, maskS: params.maskS.toString(16), maskL: params.maskL.toString(16), size, kind, final })}`);
      return;
    }
  }
  t.pass('100 cases agree');
});

/** Feeds data in pieces with final=false, carrying the tail, then ends with final=true. */
function carried(cuts: (b: Uint8Array, final: boolean) => ArrayLike<number>, data: Buffer, sizes: number[]): number[] {
  const out: number[] = [];
  let tail: Buffer = Buffer.alloc(0);
  let base = 0;
  let off = 0;
  for (const size of sizes) {
    const buf = Buffer.concat([tail, data.subarray(off, off + size)]);
    off += size;
    let last = 0;
    for (const c of Array.from(cuts(buf, false))) {
      out.push(base + c);
      last = c;
    }
    base += last;
    tail = buf.subarray(last);
  }
  for (const c of Array.from(cuts(tail, true))) out.push(base + c);
  return out;
}

function randomSizes(seed: bigint, total: number, maxExp: number): number[] {
  const r = prngBytes(seed, 8 * 8192);
  const sizes: number[] = [];
  for (let i = 0, sum = 0; sum < total; i++) {
    const size = Math.min(total - sum, 1 + (r.readUInt32LE(8 * (i % 8192)) % 2 ** (1 + (r[8 * (i % 8192) + 4]! % maxExp))));
    sizes.push(size);
    sum += size;
  }
  return sizes;
}

t.test('final=false in random-sized pieces, tail carried, gives the cuts of one final call', async (t) => {
  const cases: Array<[string, ChunkerParams, Buffer, number]> = [
    ['default', DEFAULT_CHUNKER_PARAMS, prngBytes(0x1234n, 40 * MiB), 24],
    ['default zeros', DEFAULT_CHUNKER_PARAMS, Buffer.alloc(20 * MiB), 23],
    ['small', paramsOf(golden.params.small!), prngBytes(0x4321n, 4 * MiB), 18],
  ];
  for (const [name, p, data, exp] of cases) {
    const chunker = createChunker({ gear, ...p });
    const whole = Array.from(chunker.cuts(data, true));
    const sizes = randomSizes(BigInt(exp), data.length, exp);
    t.ok(sizes.length > 20, `${name}: ${sizes.length} pieces`);
    t.same(carried((b, f) => chunker.cuts(b, f), data, sizes), whole, name);
    if (name === 'small') t.same(carried((b, f) => referenceCuts(b, gear, p, f), data, sizes), whole, 'reference too');
  }
});

t.test('average chunk size on 64 MiB of random data is 0.7–1.6 MiB with defaults', async (t) => {
  const data = prngBytes(0xfeedn, 64 * MiB);
  const cuts = createChunker({ gear, ...DEFAULT_CHUNKER_PARAMS }).cuts(data, true);
  const avg = data.length / cuts.length;
  t.ok(avg >= 0.7 * MiB && avg <= 1.6 * MiB, `average ${(avg / MiB).toFixed(3)} MiB over ${cuts.length} chunks`);
  t.equal(cuts[cuts.length - 1], data.length);
});

t.test('cuts reads a view at its offset and accepts any Uint8Array', async (t) => {
  const p = paramsOf(golden.params.small!);
  const chunker = createChunker({ gear, ...p });
  const data = prngBytes(3n, 300_000);
  const padded = Buffer.concat([Buffer.alloc(777, 1), data]);
  const view = new Uint8Array(padded.buffer, padded.byteOffset + 777, data.length);
  t.same(Array.from(chunker.cuts(view, true)), Array.from(chunker.cuts(data, true)));
  t.same(Array.from(chunker.cuts(new Uint8Array(0), true)), []);
});

t.test('bad arguments throw', async (t) => {
  const p = paramsOf(golden.params.small!);
  t.throws(() => createChunker({ gear: gear.subarray(0, 100), ...p }), RangeError);
  t.throws(() => createChunker({ gear, ...p, min: p.avg + 1 }), RangeError);
  t.throws(() => createChunker({ gear, ...p, maskL: 1n << 64n }), RangeError);
  t.throws(() => createChunker({ gear, ...p, min: -1 }), RangeError);
  const chunker = createChunker({ gear, ...p });
  t.throws(() => chunker.cuts(new Uint16Array(4) as unknown as Uint8Array, true), TypeError);
  t.throws(() => chunker.cuts('abc' as unknown as Uint8Array, true), TypeError);
  t.throws(() => chunker.cuts(new Uint8Array(4), 1 as unknown as boolean), TypeError);
});
