// daemon/pack/format.ts — the pack file's bytes (DESIGN §3 "Pack"), pure functions:
//   header 32 B | unit 0 | unit 1 | … | trailer (sealed, 4 KiB-aligned) | footer 20 B
// Units are sealed under packKey(enc key, salt) (daemon/crypto); the trailer is in
// trailer.ts. The footer only detects torn writes; every decision uses the trailer.

import xxhash from 'xxhash-wasm';
import { CairnError } from '../errors.js';
import { seal, open } from '../crypto/index.js';

export const PACK_MAGIC = Buffer.from('CAIRNPK1', 'latin1');
export const END_MAGIC = Buffer.from('CAIRNEND', 'latin1');
export const PACK_VERSION = 1;
export const HEADER_SIZE = 32;
export const FOOTER_SIZE = 20;
export const SALT_SIZE = 16;
export const ID_SIZE = 32;
/** The sealed trailer's length (ciphertext + tag) is a multiple of this. */
export const TRAILER_ALIGN = 4096;
export const MAX_UNITS = 0xffffffff;

/** Unit kinds (u8 in units, trailers and index rows). */
export const UnitKind = { data: 0, group: 1, tree: 2, errorPage: 3 } as const;
/** Unit codecs (u8). */
export const Codec = { raw: 0, zstd: 1 } as const;
/** A pack holds data units (kinds 0, 1) or tree units (kinds 2, 3); trailer kind 0 or 1. */
export type PackKind = 'data' | 'tree';

/** A group member: its chunk id, offset and length in the group's raw bytes. */
export type GroupMember = [id: Buffer, offsetInGroup: number, length: number];

/** What a unit is, as its writer knows it before the unit has a place in the file. */
export interface UnitEntry {
  kind: number;
  codec: number;
  rawLen: number;
  /** The chunk or tree id; null for a group. */
  id?: Buffer | null;
  /** A group's members; null otherwise. */
  members?: GroupMember[] | null;
}

/** A unit as a trailer lists it. `unit` is its index (the nonce), its position in the list. */
export interface PackEntry {
  unit: number;
  kind: number;
  codec: number;
  /** From the start of the file. */
  offset: number;
  /** Sealed length, tag included. */
  storedLen: number;
  rawLen: number;
  id: Buffer | null;
  members: GroupMember[] | null;
}

const ZERO_ID = Buffer.alloc(ID_SIZE);
const xxh = await xxhash();

/** A CairnError for a pack whose bytes are not what they must be. */
export function damagedPack(name: string, reason: string, params: Record<string, unknown> = {}): CairnError {
  return new CairnError('internal-error', `pack ${name}: ${reason}`, { object: name, ...params });
}

/** `packs/<first two hex digits>/<hex SHA-256 of the file>`. */
export function packName(packId: Uint8Array): string {
  const hex = Buffer.from(packId.buffer, packId.byteOffset, packId.byteLength).toString('hex');
  return `packs/${hex.slice(0, 2)}/${hex}`;
}

/** The pack id a name carries, or null if `name` is not a pack's name. */
export function packIdFromName(name: string): Buffer | null {
  const m = /^packs\/([0-9a-f]{2})\/(\1[0-9a-f]{62})$/.exec(name);
  return m ? Buffer.from(m[2]!, 'hex') : null;
}

// ---- header -----------------------------------------------------------------------------

/** "CAIRNPK1" | u16 version | 6 zero bytes | 16 B salt. */
export function encodeHeader(salt: Uint8Array): Buffer {
  if (salt.length !== SALT_SIZE) throw new CairnError('internal-error', 'a pack salt must be 16 bytes');
  const h = Buffer.alloc(HEADER_SIZE);
  PACK_MAGIC.copy(h, 0);
  h.writeUInt16BE(PACK_VERSION, 8);
  h.set(salt, 16);
  return h;
}

export function parseHeader(bytes: Uint8Array, name = 'pack'): { version: number; salt: Buffer } {
  const h = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (h.length !== HEADER_SIZE || !PACK_MAGIC.equals(h.subarray(0, 8))) throw damagedPack(name, 'bad header magic');
  const version = h.readUInt16BE(8);
  if (version !== PACK_VERSION) throw damagedPack(name, `unknown pack version ${version}`);
  if (!h.subarray(10, 16).equals(ZERO_ID.subarray(0, 6))) throw damagedPack(name, 'reserved header bytes are not zero');
  return { version, salt: Buffer.from(h.subarray(16, 32)) };
}

// ---- units ------------------------------------------------------------------------------

