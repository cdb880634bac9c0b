// daemon/chunk-index/chunk-loc.ts — the fixed 32-byte value of a `chunks` row (DESIGN §3
// "LMDB index"): where a chunk lives. Big-endian:
//   0 pack u32 | 4 offset u32 | 8 storedLen u32 | 12 rawLen u32 | 16 unit u32 (the nonce)
//   20 memberOffset u32 | 24 memberLen u32 | 28 kind u8 | 29 codec u8 | 30 flags u16
import { CairnError } from '../errors.js';

export const CHUNK_LOC_SIZE = 32;

/** Where a chunk (or tree, or error page) lives in the repository. */
export interface ChunkLoc {
  /** Pack number (the index's, see PackRow), not the pack's id. */
  pack: number;
  /** Byte offset of the unit in the pack. */
  offset: number;
  /** Sealed size of the unit (ciphertext + tag). */
  storedLen: number;
  /** Decompressed size of the unit (for a group: of the whole group). */
  rawLen: number;
  /** Index of the unit in the pack: its nonce. */
  unit: number;
  /** Plain unit: 0. Group member: its offset inside the decompressed group. */
  memberOffset: number;
  /** Plain unit: rawLen. Group member: its length. */
  memberLen: number;
  /** Kind of the unit: 0 data, 1 group, 2 tree, 3 error page. */
  kind: number;
  /** 0 raw, 1 zstd. */
  codec: number;
  /** Reserved, 0. */
  flags: number;
}

/** A chunk's location before its pack has a number (addPack assigns it). */
export type ChunkLocInput = Omit<ChunkLoc, 'pack'>;

const U32_FIELDS = ['pack', 'offset', 'storedLen', 'rawLen', 'unit', 'memberOffset', 'memberLen'] as const;

function check(loc: ChunkLoc, field: keyof ChunkLoc, max: number): void {
  const v = loc[field];
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new CairnError('internal-error', `chunk location: ${field} out of range`, { field, value: v });
  }
}

/** The 32-byte row value of `loc`; throws on a field out of its range. */
export function encodeChunkLoc(loc: ChunkLoc): Buffer {
  const b = Buffer.alloc(CHUNK_LOC_SIZE);
  U32_FIELDS.forEach((f, i) => {
    check(loc, f, 0xffffffff);
    b.writeUInt32BE(loc[f], i * 4);
  });
  check(loc, 'kind', 0xff);
  check(loc, 'codec', 0xff);
  check(loc, 'flags', 0xffff);
  b.writeUInt8(loc.kind, 28);
  b.writeUInt8(loc.codec, 29);
  b.writeUInt16BE(loc.flags, 30);
  return b;
}

/** Reads a 32-byte row value. */
export function decodeChunkLoc(buf: Uint8Array): ChunkLoc {
  if (buf.length !== CHUNK_LOC_SIZE) {
    throw new CairnError('internal-error', 'chunk location: value is not 32 bytes', { length: buf.length });
  }
  const v = new DataView(buf.buffer, buf.byteOffset, CHUNK_LOC_SIZE);
  return {
    pack: v.getUint32(0),
    offset: v.getUint32(4),
    storedLen: v.getUint32(8),
    rawLen: v.getUint32(12),
    unit: v.getUint32(16),
    memberOffset: v.getUint32(20),
    memberLen: v.getUint32(24),
    kind: v.getUint8(28),
    codec: v.getUint8(29),
    flags: v.getUint16(30),
  };
}
