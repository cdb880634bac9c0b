// daemon/msgpack.ts — canonical msgpack for every byte format of the repository (DESIGN §3):
// trees, trailers, config, key files, snapshot records. Written by hand rather than through
// msgpackr so that the bytes are fixed by this file alone:
// - integers take their shortest int form (fixint, uint8..64, int8..64), safe integers only;
// - non-integers are float64; null and undefined are nil; strings are str; Buffer and
//   Uint8Array are bin; arrays are arrays; plain objects are maps with string keys
//   written in the object's own key order. Callers that encode maps build each object
//   literally, with a fixed key order, so that the same value always gives the same bytes;
// - no extensions, records or shared structures.
// `decode` reads exactly one value (trailing bytes are an error) and returns numbers, strings,
// Buffers (copies, never views of the input), arrays, plain objects, null and booleans.
// Malformed input throws CairnError('internal-error').

import { CairnError } from './errors.js';

// One scratch buffer, grown as needed; encodeCanonical is synchronous so it is never shared.
const SCRATCH_KEEP = 1024 * 1024;
let out = Buffer.allocUnsafe(64 * 1024);
let pos = 0;

function reserve(n: number): void {
  if (pos + n <= out.length) return;
  let size = out.length * 2;
  while (size < pos + n) size *= 2;
  const next = Buffer.allocUnsafe(size);
  out.copy(next, 0, 0, pos);
  out = next;
}

function bad(message: string): never {
  throw new CairnError('internal-error', `msgpack: ${message}`);
}

function writeInt(v: number): void {
  if (!Number.isSafeInteger(v)) bad(`integer ${v} is outside the safe range`);
  reserve(9);
  if (v >= 0) {
    if (v < 0x80) out[pos++] = v;
    else if (v < 0x100) { out[pos++] = 0xcc; out[pos++] = v; }
    else if (v < 0x10000) { out[pos++] = 0xcd; out.writeUInt16BE(v, pos); pos += 2; }
    else if (v < 0x100000000) { out[pos++] = 0xce; out.writeUInt32BE(v, pos); pos += 4; }
    else { out[pos++] = 0xcf; out.writeBigUInt64BE(BigInt(v), pos); pos += 8; }
  } else {
    if (v >= -32) out[pos++] = 0x100 + v;
    else if (v >= -0x80) { out[pos++] = 0xd0; out.writeInt8(v, pos); pos += 1; }
    else if (v >= -0x8000) { out[pos++] = 0xd1; out.writeInt16BE(v, pos); pos += 2; }
    else if (v >= -0x80000000) { out[pos++] = 0xd2; out.writeInt32BE(v, pos); pos += 4; }
    else { out[pos++] = 0xd3; out.writeBigInt64BE(BigInt(v), pos); pos += 8; }
  }
}

/** Header of a str/bin/array/map: `fix` is the fix-form base (or -1), `codes` its 8/16/32-bit codes. */
function writeLength(n: number, fix: number, fixMax: number, c8: number, c16: number, c32: number): void {
  reserve(5);
  if (fix >= 0 && n <= fixMax) out[pos++] = fix | n;
  else if (c8 >= 0 && n < 0x100) { out[pos++] = c8; out[pos++] = n; }
  else if (n < 0x10000) { out[pos++] = c16; out.writeUInt16BE(n, pos); pos += 2; }
  else if (n <= 0xffffffff) { out[pos++] = c32; out.writeUInt32BE(n, pos); pos += 4; }
  else bad(`length ${n} is too large`);
}

function writeValue(v: unknown, depth: number): void {
  if (depth > 512) bad('nesting too deep');
  if (v === null || v === undefined) {
    reserve(1);
    out[pos++] = 0xc0;
  } else if (typeof v === 'boolean') {
    reserve(1);
    out[pos++] = v ? 0xc3 : 0xc2;
  } else if (typeof v === 'number') {
    if (Number.isInteger(v)) writeInt(v);
    else {
      reserve(9);
      out[pos++] = 0xcb;
      out.writeDoubleBE(v, pos);
      pos += 8;
    }
  } else if (typeof v === 'string') {
    const n = Buffer.byteLength(v, 'utf8');
    writeLength(n, 0xa0, 31, 0xd9, 0xda, 0xdb);
    reserve(n);
    pos += out.write(v, pos, n, 'utf8');
  } else if (v instanceof Uint8Array) {
    writeLength(v.length, -1, -1, 0xc4, 0xc5, 0xc6);
    reserve(v.length);
    out.set(v, pos);
    pos += v.length;
  } else if (Array.isArray(v)) {
    writeLength(v.length, 0x90, 15, -1, 0xdc, 0xdd);
    for (const x of v) writeValue(x, depth + 1);
  } else if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) bad('only plain objects encode as maps');
    const keys = Object.keys(v);
    writeLength(keys.length, 0x80, 15, -1, 0xde, 0xdf);
    for (const k of keys) {
      writeValue(k, depth + 1);
      writeValue((v as Record<string, unknown>)[k], depth + 1);
    }
  } else {
    bad(`cannot encode a ${typeof v}`);
  }
}

