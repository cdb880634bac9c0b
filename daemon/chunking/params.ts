// FastCDC parameters ("fastcdc2", normalisation level 2; DESIGN §3) and the mask recipe.
// A repository stores its params in `config.chunker`, so the masks are data, not code.

/** The `config.chunker` fields that steer chunking (the gear table comes from the key). */
export interface ChunkerParams {
  /** Bytes a chunk has at least (except a file's last); these bytes are not hashed. */
  min: number;
  /** Bytes after which the easier mask maskL applies; the target average. */
  avg: number;
  /** Bytes a chunk has at most. */
  max: number;
  /** u64 mask tested before `avg` bytes (more bits: cuts are rarer). */
  maskS: bigint;
  /** u64 mask tested from `avg` bytes on (fewer bits: cuts come sooner). */
  maskL: bigint;
}

/** A u64 mask of `bits` one-bits spread evenly over positions 63..19, so the hash bits it
 *  tests depend on a wide window of input bytes. `bits` is an integer in 2..45. */
export function makeMask(bits: number): bigint {
  if (!Number.isInteger(bits) || bits < 2 || bits > 45) {
    throw new RangeError(`makeMask: bits must be an integer in 2..45, got ${bits}`);
  }
  let mask = 0n;
  for (let k = 0; k < bits; k++) mask |= 1n << BigInt(63 - Math.round((k * 44) / (bits - 1)));
  return mask;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Defaults of new repositories: level 2 means log2(avg) ± 2 mask bits. */
export const DEFAULT_CHUNKER_PARAMS: Readonly<ChunkerParams> = Object.freeze({
  min: 256 * KiB, // bytes
  avg: 1 * MiB, // bytes; measured average ~1.2 MiB on random data
  max: 8 * MiB, // bytes
  maskS: makeMask(22),
  maskL: makeMask(18),
});
