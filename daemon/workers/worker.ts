// daemon/workers/worker.ts — the code every pool thread runs (piscina's filename). One
// exported default function dispatches on `task`. Pure CPU work over transferred buffers:
// chunking + ids, id batches, compress + seal, open + decode, and the metadata scan.
// Must not throw for per-item problems that the caller handles as data (OpenResult.parts).

import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { compress } from 'zstd-napi';
import { chunkerFor, type ChunkerParams } from '../chunking/index.js';
import { hmacId } from '../crypto/index.js';
import { sealUnit, openUnitBytes } from '../pack/index.js';
import { scanToPort } from '../walk/index.js';
import { applyMetaSync } from './apply-meta.js';
import { dataRuns } from './data-runs.js';
import type {
  Task, ChunkIdsTask, ChunkIdsResult, ReadSmallTask, ReadSmallWire, WriteFilesTask, WriteFilesResult, SealTask, SealResult,
  OpenTask, OpenResult, ScanTask,
} from './tasks.js';
import { READ_GREW, READ_OK, READ_STABLE } from './tasks.js';

/** Returns `value` to the main thread with `list` transferred, not copied. */
function transfer<T>(value: T, list: ArrayBuffer[]): T {
  return move({ [transferableSymbol]: list, [valueSymbol]: value } as never) as T;
}

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

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NOATIME;

function openNoAtime(path: Buffer): number {
  try {
    return openSync(path, OPEN_FLAGS);
  } catch (e) {
    // O_NOATIME is refused for files we do not own unless root
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    return openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  }
}

/** Whole small files: open, fstat, read, fstat, close — synchronous, a few µs each here
 *  against ~35 µs per fs.promises call on the main thread. */
function readSmall(t: ReadSmallTask): ReadSmallWire {
  const n = t.ends.length;
  const parts: Buffer[] = [];
  const ids = new Uint8Array(n * 32);
  const lens = new Uint32Array(n);
  const stamps = new BigInt64Array(n * 4);
  const flags = new Uint8Array(n);
  const errors: ReadSmallWire['errors'] = [];
  const key = Buffer.from(t.idKey);
  const paths = Buffer.from(t.paths.buffer, t.paths.byteOffset, t.paths.byteLength);
  let total = 0;
  for (let i = 0, start = 0; i < n; start = t.ends[i]!, i++) {
    let fd = -1;
    try {
      fd = openNoAtime(paths.subarray(start, t.ends[i]!));
      const before = fstatSync(fd, { bigint: true });
      if (before.size >= BigInt(t.limit)) {
        flags[i] = READ_GREW;
        errors.push([i, 'EFBIG', 'grew since the scan']);
        continue;
      }
      const buf = Buffer.allocUnsafe(Number(before.size));
      let got = 0;
      while (got < buf.length) {
        const r = readSync(fd, buf, got, buf.length - got, got);
        if (r === 0) break;
        got += r;
      }
      const after = fstatSync(fd, { bigint: true });
      const stable = got === buf.length && after.size === before.size && after.mtimeNs === before.mtimeNs
        && after.ctimeNs === before.ctimeNs;
      const data = buf.subarray(0, got);
      ids.set(hmacId(key, data), i * 32);
      lens[i] = got;
      stamps[i * 4] = before.size;
      stamps[i * 4 + 1] = before.mtimeNs;
      stamps[i * 4 + 2] = before.ctimeNs;
      stamps[i * 4 + 3] = before.ino;
      flags[i] = READ_OK | (stable ? READ_STABLE : 0);
      parts.push(data);
      total += got;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      errors.push([i, err.code ?? 'EIO', err.message]);
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const d of parts) {
    out.set(d, o);
    o += d.length;
  }
  return transfer<ReadSmallWire>({ buf: out.buffer, ids, lens, stamps, flags, errors },
    [out.buffer, ids.buffer as ArrayBuffer, lens.buffer as ArrayBuffer, stamps.buffer as ArrayBuffer, flags.buffer as ArrayBuffer]);
}

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/** Writes data at 0, leaving holes for all-zero aligned 4 KiB blocks. */
function writeSparseSync(fd: number, data: Buffer): void {
  for (const [start, end] of dataRuns(data, 0)) {
    for (let off = start; off < end;) off += writeSync(fd, data, off, end - off, off);
  }
}

/** Whole files of a restore: create, write, truncate to size, close, then metadata. */
function writeFiles(t: WriteFilesTask): WriteFilesResult {
  const data = Buffer.from(t.buf);
  return {
    files: t.files.map((f) => {
      const path = Buffer.from(f.path.buffer, f.path.byteOffset, f.path.byteLength);
      let fd = -1;
      try {
        fd = openSync(path, WRITE_FLAGS, 0o600);
        writeSparseSync(fd, data.subarray(f.off, f.off + f.len));
        ftruncateSync(fd, f.size);
        closeSync(fd);
        fd = -1;
        return { ok: true as const, problems: applyMetaSync(path, f.meta, t.skipPermissions) };
      } catch (e) {
        if (fd >= 0) closeSync(fd);
        return { ok: false as const, message: (e as Error).message };
      }
    }),
  };
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

function open(t: OpenTask): OpenResult {
  const data = new Uint8Array(t.buf);
  const key = Buffer.from(t.packKey);
  const salt = Buffer.from(t.salt);
  const idKey = t.verify ? Buffer.from(t.verify.idKey) : null;
  const plains: Buffer[] = [];
  const parts: OpenResult['parts'] = [];
  let total = 0;
  t.items.forEach((it, n) => {
    try {
      const sealed = Buffer.from(data.buffer, data.byteOffset + it.off, it.len);
      const plain = openUnitBytes(key, salt, it.unit, it.kind, it.codec, it.rawLen, Buffer.from(it.id), sealed);
      if (idKey) {
        if (it.kind !== 1 && !hmacId(idKey, plain).equals(Buffer.from(it.id))) {
          throw new Error('content does not match its id');
        }
        for (const [off, len, id] of t.verify?.members?.[n] ?? []) {
          if (off + len > plain.length || !hmacId(idKey, plain.subarray(off, off + len)).equals(Buffer.from(id))) {
            throw new Error(`group member ${Buffer.from(id).toString('hex').slice(0, 16)} does not match its id`);
          }
        }
      }
      parts.push({ off: total, len: t.discard ? 0 : plain.length });
      if (!t.discard) {
        plains.push(plain);
        total += plain.length;
      }
    } catch (e) {
      parts.push({ error: e instanceof Error ? e.message : String(e) });
    }
  });
  const plain = new Uint8Array(total);
  let o = 0;
  for (const p of plains) {
    plain.set(p, o);
    o += p.length;
  }
  const sha256 = t.digest ? createHash('sha256').update(data).digest() : undefined;
  return transfer<OpenResult>({ plain: plain.buffer, parts, ...(sha256 ? { sha256 } : {}) }, [plain.buffer]);
}

function scan(t: ScanTask): null {
  scanToPort({
    roots: t.roots.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength)),
    excludes: t.excludes,
    excludeCaches: t.excludeCaches,
    oneFileSystem: t.oneFileSystem,
  }, t.port, t.control);
  return null;
}

export default function run(t: Task): unknown {
  switch (t.task) {
    case 'chunkIds': return chunkIds(t);
    case 'readSmall': return readSmall(t);
    case 'writeFiles': return writeFiles(t);
    case 'seal': return seal(t);
    case 'open': return open(t);
    case 'scan': return scan(t);
  }
}
