// daemon/pack/trailer.ts — a pack's trailer (DESIGN §3 "Pack"), pure functions:
//   AES-256-GCM(packKey, nonce = 0xFF×12, aad = header (32 B), msgpack {kind, entries, pad})
// entries = [[kind, codec, offset, storedLen, rawLen, id | [[memberId, offsetInGroup, length]…]]…]
// in unit-index order; `pad` (a bin of zeros) makes the sealed trailer (tag included) a
// multiple of 4096 bytes. Opening a trailer authenticates it and checks every entry's shape.

import { CairnError } from '../errors.js';
import { encodeCanonical, decode } from '../msgpack.js';
import { seal, open, isAuthError, TAG_SIZE } from '../crypto/index.js';
import {
  damagedPack, HEADER_SIZE, ID_SIZE, TRAILER_ALIGN, UnitKind, Codec,
  type PackKind, type PackEntry, type GroupMember,
} from './format.js';

/** What a trailer says: the pack's kind and its units in index order. */
export interface Trailer {
  kind: PackKind;
  entries: PackEntry[];
}

const TRAILER_NONCE = Buffer.alloc(12, 0xff);
/** msgpack bin header sizes by length class: [header bytes, smallest length, largest length]. */
const BIN_CLASSES: ReadonlyArray<[number, number, number]> = [[2, 0, 0xff], [3, 0x100, 0xffff], [5, 0x10000, 0xffffffff]];

/**
 * The pad length n for a trailer whose plaintext is `baseLen` bytes without the pad's bin
 * (header and body): the smallest n with (baseLen + binHeader(n) + n + 16) % 4096 = 0.
 * The bin header grows at n = 256 and 65536, so each length class is tried on its own.
 */
export function trailerPadLength(baseLen: number): number {
  let best = Infinity;
  for (const [head, lo, hi] of BIN_CLASSES) {
    let n = (TRAILER_ALIGN - ((baseLen + head + TAG_SIZE) % TRAILER_ALIGN)) % TRAILER_ALIGN;
    while (n < lo) n += TRAILER_ALIGN;
    if (n <= hi && n < best) best = n;
  }
  return best;
}

function entryValue(e: PackEntry): unknown[] {
  const last = e.kind === UnitKind.group
    ? (e.members ?? []).map(([id, off, len]) => [id, off, len])
    : e.id;
  return [e.kind, e.codec, e.offset, e.storedLen, e.rawLen, last];
}

/** The trailer's plaintext, padded. */
export function encodeTrailer(kind: PackKind, entries: PackEntry[]): Buffer {
  const k = kind === 'data' ? 0 : 1;
  const values = entries.map(entryValue);
  const bare = encodeCanonical({ kind: k, entries: values, pad: Buffer.alloc(0) });
  // `pad` is the last key: its bin (2 bytes when empty) ends the encoding.
  const n = trailerPadLength(bare.length - 2);
  const padded = encodeCanonical({ kind: k, entries: values, pad: Buffer.alloc(n) });
  if ((padded.length + TAG_SIZE) % TRAILER_ALIGN !== 0) {
    throw new CairnError('internal-error', `trailer padding failed (${padded.length} bytes)`);
  }
  return padded;
}

/** The sealed trailer, ready to follow the last unit. */
export function sealTrailer(packKey: Uint8Array, header: Uint8Array, kind: PackKind, entries: PackEntry[]): Buffer {
  if (header.length !== HEADER_SIZE) throw new CairnError('internal-error', 'a pack header is 32 bytes');
  return seal(packKey, TRAILER_NONCE, header, encodeTrailer(kind, entries));
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isId(x: unknown): x is Buffer {
  return Buffer.isBuffer(x) && x.length === ID_SIZE;
}

function decodeEntry(v: unknown, unit: number, fail: (why: string) => CairnError): PackEntry {
  if (!Array.isArray(v) || v.length !== 6) throw fail(`entry ${unit} is not a 6-element array`);
  const [kind, codec, offset, storedLen, rawLen, last] = v as unknown[];
  if (!isInt(kind) || kind > 3) throw fail(`entry ${unit} has a bad kind`);
  if (codec !== Codec.raw && codec !== Codec.zstd) throw fail(`entry ${unit} has a bad codec`);
  if (!isInt(offset) || !isInt(storedLen) || storedLen < TAG_SIZE || !isInt(rawLen) || rawLen > 0xffffffff) {
    throw fail(`entry ${unit} has a bad offset or length`);
  }
  if (kind !== UnitKind.group) {
    if (!isId(last)) throw fail(`entry ${unit} has a bad id`);
    return { unit, kind, codec, offset, storedLen, rawLen, id: last, members: null };
  }
  if (!Array.isArray(last)) throw fail(`group ${unit} has no member list`);
  const members: GroupMember[] = last.map((m: unknown) => {
    if (!Array.isArray(m) || m.length !== 3) throw fail(`group ${unit} has a bad member`);
    const [id, off, len] = m as unknown[];
    if (!isId(id) || !isInt(off) || !isInt(len) || off + len > rawLen) throw fail(`group ${unit} has a bad member`);
    return [id, off, len];
  });
  return { unit, kind, codec, offset, storedLen, rawLen, id: null, members };
}

/** The typed content of a trailer's plaintext; throws naming the pack if it is malformed. */
export function decodeTrailer(plain: Uint8Array, name = 'pack'): Trailer {
  const fail = (why: string): CairnError => damagedPack(name, `malformed trailer: ${why}`);
  let o: unknown;
  try {
    o = decode(plain);
  } catch (e) {
    throw fail((e as Error).message);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o) || Buffer.isBuffer(o)) throw fail('not a map');
  const t = o as Record<string, unknown>;
  if (Object.keys(t).join(',') !== 'kind,entries,pad') throw fail('unexpected keys');
  if (t.kind !== 0 && t.kind !== 1) throw fail(`unknown pack kind ${String(t.kind)}`);
  if (!Array.isArray(t.entries)) throw fail('entries is not an array');
  if (!Buffer.isBuffer(t.pad)) throw fail('pad is not a bin');
  const kind: PackKind = t.kind === 0 ? 'data' : 'tree';
  const entries = t.entries.map((v: unknown, i: number) => decodeEntry(v, i, fail));
  for (const e of entries) {
    const ok = kind === 'data' ? e.kind <= UnitKind.group : e.kind >= UnitKind.tree;
    if (!ok) throw fail(`a ${kind} pack holds a unit of kind ${e.kind}`);
  }
  return { kind, entries };
}

/** Authenticates (aad = the pack's header) and decodes a sealed trailer. */
export function openTrailer(packKey: Uint8Array, header: Uint8Array, sealed: Uint8Array, name = 'pack'): Trailer {
  let plain: Buffer;
  try {
    plain = open(packKey, TRAILER_NONCE, header, sealed);
  } catch (e) {
    if (isAuthError(e)) throw damagedPack(name, 'trailer failed authentication');
    throw e;
  }
  return decodeTrailer(plain, name);
}

/** Throws unless the units tile the file from the header to `trailerOffset` exactly. */
export function checkLayout(entries: PackEntry[], trailerOffset: number, name = 'pack'): void {
  let at = HEADER_SIZE;
  for (const e of entries) {
    if (e.offset !== at) throw damagedPack(name, `unit ${e.unit} is at ${e.offset}, expected ${at}`);
    at += e.storedLen;
  }
  if (at !== trailerOffset) throw damagedPack(name, `units end at ${at}, the trailer starts at ${trailerOffset}`);
}
