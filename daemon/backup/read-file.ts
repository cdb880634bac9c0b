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
import type { SegmentBuffers } from './segment-buffers.js';

export const SEGMENT = 8 << 20;

export interface ReadContext {
  repo: Pick<Repository, 'pool' | 'gear' | 'chunkerParams' | 'keys'>;
  session: Pick<Session, 'storeChunks'>;
  /** The backup's segment buffers (SEGMENT bytes and room for a carried tail before them);
   *  their count bounds the bytes in flight across all files (reading, chunking, sealing). */
  buffers: SegmentBuffers;
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

/** Reads [pos, pos+len) of the file into `into`, zeros where `ranges` has holes. */
async function readSegment(fh: FileHandle, pos: number, into: Uint8Array, ranges: Array<[number, number]> | null): Promise<number> {
  if (!ranges) return readFully(fh, into, 0, into.length, pos);
  const end = pos + into.length;
  let at = pos; // bytes before `at` are filled
  for (const [a, b] of ranges) {
    if (b <= pos || a >= end) continue;
    const s = Math.max(a, pos);
    const e = Math.min(b, end);
    into.fill(0, at - pos, s - pos);
    await readFully(fh, into, s - pos, e - s, s);
    at = e;
  }
  into.fill(0, at - pos);
  return into.length;
}

/** A segment's bytes with the tail carried from the one before: a view into `owner` (a
 *  pooled buffer), or into a one-off buffer when the tail did not fit before the segment. */
interface Work { owner: ArrayBuffer; buf: ArrayBuffer; off: number; len: number }

/** Streams a big file through the chunker and stores its new chunks. */
export async function readLarge(ctx: ReadContext, path: Buffer): Promise<ReadResult> {
  const fh = await openForRead(path);
  const inflight: Array<Promise<void>> = [];
  const { buffers } = ctx;
  const lead = buffers.size - SEGMENT;
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
    // A segment holds its buffer from the read until its chunks are sealed and written.
    const readNext = async (at: number): Promise<{ owner: ArrayBuffer; n: number }> => {
      const owner = await buffers.take();
      try {
        return { owner, n: await readSegment(fh, at, new Uint8Array(owner, lead, Math.min(SEGMENT, size - at)), ranges) };
      } catch (e) {
        buffers.give(owner);
        throw e;
      }
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
      const w: Work = { owner: seg.owner, buf: seg.owner, off: lead - tail.length, len: tail.length + seg.n };
      if (tail.length <= lead) {
        new Uint8Array(w.buf, w.off, tail.length).set(tail);
      } else { // long tails come from long runs of one byte value (chunks at the max size)
        w.buf = uninitialised(w.len);
        w.off = 0;
        const view = new Uint8Array(w.buf);
        view.set(tail, 0);
        view.set(new Uint8Array(seg.owner, lead, seg.n), tail.length);
      }
      // A pooled buffer goes to the workers and comes back; a one-off one's owner waits here.
      const owned = w.buf === w.owner;
      let res;
      try {
        res = await ctx.repo.pool.chunkIds({
          buf: w.buf, off: w.off, len: w.len, final, gear: ctx.repo.gear, params: ctx.repo.chunkerParams, idKey: ctx.repo.keys.id,
        });
      } catch (e) {
        buffers.give(owned ? null : w.owner);
        throw e;
      }
      const data = new Uint8Array(res.buf, w.off, w.len);
      for (let i = 0; i < res.cuts.length; i++) ids.push(Buffer.from(res.ids.buffer, res.ids.byteOffset + i * 32, 32));
      const last = res.cuts.length > 0 ? res.cuts[res.cuts.length - 1]! : 0;
      tail = data.slice(last);
      // `data` is handed over (transferred to a sealing worker) and comes back when stored.
      inflight.push(ctx.session.storeChunks(data, res.cuts, res.ids).then(
        (back) => buffers.give(owned ? back : w.owner),
        (e: unknown) => {
          buffers.give(owned ? null : w.owner);
          throw e;
        }));
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