/** u96(i) = 8 zero bytes ‖ u32 i. */
export function unitNonce(i: number): Buffer {
  if (!Number.isInteger(i) || i < 0 || i > MAX_UNITS) throw new CairnError('internal-error', `bad unit index ${i}`);
  const n = Buffer.alloc(12);
  n.writeUInt32BE(i, 8);
  return n;
}

function checkUnit(kind: number, codec: number, rawLen: number, id: Uint8Array | null): Uint8Array {
  if (!Number.isInteger(kind) || kind < 0 || kind > 3) throw new CairnError('internal-error', `bad unit kind ${kind}`);
  if (codec !== Codec.raw && codec !== Codec.zstd) throw new CairnError('internal-error', `bad unit codec ${codec}`);
  if (!Number.isInteger(rawLen) || rawLen < 0 || rawLen > 0xffffffff) throw new CairnError('internal-error', `bad unit length ${rawLen}`);
  if (kind === UnitKind.group) {
    if (id !== null && !ZERO_ID.equals(id)) throw new CairnError('internal-error', 'a group unit has no id (32 zero bytes)');
    return ZERO_ID;
  }
  if (id === null || id.length !== ID_SIZE) throw new CairnError('internal-error', 'a unit id must be 32 bytes');
  return id;
}

/** salt ‖ u32 i ‖ kind u8 ‖ codec u8 ‖ u32 rawLen ‖ id (32 zero bytes for a group; pass null). */
export function unitAad(salt: Uint8Array, i: number, kind: number, codec: number, rawLen: number, id: Uint8Array | null): Buffer {
  const theId = checkUnit(kind, codec, rawLen, id);
  if (salt.length !== SALT_SIZE) throw new CairnError('internal-error', 'a pack salt must be 16 bytes');
  const a = Buffer.alloc(SALT_SIZE + 4 + 1 + 1 + 4 + ID_SIZE);
  a.set(salt, 0);
  a.writeUInt32BE(i, 16);
  a[20] = kind;
  a[21] = codec;
  a.writeUInt32BE(rawLen, 22);
  a.set(theId, 26);
  return a;
}

/** Seals unit i's stored form (`payload`: zstd frame or raw bytes). */
export function sealUnit(packKey: Uint8Array, salt: Uint8Array, i: number, kind: number, codec: number,
  rawLen: number, id: Uint8Array | null, payload: Uint8Array): Buffer {
  return seal(packKey, unitNonce(i), unitAad(salt, i, kind, codec, rawLen, id), payload);
}

/** Unit i's stored form; throws AuthError unless every argument matches what was sealed. */
export function openUnit(packKey: Uint8Array, salt: Uint8Array, i: number, kind: number, codec: number,
  rawLen: number, id: Uint8Array | null, sealed: Uint8Array): Buffer {
  return open(packKey, unitNonce(i), unitAad(salt, i, kind, codec, rawLen, id), sealed);
}

// ---- footer -----------------------------------------------------------------------------

function footerHash(trailer: Uint8Array, lenBytes: Buffer): bigint {
  return xxh.create64(0n).update(trailer).update(lenBytes).digest();
}

/** u32 trailerLen ‖ "CAIRNEND" ‖ u64 xxh64(trailer ‖ u32 trailerLen), seed 0. */
export function encodeFooter(trailer: Uint8Array): Buffer {
  const f = Buffer.alloc(FOOTER_SIZE);
  f.writeUInt32BE(trailer.length, 0);
  END_MAGIC.copy(f, 4);
  f.writeBigUInt64BE(footerHash(trailer, f.subarray(0, 4)), 12);
  return f;
}

/** The trailer length a footer states; checks the magic only (see checkFooterHash). */
export function parseFooter(footer: Uint8Array, name = 'pack'): { trailerLen: number } {
  const f = Buffer.from(footer.buffer, footer.byteOffset, footer.byteLength);
  if (f.length !== FOOTER_SIZE || !END_MAGIC.equals(f.subarray(4, 12))) throw damagedPack(name, 'bad footer magic');
  const trailerLen = f.readUInt32BE(0);
  if (trailerLen < TRAILER_ALIGN || trailerLen % TRAILER_ALIGN !== 0) throw damagedPack(name, `bad trailer length ${trailerLen}`);
  return { trailerLen };
}

/** Throws unless the footer's xxh64 matches `trailer` (a torn or damaged end of file). */
export function checkFooterHash(footer: Uint8Array, trailer: Uint8Array, name = 'pack'): void {
  const f = Buffer.from(footer.buffer, footer.byteOffset, footer.byteLength);
  const { trailerLen } = parseFooter(f, name);
  if (trailer.length !== trailerLen || f.readBigUInt64BE(12) !== footerHash(trailer, f.subarray(0, 4))) {
    throw damagedPack(name, 'footer checksum does not match the trailer');
  }
}