/** The canonical msgpack bytes of `value` (see the module comment for the rules). */
export function encodeCanonical(value: unknown): Buffer {
  pos = 0;
  try {
    writeValue(value, 0);
    return Buffer.from(out.subarray(0, pos));
  } finally {
    // Do not keep a buffer sized for one huge value (a 4 MiB tree page) for the thread's life.
    if (out.length > SCRATCH_KEEP) out = Buffer.allocUnsafe(SCRATCH_KEEP);
  }
}

// ---- decoding ---------------------------------------------------------------------------

class Reader {
  pos = 0;
  constructor(readonly b: Buffer) {}

  take(n: number): number {
    const at = this.pos;
    if (at + n > this.b.length) bad('truncated input');
    this.pos = at + n;
    return at;
  }

  bytes(n: number): Buffer {
    const at = this.take(n);
    const copy = Buffer.allocUnsafe(n);
    this.b.copy(copy, 0, at, at + n);
    return copy;
  }

  str(n: number): string {
    const at = this.take(n);
    return this.b.toString('utf8', at, at + n);
  }

  u8(): number { return this.b[this.take(1)]!; }
  u16(): number { return this.b.readUInt16BE(this.take(2)); }
  u32(): number { return this.b.readUInt32BE(this.take(4)); }

  safe(big: bigint): number {
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
      bad(`integer ${big} is outside the safe range`);
    }
    return Number(big);
  }

  array(n: number, depth: number): unknown[] {
    if (n > this.b.length - this.pos) bad('truncated input');
    const a = new Array<unknown>(n);
    for (let i = 0; i < n; i++) a[i] = this.value(depth + 1);
    return a;
  }

  map(n: number, depth: number): Record<string, unknown> {
    if (n * 2 > this.b.length - this.pos) bad('truncated input');
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = this.value(depth + 1);
      if (typeof k !== 'string') bad('map keys must be strings');
      if (Object.prototype.hasOwnProperty.call(o, k)) bad(`duplicate map key ${JSON.stringify(k)}`);
      // defineProperty: a key named __proto__ must stay data, not set the prototype.
      Object.defineProperty(o, k, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return o;
  }

  value(depth: number): unknown {
    if (depth > 512) bad('nesting too deep');
    const c = this.u8();
    if (c < 0x80) return c;
    if (c >= 0xe0) return c - 0x100;
    if (c <= 0x8f) return this.map(c & 0x0f, depth);
    if (c <= 0x9f) return this.array(c & 0x0f, depth);
    if (c <= 0xbf) return this.str(c & 0x1f);
    const b = this.b;
    switch (c) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bytes(this.u8());
      case 0xc5: return this.bytes(this.u16());
      case 0xc6: return this.bytes(this.u32());
      case 0xca: return b.readFloatBE(this.take(4));
      case 0xcb: return b.readDoubleBE(this.take(8));
      case 0xcc: return this.u8();
      case 0xcd: return this.u16();
      case 0xce: return this.u32();
      case 0xcf: return this.safe(b.readBigUInt64BE(this.take(8)));
      case 0xd0: return b.readInt8(this.take(1));
      case 0xd1: return b.readInt16BE(this.take(2));
      case 0xd2: return b.readInt32BE(this.take(4));
      case 0xd3: return this.safe(b.readBigInt64BE(this.take(8)));
      case 0xd9: return this.str(this.u8());
      case 0xda: return this.str(this.u16());
      case 0xdb: return this.str(this.u32());
      case 0xdc: return this.array(this.u16(), depth);
      case 0xdd: return this.array(this.u32(), depth);
      case 0xde: return this.map(this.u16(), depth);
      case 0xdf: return this.map(this.u32(), depth);
      default: return bad(`unsupported type byte 0x${c.toString(16)}`);
    }
  }
}

/** Decodes exactly one msgpack value; throws CairnError('internal-error') on malformed input. */
export function decode(bytes: Uint8Array): unknown {
  const r = new Reader(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const v = r.value(0);
  if (r.pos !== r.b.length) bad(`${r.b.length - r.pos} trailing bytes`);
  return v;
}
