// daemon/crypto/subkeys.ts — every key derived from the 64-byte master secret (DESIGN §3):
// the five subkeys, per-pack keys, the chunker's gear table and keyed ids. Pure functions.

import { createHmac, hkdfSync } from 'node:crypto';
import { CairnError } from '../errors.js';

/** The subkeys of one repository, each 32 bytes. */
export interface Subkeys {
  /** Pack keys derive from it (packKey). */
  enc: Buffer;
  /** Chunk, tree and error-page ids (hmacId). */
  id: Buffer;
  /** Snapshot objects. */
  meta: Buffer;
  /** The config's MAC. */
  cfg: Buffer;
  /** The chunker's gear table (gearTable). */
  gear: Buffer;
}

const SUBKEY_NAMES = ['enc', 'id', 'meta', 'cfg', 'gear'] as const;

function requireLength(what: string, b: Uint8Array, n: number): void {
  if (b.length !== n) throw new CairnError('internal-error', `${what} must be ${n} bytes, not ${b.length}`);
}

/** HKDF-SHA256(ikm, salt, info, length) as one Buffer. */
function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** Subkey `name` = HKDF-SHA256(ikm = master, salt = empty, info = "cairn/v1/" + name, 32). */
export function deriveSubkeys(master: Uint8Array): Subkeys {
  requireLength('the master secret', master, 64);
  const k = {} as Subkeys;
  for (const name of SUBKEY_NAMES) k[name] = hkdf(master, Buffer.alloc(0), `cairn/v1/${name}`, 32);
  return k;
}

/** RFC 5869 HKDF-Expand with SHA-256 (no extract step): `prk` is used as the key as is. */
export function hkdfExpand(prk: Uint8Array, info: string | Uint8Array, length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 255 * 32) {
    throw new CairnError('internal-error', `HKDF-Expand cannot produce ${length} bytes`);
  }
  const infoBytes = typeof info === 'string' ? Buffer.from(info, 'utf8') : info;
  const out = Buffer.alloc(length);
  let prev: Buffer = Buffer.alloc(0);
  for (let i = 1, off = 0; off < length; i++) {
    prev = createHmac('sha256', prk).update(prev).update(infoBytes).update(Uint8Array.of(i)).digest();
    off += prev.copy(out, off);
  }
  return out;
}

/** The chunker's 256 u64 gear values, big-endian: HKDF-Expand(gear key, "cairn/v1/gear-table", 2048). */
export function gearTable(gearKey: Uint8Array): Uint8Array {
  requireLength('the gear key', gearKey, 32);
  const t = hkdfExpand(gearKey, 'cairn/v1/gear-table', 2048);
  return new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
}

/** The keyed id of a chunk, tree or error page: HMAC-SHA256(id key, bytes). */
export function hmacId(idKey: Uint8Array, bytes: Uint8Array): Buffer {
  return createHmac('sha256', idKey).update(bytes).digest();
}

/** A pack's key: HKDF-SHA256(ikm = enc key, salt = pack salt, info = "cairn/pack/v1", 32). */
export function packKey(encKey: Uint8Array, packSalt: Uint8Array): Buffer {
  requireLength('the enc key', encKey, 32);
  requireLength('a pack salt', packSalt, 16);
  return hkdf(encKey, packSalt, 'cairn/pack/v1', 32);
}
