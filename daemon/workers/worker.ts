// daemon/workers/worker.ts — the code the CPU threads run (piscina's filename for the cpu
// pool; the IO and scan threads have entries of their own, io-worker.ts and
// scan-worker.ts). One exported default function dispatches on `task`. Pure CPU work over
// transferred buffers: chunking + ids, compress + seal, open + decode (into the caller's
// buffer, which comes back).
// Must not throw for per-item problems that the caller handles as data (OpenResult.parts).

import { createHash } from 'node:crypto';
import { compress } from 'zstd-napi';
import { chunkerFor, type ChunkerParams } from '../chunking/index.js';
import { hmacId } from '../crypto/index.js';
import { sealUnit, openUnitInto } from '../pack/index.js';
import type { CpuTask, ChunkIdsTask, ChunkIdsResult, SealTask, SealResult, OpenTask, OpenResult } from './tasks.js';
import { transfer } from './transfer.js';

const chunkers = new Map<string, ReturnType<typeof chunkerFor>>();

function chunker(gear: Uint8Array, params: ChunkerParams): ReturnType<typeof chunkerFor> {
  const key = Buffer.from(gear.subarray(0, 16)).toString('hex') + params.min + ':' + params.avg
    + ':' + params.max + ':' + params.maskS.toString(16) + ':' + params.maskL.toString(16);
  let c = chunkers.get(key);
  if (!c) {
    c = chunkerFor(gear, params);
    chunkers.set(key, c);
  }
  return c;
}

function chunkIds(t: ChunkIdsTask): ChunkIdsResult {
  const data = new Uint8Array(t.buf, t.off, t.len);
  const cuts = chunker(t.gear, t.params).cuts(data, t.final);
  const ids = new Uint8Array(cuts.length * 32);
  const key = Buffer.from(t.idKey);
  let start = 0;
  for (let i = 0; i < cuts.length; i++) {
    const end = cuts[i]!;
    ids.set(hmacId(key, data.subarray(start, end)), i * 32);
    start = end;
  }
  return transfer<ChunkIdsResult>({ buf: t.buf, cuts, ids }, [t.buf, ids.buffer as ArrayBuffer]);
}

/** Stored raw unless zstd saves at least 2 % (DESIGN §3 "Compression"). */
function seal(t: SealTask): SealResult {
  const data = new Uint8Array(t.buf);
  const key = Buffer.from(t.packKey);
  const salt = Buffer.from(t.salt);
  const outs: Buffer[] = [];
  const parts: SealResult['parts'] = [];
  let total = 0;
  for (const it of t.items) {
    const raw = Buffer.from(data.buffer, data.byteOffset + it.off, it.len);
    let payload: Buffer = raw;
    let codec = 0;
    if (it.len > 0) {
      const z = compress(raw, { compressionLevel: t.level });
      if (z.length <= it.len * 0.98) {
        payload = z;
        codec = 1;
      }
    }
    const sealed = sealUnit(key, salt, it.unit, it.kind, codec, it.len, Buffer.from(it.id), payload);
    parts.push({ off: total, len: sealed.length, codec });
    outs.push(sealed);
    total += sealed.length;
  }
  const sealed = new Uint8Array(total);
  let o = 0;
  for (const s of outs) {
    sealed.set(s, o);
    o += s.length;
  }
  return transfer<SealResult>({ buf: t.buf, sealed: sealed.buffer, parts }, [t.buf, sealed.buffer]);
}

/** Decoded units of a discarding open (check --read-data): one buffer per thread, reused. */
let scratch = new Uint8Array(0);
const SCRATCH_KEPT = 16 << 20;

function open(t: OpenTask): OpenResult {
  const data = new Uint8Array(t.buf);
  const key = Buffer.from(t.packKey);
  const salt = Buffer.from(t.salt);
  const idKey = t.verify ? Buffer.from(t.verify.idKey) : null;
  const need = t.items.reduce((n, it) => n + (t.discard ? 0 : it.rawLen), 0);
  if (!t.discard && (!t.out || t.out.byteLength < t.outOff + need)) throw new Error(`open: no room for ${need} decoded bytes`);
  const out = t.discard || !t.out ? new Uint8Array(0) : new Uint8Array(t.out);
  const parts: OpenResult['parts'] = [];
  let at = t.outOff;
  t.items.forEach((it, n) => {
    let room: Uint8Array;
    if (t.discard) {
      if (scratch.length < it.rawLen) scratch = new Uint8Array(it.rawLen);
      room = scratch.subarray(0, it.rawLen);
    } else {
      room = out.subarray(at, at + it.rawLen);
      at += it.rawLen;
    }
    try {
      const sealed = data.subarray(it.off, it.off + it.len);
      openUnitInto(key, salt, it.unit, it.kind, it.codec, it.rawLen, Buffer.from(it.id), sealed, room);
      if (idKey) {
        if (it.kind !== 1 && !hmacId(idKey, room).equals(Buffer.from(it.id))) {
          throw new Error('content does not match its id');
        }
        for (const [off, len, id] of t.verify?.members?.[n] ?? []) {
          if (off + len > room.length || !hmacId(idKey, room.subarray(off, off + len)).equals(Buffer.from(id))) {
            throw new Error(`group member ${Buffer.from(id).toString('hex').slice(0, 16)} does not match its id`);
          }
        }
      }
      parts.push({ off: room.byteOffset, len: t.discard ? 0 : room.length });
    } catch (e) {
      parts.push({ error: e instanceof Error ? e.message : String(e) });
    }
  });
  if (scratch.length > SCRATCH_KEPT) scratch = new Uint8Array(0);
  const sha256 = t.digest ? createHash('sha256').update(data).digest() : undefined;
  const plain = t.out && !t.discard ? t.out : new ArrayBuffer(0);
  return transfer<OpenResult>({ plain, parts, ...(sha256 ? { sha256 } : {}) }, [plain]);
}

export default function run(t: CpuTask): unknown {
  switch (t.task) {
    case 'chunkIds': return chunkIds(t);
    case 'seal': return seal(t);
    case 'open': return open(t);
  }
}
