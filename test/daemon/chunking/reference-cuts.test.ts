// The TypeScript reference against the golden vectors, and the fixture's own recipes
// (gear table, generator, masks) against their definitions.
import t from 'tap';
import { createHash } from 'node:crypto';
import { referenceCuts, type ChunkerParams } from '../../../daemon/chunking/index.js';
import { buildInput, cutsDigest, goldenGear, hkdfExpand, loadGolden, paramsOf, prngBytes,
  prngBytesSlow, summarize } from './golden.js';

const golden = loadGolden();
const gear = goldenGear();

t.test('the fixture\'s gear table is HKDF-Expand of its PRK and info', async (t) => {
  t.equal(golden.gear.length, 2048);
  const g = hkdfExpand(Buffer.from(golden.gear.prkHex, 'hex'), golden.gear.info, golden.gear.length);
  t.equal(createHash('sha256').update(g).digest('hex'), golden.gear.sha256);
  t.same(g, gear);
  // RFC 5869 test case 1, expand step only (PRK and OKM from the RFC).
  const prk = Buffer.from('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5', 'hex');
  const info = Buffer.from('f0f1f2f3f4f5f6f7f8f9', 'hex');
  t.equal(hkdfExpand(prk, info, 42).toString('hex'),
    '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
});

t.test('the generator is xorshift64* as the fixture defines it', async (t) => {
  t.equal(prngBytes(BigInt(golden.prng.check.seed), 32).toString('hex'), golden.prng.check.first32Hex);
  for (const seed of [1n, 0x9e3779b97f4a7c15n, 0xffffffffffffffffn]) {
    t.same(prngBytes(seed, 40_003), prngBytesSlow(seed, 40_003), `seed ${seed.toString(16)}`);
  }
});

t.test('referenceCuts reproduces every golden cut list', async (t) => {
  for (const input of golden.inputs) {
    const buf = buildInput(input);
    for (const [pname, p] of Object.entries(golden.params)) {
      const want = golden.expected[pname]![input.name]!;
      t.same(summarize(referenceCuts(buf, gear, paramsOf(p), true)), want, `${pname} ${input.name}`);
    }
  }
});

t.test('a buffer of zeros is cut at max, and lengths respect min and max', async (t) => {
  const p = paramsOf(golden.params.small!);
  t.same(referenceCuts(Buffer.alloc(200_000), gear, p, true), [65536, 131072, 196608, 200_000]);
  const cuts = referenceCuts(prngBytes(77n, 3 << 20), gear, p, true);
  let prev = 0;
  for (const [i, c] of cuts.entries()) {
    const len = c - prev;
    if (len > p.max || (len <= p.min && i !== cuts.length - 1)) t.fail(`chunk ${i} has ${len} bytes`);
    prev = c;
  }
  t.equal(prev, 3 << 20);
});

t.test('final=false leaves out the bytes after the last cut', async (t) => {
  const p: ChunkerParams = paramsOf(golden.params.small!);
  const buf = prngBytes(5n, 300_000);
  const all = referenceCuts(buf, gear, p, true);
  const partial = referenceCuts(buf, gear, p, false);
  t.same(partial, all.slice(0, -1), 'everything but the tail');
  t.same(referenceCuts(buf.subarray(0, 2048), gear, p, false), [], 'min bytes or fewer: need more');
  t.same(referenceCuts(buf.subarray(0, 2048), gear, p, true), [2048], 'final: one chunk');
  t.same(referenceCuts(Buffer.alloc(65536), gear, p, false), [65536], 'max bytes: cut without final');
  t.same(referenceCuts(Buffer.alloc(0), gear, p, true), []);
});

t.test('the digest of a cut list is over big-endian u32', async (t) => {
  t.equal(cutsDigest([1, 256]), createHash('sha256').update(Buffer.from([0, 0, 0, 1, 0, 0, 1, 0])).digest('hex'));
});

t.test('bad tables and params are refused', async (t) => {
  const p = paramsOf(golden.params.small!);
  t.throws(() => referenceCuts(Buffer.alloc(10), gear.subarray(0, 2047), p, true), RangeError);
  t.throws(() => referenceCuts(Buffer.alloc(10), gear, { ...p, min: p.avg + 1 }, true), RangeError);
  t.throws(() => referenceCuts(Buffer.alloc(10), gear, { ...p, max: 0, avg: 0, min: 0 }, true), RangeError);
});
