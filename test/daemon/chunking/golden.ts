// The inputs behind test/fixtures/cdc-golden.json: the gear table (RFC 5869 HKDF-Expand
// only), a xorshift64* byte generator and the input recipes, all defined in the fixture
// itself so another implementation can rebuild them. Shared by the chunking and native
// tests. Regenerate the fixture (after checking native == reference) with:
//   node dist/test/daemon/chunking/golden.js --write
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { makeMask, referenceCuts, type ChunkerParams } from '../../../daemon/chunking/index.js';

export const FIXTURE = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..', 'test', 'fixtures', 'cdc-golden.json');

/** HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC(prk, T(i-1) ‖ info ‖ i), concatenated. */
export function hkdfExpand(prk: Buffer, info: Buffer | string, length: number): Buffer {
  const blocks: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1; blocks.length * 32 < length; i++) {
    t = createHmac('sha256', prk).update(t).update(info).update(Buffer.from([i])).digest();
    blocks.push(t);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

export function goldenGear(): Buffer {
  return hkdfExpand(Buffer.alloc(32, 0x01), 'cairn/v1/gear-table', 2048);
}

const M_HI = 0x2545f491;
const M_LO = 0x4f6cdd1d;

/** High 32 bits of the 64-bit product of two u32. */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** xorshift64* (x ^= x>>12; x ^= x<<25; x ^= x>>27; out = x·0x2545F4914F6CDD1D mod 2^64),
 *  each output as 8 little-endian bytes, the last one cut short. Seed: non-zero u64. */
export function prngBytes(seed: bigint, size: number): Buffer {
  if (seed === 0n || seed >= 1n << 64n) throw new RangeError('seed must be a non-zero u64');
  let hi = Number(seed >> 32n) >>> 0;
  let lo = Number(seed & 0xffffffffn) >>> 0;
  const out = Buffer.alloc(size + 8);
  for (let off = 0; off < size; off += 8) {
    lo = (lo ^ ((lo >>> 12) | (hi << 20))) >>> 0;
    hi = (hi ^ (hi >>> 12)) >>> 0;
    hi = (hi ^ ((hi << 25) | (lo >>> 7))) >>> 0;
    lo = (lo ^ (lo << 25)) >>> 0;
    lo = (lo ^ ((lo >>> 27) | (hi << 5))) >>> 0;
    hi = (hi ^ (hi >>> 27)) >>> 0;
    const outLo = Math.imul(lo, M_LO) >>> 0;
    const outHi = (mulHi32(lo, M_LO) + Math.imul(lo, M_HI) + Math.imul(hi, M_LO)) >>> 0;
    out.writeUInt32LE(outLo, off);
    out.writeUInt32LE(outHi, off + 4);
  }
  return out.subarray(0, size);
}

/** The same generator with BigInt, plainly: the fast one is checked against it. */
export function prngBytesSlow(seed: bigint, size: number): Buffer {
  const U64 = (1n << 64n) - 1n;
  let x = seed;
  const out = Buffer.alloc(size + 8);
  for (let off = 0; off < size; off += 8) {
    x ^= x >> 12n;
    x = (x ^ (x << 25n)) & U64;
    x ^= x >> 27n;
    out.writeBigUInt64LE((x * 0x2545f4914f6cdd1dn) & U64, off);
  }
  return out.subarray(0, size);
}

export interface GoldenInput {
  name: string;
  kind: 'prng' | 'zeros' | 'pattern';
  size: number;
  /** prng: the seed of the bytes; pattern: the seed of the repeated block. Hex u64. */
  seed?: string;
  /** pattern: the block length repeated to `size` bytes. */
  block?: number;
}

export function buildInput(i: GoldenInput): Buffer {
  if (i.kind === 'zeros') return Buffer.alloc(i.size);
  if (i.kind === 'prng') return prngBytes(BigInt(i.seed!), i.size);
  const block = prngBytes(BigInt(i.seed!), i.block!);
  const out = Buffer.alloc(i.size);
  for (let off = 0; off < i.size; off += block.length) block.copy(out, off);
  return out;
}

export interface GoldenParams {
  min: number; avg: number; max: number;
  maskSBits: number; maskLBits: number;
  maskS: string; maskL: string;
}

export function paramsOf(p: GoldenParams): ChunkerParams {
  return { min: p.min, avg: p.avg, max: p.max, maskS: BigInt(p.maskS), maskL: BigInt(p.maskL) };
}

/** A cut list: in full when short, else its count, first cuts, last cut and a digest. */
export interface GoldenCuts { count: number; cuts?: number[]; head?: number[]; last?: number; sha256?: string }

/** SHA-256 of the cut list as concatenated big-endian u32. */
export function cutsDigest(cuts: ArrayLike<number>): string {
  const b = Buffer.alloc(cuts.length * 4);
  for (let i = 0; i < cuts.length; i++) b.writeUInt32BE(cuts[i]!, i * 4);
  return createHash('sha256').update(b).digest('hex');
}

const FULL_LIMIT = 400;
const HEAD = 16;

export function summarize(cuts: ArrayLike<number>): GoldenCuts {
  const list = Array.from(cuts);
  if (list.length <= FULL_LIMIT) return { count: list.length, cuts: list };
  return { count: list.length, head: list.slice(0, HEAD), last: list[list.length - 1]!, sha256: cutsDigest(list) };
}

export interface Golden {
  description: string[];
  algo: 'fastcdc2';
  gear: { prkHex: string; info: string; length: number; sha256: string };
  prng: { algo: string; definition: string; check: { seed: string; first32Hex: string } };
  params: Record<string, GoldenParams>;
  inputs: GoldenInput[];
  expected: Record<string, Record<string, GoldenCuts>>;
}

export function loadGolden(): Golden {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as Golden;
}

const KiB = 1024;
const MiB = 1024 * KiB;

function goldenParams(min: number, avg: number, max: number, s: number, l: number): GoldenParams {
  const hex = (m: bigint) => '0x' + m.toString(16).padStart(16, '0');
  return { min, avg, max, maskSBits: s, maskLBits: l, maskS: hex(makeMask(s)), maskL: hex(makeMask(l)) };
}

/** Rebuilds the fixture from the reference implementation. */
export function makeGolden(): Golden {
  const gear = goldenGear();
  const inputs: GoldenInput[] = [
    { name: 'prng-0', kind: 'prng', seed: '0x0000000000000001', size: 0 },
    { name: 'prng-1', kind: 'prng', seed: '0x0000000000000002', size: 1 },
    { name: 'prng-255KiB', kind: 'prng', seed: '0x0000000000000003', size: 255 * KiB },
    { name: 'prng-256KiB+1', kind: 'prng', seed: '0x0000000000000004', size: 256 * KiB + 1 },
    { name: 'prng-3MiB', kind: 'prng', seed: '0x9e3779b97f4a7c15', size: 3 * MiB },
    { name: 'prng-24MiB', kind: 'prng', seed: '0xc0ffee0ddf00d123', size: 24 * MiB },
    { name: 'zeros-20MiB', kind: 'zeros', size: 20 * MiB },
    { name: 'pattern-4KiB-12MiB', kind: 'pattern', seed: '0x0000000000000008', block: 4 * KiB, size: 12 * MiB },
  ];
  const params = {
    default: goldenParams(256 * KiB, 1 * MiB, 8 * MiB, 22, 18),
    small: goldenParams(2 * KiB, 8 * KiB, 64 * KiB, 15, 11),
  };
  const expected: Golden['expected'] = {};
  for (const [pname, p] of Object.entries(params)) {
    expected[pname] = {};
    for (const input of inputs) {
      expected[pname]![input.name] = summarize(referenceCuts(buildInput(input), gear, paramsOf(p), true));
    }
  }
  return {
    description: [
      'Golden vectors of cairn chunking (DESIGN §3 "fastcdc2"): expected end offsets of every chunk,',
      'one final cuts() call per input. Lists over 400 cuts keep count, head (first 16), last cut and',
      'sha256 of the whole list as big-endian u32. gear = HKDF-Expand(SHA-256, PRK, info, length)',
      '(RFC 5869 expand step only); masks = makeMask(bits). Inputs: prng = the generator below from',
      'seed; zeros; pattern = the first `block` bytes of the generator from seed, repeated to size.',
    ],
    algo: 'fastcdc2',
    gear: { prkHex: '01'.repeat(32), info: 'cairn/v1/gear-table', length: 2048, sha256: createHash('sha256').update(gear).digest('hex') },
    prng: {
      algo: 'xorshift64*',
      definition: 'x = seed (u64, non-zero); per 8 bytes: x ^= x >> 12; x ^= x << 25 (mod 2^64); x ^= x >> 27; '
        + 'emit (x * 0x2545F4914F6CDD1D mod 2^64) as 8 little-endian bytes; truncate to size',
      check: { seed: '0x0000000000000001', first32Hex: prngBytes(1n, 32).toString('hex') },
    },
    params,
    inputs,
    expected,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  const text = JSON.stringify(makeGolden(), null, 1)
    .replace(/\[\s*(\d[\d,\s]*?)\s*\]/g, (_, list: string) => `[${list.replace(/\s+/g, '')}]`);
  writeFileSync(FIXTURE, text + '\n');
  console.log(`wrote ${FIXTURE}`);
}
