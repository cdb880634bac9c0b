// daemon/chunk-index/keys.ts — binary keys of the index tables.
import { CairnError } from '../errors.js';

/** LMDB's largest key with the default 4 KiB pages. */
export const MAX_KEY_BYTES = 1978;

/** A 32-byte id (chunk, tree, snapshot, pack) as a key, without copying. */
export function idKey(id: Uint8Array, what: string): Buffer {
  if (!(id instanceof Uint8Array) || id.length !== 32) {
    throw new CairnError('internal-error', `${what} id must be 32 bytes`, { length: (id as Uint8Array | undefined)?.length });
  }
  return Buffer.isBuffer(id) ? id : Buffer.from(id.buffer, id.byteOffset, id.length);
}

function checkU32(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new CairnError('internal-error', `${what} must be a u32`, { value: n });
  }
}

/** A pack number as a 4-byte big-endian key (so keys sort by number). */
export function u32Key(n: number): Buffer {
  checkU32(n, 'pack number');
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** `packChunks` key: pack number ‖ sequence number, both u32 big-endian. */
export function packChunkKey(pack: number, seq: number): Buffer {
  checkU32(pack, 'pack number');
  checkU32(seq, 'chunk sequence');
  const b = Buffer.alloc(8);
  b.writeUInt32BE(pack, 0);
  b.writeUInt32BE(seq, 4);
  return b;
}

/** `files` key: 8-byte directory hash ‖ name bytes; null when too long for LMDB. */
export function filesKey(dirHash: Uint8Array, name: Uint8Array): Buffer | null {
  if (dirHash.length !== 8) throw new CairnError('internal-error', 'files cache: directory hash must be 8 bytes', { length: dirHash.length });
  if (name.length === 0) throw new CairnError('internal-error', 'files cache: empty name');
  if (8 + name.length > MAX_KEY_BYTES) return null;
  return Buffer.concat([dirHash, name]);
}
