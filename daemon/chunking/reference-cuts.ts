// The TypeScript reference of native/src/cdc.c: same algorithm, same contract as
// NativeChunker.cuts. Used by the golden-vector tests and wherever the addon cannot run.
// The u64 gear hash is kept as two int32 halves (hi, lo) with the carry of the low half
// computed bitwise (no doubles); BigInt is far slower.
import type { ChunkerParams } from './params.js';

/** gear[k] as int32 halves, interleaved: [hi0, lo0, hi1, lo1, ...]. */
function splitGear(gear: Uint8Array): Int32Array {
  if (gear.length !== 2048) throw new RangeError('referenceCuts: the gear table must be 2048 bytes');
  const view = new DataView(gear.buffer, gear.byteOffset, gear.byteLength);
  const g = new Int32Array(512);
  for (let k = 0; k < 512; k++) g[k] = view.getInt32(4 * k, false);
  return g;
}

/** End (exclusive, relative to s) of the chunk at s scanning at most `limit` bytes
 *  (limit > params.min), or 0 when no hash cut lies within the limit. */
function findCut(buf: Uint8Array, s: number, limit: number, g: Int32Array, p: ChunkerParams,
  sHi: number, sLo: number, lHi: number, lLo: number): number {
  const normal = Math.min(p.avg, limit);
  let hi = 0;
  let lo = 0;
  let i = p.min;
  for (; i < normal; i++) {
    const b = buf[s + i]! << 1;
    const x = lo << 1;
    const y = g[b + 1]!;
    const sum = (x + y) | 0;
    hi = (((hi << 1) | (lo >>> 31)) + g[b]! + (((x & y) | ((x | y) & ~sum)) >>> 31)) | 0;
    lo = sum;
    if (((hi & sHi) | (lo & sLo)) === 0) return i + 1;
  }
  for (; i < limit; i++) {
    const b = buf[s + i]! << 1;
    const x = lo << 1;
    const y = g[b + 1]!;
    const sum = (x + y) | 0;
    hi = (((hi << 1) | (lo >>> 31)) + g[b]! + (((x & y) | ((x | y) & ~sum)) >>> 31)) | 0;
    lo = sum;
    if (((hi & lHi) | (lo & lLo)) === 0) return i + 1;
  }
  return 0;
}

/** End offsets (exclusive) of every complete chunk in buf, scanning from offset 0. With
 *  final=false, trailing bytes not followed by a cut are left out (the caller prepends
 *  them to the next buffer); with final=true the rest is the last chunk. */
export function referenceCuts(buf: Uint8Array, gear: Uint8Array, params: ChunkerParams, final: boolean): number[] {
  const g = splitGear(gear);
  const { min, max } = params;
  if (!(min >= 0 && min <= params.avg && params.avg <= max && max > 0)) {
    throw new RangeError('referenceCuts: need min <= avg <= max and max > 0');
  }
  const sHi = Number((params.maskS >> 32n) & 0xffffffffn) | 0;
  const sLo = Number(params.maskS & 0xffffffffn) | 0;
  const lHi = Number((params.maskL >> 32n) & 0xffffffffn) | 0;
  const lLo = Number(params.maskL & 0xffffffffn) | 0;
  const out: number[] = [];
  const len = buf.length;
  let s = 0;
  while (s < len) {
    const n = len - s;
    let end: number;
    if (n <= min) {
      if (!final) break;
      end = n;
    } else {
      const limit = Math.min(n, max);
      end = findCut(buf, s, limit, g, params, sHi, sLo, lHi, lLo);
      if (end === 0) {
        if (limit !== max && !final) break;
        end = limit;
      }
    }
    s += end;
    out.push(s);
  }
  return out;
}
