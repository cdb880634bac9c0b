// daemon/pack/reader.ts — reading packs from storage with ranged reads only:
// readTrailer: footer (magic, trailer length) → trailer (xxh64 against the footer) → header
// (salt) → packKey → authenticated trailer → entries that tile the file exactly.
// readUnit + openUnitBytes (or openUnitInto, into the caller's memory): one unit's sealed
// bytes → authenticated → decompressed → length checked. Nothing unauthenticated is ever
// returned. verifyPackHash: SHA-256 vs the name.
// Called by repository (reads), reconcile (trailers of unknown packs) and check.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { DCtx } from 'zstd-napi/binding.js';
import { CairnError } from '../errors.js';
import { packKey as derivePackKey } from '../crypto/index.js';
import type { Storage } from '../storage/index.js';
import {
  damagedPack, packIdFromName, parseFooter, checkFooterHash, parseHeader, openUnit,
  HEADER_SIZE, FOOTER_SIZE, TRAILER_ALIGN, Codec, type PackKind, type PackEntry,
} from './format.js';
import { openTrailer, checkLayout } from './trailer.js';

type RangeReader = Pick<Storage, 'getRange'>;

export interface PackTrailer {
  salt: Buffer;
  /** packKey(enc key, salt), for opening this pack's units. */
  packKey: Buffer;
  kind: PackKind;
  entries: PackEntry[];
  /** Where the trailer starts: the end of the last unit. */
  trailerOffset: number;
  /** File size in bytes. */
  size: number;
}

/** Block size for verifyPackHash's reads (bytes). */
const HASH_BLOCK = 8 * 1024 * 1024;

async function range(storage: RangeReader, name: string, offset: number, length: number): Promise<Buffer> {
  let b: Buffer;
  try {
    b = await storage.getRange(name, offset, length);
  } catch (e) {
    if (e instanceof CairnError && e.code === 'not-found') {
      throw new CairnError('not-found', `pack ${name} is missing or shorter than expected`, { object: name, offset, length });
    }
    throw e;
  }
  if (b.length !== length) throw damagedPack(name, `read ${b.length} of ${length} bytes at ${offset}`);
  return b;
}

async function sizeOf(storage: Pick<Storage, 'stat'>, name: string): Promise<number> {
  const st = await storage.stat(name);
  if (!st) throw new CairnError('not-found', `pack ${name} is missing`, { object: name });
  return st.size;
}

/** Reads and authenticates a pack's trailer; throws naming the pack if anything is off. */
export async function readTrailer(storage: Pick<Storage, 'stat' | 'getRange'>, name: string,
  encKey: Uint8Array): Promise<PackTrailer> {
  const size = await sizeOf(storage, name);
  if (size < HEADER_SIZE + TRAILER_ALIGN + FOOTER_SIZE) throw damagedPack(name, `too short (${size} bytes)`);
  const footer = await range(storage, name, size - FOOTER_SIZE, FOOTER_SIZE);
  const { trailerLen } = parseFooter(footer, name);
  const trailerOffset = size - FOOTER_SIZE - trailerLen;
  if (trailerOffset < HEADER_SIZE) throw damagedPack(name, `trailer length ${trailerLen} exceeds the file`);
  const trailer = await range(storage, name, trailerOffset, trailerLen);
  checkFooterHash(footer, trailer, name);
  const header = await range(storage, name, 0, HEADER_SIZE);
  const { salt } = parseHeader(header, name);
  const key = derivePackKey(encKey, salt);
  const { kind, entries } = openTrailer(key, header, trailer, name);
  checkLayout(entries, trailerOffset, name);
  return { salt, packKey: key, kind, entries, trailerOffset, size };
}

/** The sealed bytes of one unit (a ranged read; not yet authenticated). */
export function readUnit(storage: RangeReader, name: string, offset: number, storedLen: number): Promise<Buffer> {
  return range(storage, name, offset, storedLen);
}

/** One decompression context per thread, reused. */
let dctx: DCtx | null = null;
// zstd-napi's documented low-level binding (binding.d.ts); a native module, CommonJS only.
const zstdBinding = createRequire(import.meta.url)('zstd-napi/binding.js') as typeof import('zstd-napi/binding.js');

function checkLength(i: number, got: number, rawLen: number): void {
  if (got !== rawLen) throw new CairnError('internal-error', `unit ${i} holds ${got} bytes, not ${rawLen}`, { unit: i });
}

/** An authenticated zstd payload decoded into `into` (rawLen bytes); exactly rawLen must come out. */
function decompressInto(i: number, rawLen: number, payload: Uint8Array, into: Uint8Array): void {
  let got: number;
  try {
    got = (dctx ??= new zstdBinding.DCtx()).decompress(into, payload);
  } catch (e) {
    throw new CairnError('internal-error', `unit ${i} does not decompress to ${rawLen} bytes: ${(e as Error).message}`, { unit: i });
  }
  checkLength(i, got, rawLen);
}

/**
 * Unit i's plaintext: authenticates `sealed` against every argument (throws AuthError if it
 * does not), decompresses when codec = 1, and checks the length is rawLen.
 */
export function openUnitBytes(packKey: Uint8Array, salt: Uint8Array, i: number, kind: number, codec: number,
  rawLen: number, id: Uint8Array | null, sealed: Uint8Array): Buffer {
  const payload = openUnit(packKey, salt, i, kind, codec, rawLen, id, sealed);
  if (codec !== Codec.zstd) {
    checkLength(i, payload.length, rawLen);
    return payload;
  }
  const plain = Buffer.allocUnsafe(rawLen);
  decompressInto(i, rawLen, payload, plain);
  return plain;
}

/**
 * openUnitBytes into `into` (exactly rawLen bytes long) instead of a new buffer: the
 * decompressed bytes go straight there. `into` may hold partial bytes when this throws.
 */
export function openUnitInto(packKey: Uint8Array, salt: Uint8Array, i: number, kind: number, codec: number,
  rawLen: number, id: Uint8Array | null, sealed: Uint8Array, into: Uint8Array): void {
  if (into.length !== rawLen) throw new CairnError('internal-error', `unit ${i}: room for ${into.length} bytes, not ${rawLen}`, { unit: i });
  const payload = openUnit(packKey, salt, i, kind, codec, rawLen, id, sealed);
  if (codec === Codec.zstd) return decompressInto(i, rawLen, payload, into);
  checkLength(i, payload.length, rawLen);
  into.set(payload);
}

/** True when the SHA-256 of the pack's bytes is the id its name carries. */
export async function verifyPackHash(storage: Pick<Storage, 'stat' | 'getRange'>, name: string): Promise<boolean> {
  const id = packIdFromName(name);
  if (!id) throw new CairnError('internal-error', `${name} is not a pack name`, { object: name });
  const size = await sizeOf(storage, name);
  const h = createHash('sha256');
  for (let off = 0; off < size; off += HASH_BLOCK) {
    h.update(await range(storage, name, off, Math.min(HASH_BLOCK, size - off)));
  }
  return h.digest().equals(id);
}
