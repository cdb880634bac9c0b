// daemon/crypto/repo-config.ts — the repository's `config` object: canonical msgpack of the
// body ‖ HMAC-SHA256(cfg key, body bytes). The body's key order is exactly RepoConfig's.
// A reader refuses a config that names a `mandatory` feature it does not know.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { CairnError } from '../errors.js';
import { encodeCanonical, decode } from '../msgpack.js';

export interface ChunkerConfig {
  algo: 'fastcdc2';
  min: number;
  avg: number;
  max: number;
  level: 2;
  /** u64, 8 bytes big-endian (a bin keeps all 64 bits exact in msgpack). */
  maskS: Buffer;
  maskL: Buffer;
}

export interface RepoConfig {
  v: 1;
  /** 64 lowercase hex digits. */
  id: string;
  chunker: ChunkerConfig;
  /** Bytes. */
  packTarget: number;
  /** Bytes of raw member content per group. */
  groupTarget: number;
  compression: { algo: 'zstd'; dataLevel: number; treeLevel: number };
  dirPage: { bytes: number; bits: number; minEntries: number; maxEntries: number };
  /** Features a reader must know to read this repository. */
  mandatory: string[];
}

/** Features this version reads (none beyond v1 so far). */
const KNOWN_FEATURES: ReadonlySet<string> = new Set();
const MAC_SIZE = 32;
const KiB = 1024;
const MiB = 1024 * KiB;

/** OR over k in 0..bits-1 of bit (63 − round(k·44/(bits−1))): `bits` one-bits spread over the top 45. */
export function makeMask(bits: number): bigint {
  let m = 0n;
  for (let k = 0; k < bits; k++) m |= 1n << BigInt(63 - Math.round((k * 44) / (bits - 1)));
  return m;
}

function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
}

/** The body a new repository gets. */
export function defaultConfigBody(id: string): RepoConfig {
  return {
    v: 1,
    id,
    chunker: {
      algo: 'fastcdc2', min: 256 * KiB, avg: 1 * MiB, max: 8 * MiB, level: 2,
      maskS: u64(makeMask(22)), maskL: u64(makeMask(18)),
    },
    packTarget: 32 * MiB,
    groupTarget: 1 * MiB,
    compression: { algo: 'zstd', dataLevel: 3, treeLevel: 9 },
    dirPage: { bytes: 4 * MiB, bits: 12, minEntries: 1000, maxEntries: 65536 },
    mandatory: [],
  };
}

/** Rebuilds `c` with RepoConfig's key order, so equal configs give equal bytes. */
function ordered(c: RepoConfig): RepoConfig {
  const k = c.chunker;
  return {
    v: c.v,
    id: c.id,
    chunker: { algo: k.algo, min: k.min, avg: k.avg, max: k.max, level: k.level, maskS: k.maskS, maskL: k.maskL },
    packTarget: c.packTarget,
    groupTarget: c.groupTarget,
    compression: { algo: c.compression.algo, dataLevel: c.compression.dataLevel, treeLevel: c.compression.treeLevel },
    dirPage: { bytes: c.dirPage.bytes, bits: c.dirPage.bits, minEntries: c.dirPage.minEntries, maxEntries: c.dirPage.maxEntries },
    mandatory: [...c.mandatory],
  };
}

function mac(cfgKey: Uint8Array, body: Uint8Array): Buffer {
  return createHmac('sha256', cfgKey).update(body).digest();
}

/** msgpack(body) ‖ HMAC-SHA256(cfg key, msgpack(body)). */
export function encodeConfig(cfgKey: Uint8Array, body: RepoConfig): Buffer {
  const bytes = encodeCanonical(ordered(body));
  return Buffer.concat([bytes, mac(cfgKey, bytes)]);
}

function damaged(reason: string): CairnError {
  return new CairnError('unprocessable', `repository config: ${reason}`, { object: 'config' });
}

function isMap(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !Buffer.isBuffer(x);
}

function count(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw damaged(`bad ${what}`);
  return x;
}

/** Verifies the MAC (constant time) and the body's shape; the typed body. */
export function decodeConfig(cfgKey: Uint8Array, bytes: Uint8Array): RepoConfig {
  if (bytes.length <= MAC_SIZE) throw damaged('too short');
  const body = bytes.subarray(0, bytes.length - MAC_SIZE);
  if (!timingSafeEqual(mac(cfgKey, body), bytes.subarray(bytes.length - MAC_SIZE))) throw damaged('MAC does not match');
  const o = decode(body);
  if (!isMap(o) || o.v !== 1) throw damaged('unknown version');
  const { chunker: k, compression: z, dirPage: d, mandatory } = o;
  if (typeof o.id !== 'string' || !/^[0-9a-f]{64}$/.test(o.id)) throw damaged('bad id');
  if (!isMap(k) || k.algo !== 'fastcdc2' || k.level !== 2) throw damaged('unknown chunker');
  if (!Buffer.isBuffer(k.maskS) || k.maskS.length !== 8 || !Buffer.isBuffer(k.maskL) || k.maskL.length !== 8) {
    throw damaged('bad chunker masks');
  }
  if (!isMap(z) || z.algo !== 'zstd') throw damaged('unknown compression');
  if (!isMap(d)) throw damaged('bad dirPage');
  if (!Array.isArray(mandatory) || !mandatory.every((f) => typeof f === 'string')) throw damaged('bad mandatory');
  const unknown = (mandatory as string[]).filter((f) => !KNOWN_FEATURES.has(f));
  if (unknown.length > 0) {
    throw new CairnError('unprocessable', `the repository needs features this cairn lacks: ${unknown.join(', ')}`,
      { object: 'config', features: unknown });
  }
  return {
    v: 1,
    id: o.id,
    chunker: {
      algo: 'fastcdc2', min: count(k.min, 'chunker.min'), avg: count(k.avg, 'chunker.avg'),
      max: count(k.max, 'chunker.max'), level: 2, maskS: k.maskS, maskL: k.maskL,
    },
    packTarget: count(o.packTarget, 'packTarget'),
    groupTarget: count(o.groupTarget, 'groupTarget'),
    compression: { algo: 'zstd', dataLevel: count(z.dataLevel, 'dataLevel'), treeLevel: count(z.treeLevel, 'treeLevel') },
    dirPage: {
      bytes: count(d.bytes, 'dirPage.bytes'), bits: count(d.bits, 'dirPage.bits'),
      minEntries: count(d.minEntries, 'dirPage.minEntries'), maxEntries: count(d.maxEntries, 'dirPage.maxEntries'),
    },
    mandatory: mandatory as string[],
  };
}
