// daemon/backup/read-file.ts — reading one big file for a backup (small ones are read in IO
// threads, see small-files.ts): 8 MiB segments: read (the next one prefetched) →
// chunk + ids in a worker (the tail after the last cut is carried into the next segment) →
// store the new chunks (sealing overlaps the next segment's chunking, up to 2 in flight).
// Holes of sparse files are found with SEEK_DATA/SEEK_HOLE and fed as zeros, never read.
// fstat before and after tells whether the file was stable (for the files cache).

import { open, constants, type FileHandle } from 'node:fs/promises';
import { seekData, seekHole } from '../../native/index.js';
import { throwIfAborted } from '../errors.js';
import type { Repository, Session } from '../repository/index.js';
import { uninitialised } from '../workers/index.js';
import { Limiter } from './limiter.js';

export const SEGMENT = 8 << 20;

export interface ReadContext {
  repo: Pick<Repository, 'pool' | 'gear' | 'chunkerParams' | 'keys'>;
  session: Pick<Session, 'storeChunks'>;
  /** Bytes of segments in flight across all files (reading, chunking, sealing). */
  budget: Limiter;
  signal?: AbortSignal;
  onBytes(n: number): void;
}

export interface Stamp { size: bigint; mtimeNs: bigint; ctimeNs: bigint; ino: bigint }

export interface ReadResult {
  ids: Buffer[];
  size: number;
  /** fstat before and after reading agree */
  stable: boolean;
  before: Stamp;
}

function stampOf(s: { size: bigint; mtimeNs: bigint; ctimeNs: bigint; ino: bigint }): Stamp {
  return { size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: s.ino };
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino;
}

export async function openForRead(path: Buffer): Promise<FileHandle> {
  // O_NOATIME is refused (EPERM) for files we do not own unless root: fall back without it.
  try {
    return await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NOATIME);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    return open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  }
}

async function readFully(fh: FileHandle, into: Uint8Array, at: number, len: number, pos: number): Promise<number> {
  let done = 0;
  while (done < len) {
    const { bytesRead } = await fh.read(into, at + done, len - done, pos + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** Data ranges [start, end) of a file that may be sparse; one range when not. */
function dataRanges(fd: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let pos = 0;
  while (pos < size) {
    const d = seekData(fd, pos);
    if (d < 0 || d >= size) break;
    let h = seekHole(fd, d);
    if (h < 0 || h > size) h = size;
    out.push([d, h]);
    pos = h;
  }
  return out;
}

/** Reads [pos, pos+len) into a fresh transferable buffer, zeros where `ranges` has holes. */
async function readSegment(fh: FileHandle, pos: number, len: number, ranges: Array<[number, number]> | null): Promise<{ buf: Uint8Array; n: number }> {
  if (!ranges) {
    const buf = new Uint8Array(Buffer.allocUnsafeSlow(len).buffer, 0, len);
    return { buf, n: await readFully(fh, buf, 0, len, pos) };
  }
  const buf = new Uint8Array(len); // zero-filled: holes stay zero
  const end = pos + len;
  for (const [a, b] of ranges) {
    if (b <= pos || a >= end) continue;
    const s = Math.max(a, pos);
    const e = Math.min(b, end);
    await readFully(fh, buf, s - pos, e - s, s);
  }
  return { buf, n: len };
}

/** Streams a big file through the chunker and stores its new chunks. */
export async function readLarge(ctx: ReadContext, path: Buffer): Promise<ReadResult> {
  const fh = await openForRead(path);
  const inflight: Array<Promise<void>> = [];
  try {
    const st = await fh.stat({ bigint: true });
    const before = stampOf(st);
    const size = Number(st.size);
    const sparse = st.blocks * 512n < st.size;
    const ranges = sparse ? dataRanges(fh.fd, size) : null;
    const ids: Buffer[] = [];
    let tail: Uint8Array = new Uint8Array(0);
    let pos = 0;
    let total = 0;
    // Each segment holds budget from its read until its chunks are sealed and written.
    const readNext = async (at: number): Promise<{ buf: Uint8Array; n: number }> => {
      await ctx.budget.acquire(SEGMENT);
      return readSegment(fh, at, Math.min(SEGMENT, size - at), ranges).catch((e: unknown) => {
        ctx.budget.release(SEGMENT);
        throw e;
      });
    };
    let next = size > 0 ? readNext(0) : null;
    while (next) {
      throwIfAborted(ctx.signal);
      const seg = await next;
      const segLen = Math.min(SEGMENT, size - pos);
      pos += seg.n;
      const short = seg.n < segLen;
      const final = short || pos >= size;
      next = final ? null : readNext(pos);
      const len = tail.length + seg.n;
      const ab = uninitialised(len);
      const view = new Uint8Array(ab);
      view.set(tail, 0);
      view.set(seg.buf.subarray(0, seg.n), tail.length);
      const res = await ctx.repo.pool.chunkIds({
        buf: ab, len, final, gear: ctx.repo.gear, params: ctx.repo.chunkerParams, idKey: ctx.repo.keys.id,
      });
      const data = new Uint8Array(res.buf, 0, len);
      for (let i = 0; i < res.cuts.length; i++) ids.push(Buffer.from(res.ids.buffer, res.ids.byteOffset + i * 32, 32));
      const last = res.cuts.length > 0 ? res.cuts[res.cuts.length - 1]! : 0;
      tail = data.slice(last);
      // `data` is handed over (transferred to a sealing worker): not touched after this.
      inflight.push(ctx.session.storeChunks(data, res.cuts, res.ids).finally(() => ctx.budget.release(SEGMENT)));
      if (inflight.length >= 2) await inflight.shift();
      total += seg.n;
      ctx.onBytes(seg.n);
    }
    await Promise.all(inflight.splice(0));
    const after = stampOf(await fh.stat({ bigint: true }));
    return { ids, size: total, stable: total === size && sameStamp(before, after), before };
  } finally {
    await Promise.allSettled(inflight);
    await fh.close();
  }
}
