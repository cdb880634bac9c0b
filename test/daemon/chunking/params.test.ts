// makeMask's recipe and the default parameters (DESIGN §3: level 2 = log2(avg) ± 2 bits).
import t from 'tap';
import { DEFAULT_CHUNKER_PARAMS, makeMask } from '../../../daemon/chunking/index.js';
import { loadGolden } from './golden.js';

function bitsOf(m: bigint): number[] {
  const out: number[] = [];
  for (let b = 0; b < 64; b++) if ((m >> BigInt(b)) & 1n) out.push(b);
  return out;
}

t.test('makeMask spreads `bits` one-bits over positions 63..19', async (t) => {
  for (let bits = 2; bits <= 45; bits++) {
    const positions = bitsOf(makeMask(bits));
    t.equal(positions.length, bits, `${bits} bits are distinct`);
    t.equal(positions[0], 19, `${bits}: lowest bit 19`);
    t.equal(positions[positions.length - 1], 63, `${bits}: highest bit 63`);
  }
  t.equal(makeMask(2), (1n << 63n) | (1n << 19n));
});

t.test('makeMask matches the masks stored in the golden fixture', async (t) => {
  const golden = loadGolden();
  for (const [name, p] of Object.entries(golden.params)) {
    t.equal(makeMask(p.maskSBits), BigInt(p.maskS), `${name} maskS`);
    t.equal(makeMask(p.maskLBits), BigInt(p.maskL), `${name} maskL`);
  }
  t.equal(makeMask(22), 0xaaa555552aa80000n);
  t.equal(makeMask(18), 0x94a4a52929480000n);
});

t.test('makeMask rejects bit counts it cannot spread', async (t) => {
  for (const bad of [0, 1, 46, 2.5, NaN]) t.throws(() => makeMask(bad), RangeError, String(bad));
});

t.test('defaults: 256 KiB / 1 MiB / 8 MiB, masks of 22 and 18 bits, frozen', async (t) => {
  t.same(DEFAULT_CHUNKER_PARAMS, { min: 256 * 1024, avg: 1024 * 1024, max: 8 * 1024 * 1024,
    maskS: makeMask(22), maskL: makeMask(18) });
  t.ok(Object.isFrozen(DEFAULT_CHUNKER_PARAMS));
});
