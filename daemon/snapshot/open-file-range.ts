// daemon/snapshot/open-file-range.ts — the bytes [start, end) of one file of a snapshot, as
// an async iterable of Buffers (DESIGN §2: one openFileRange feeds the reader route, cat,
// digest, archive downloads and FUSE).
//   content ids → index lookups (offsets) → only the chunks overlapping [start, end)
//   → each read through Repository.readUnits, authenticated and re-HMACed in a worker
//   → sliced to the range, yielded in order
// A chunk of zeros (a sparse file's hole, which backup fed to the chunker as zeros) is
// recognised by its id — HMAC(zeros of the length the chunker cuts a zero run into),
// computed once per repository — and yielded as zeros without a read. Memory: at most
// `readAheadBytes` of chunks in flight (default 8 MiB, at least one chunk), whatever the
// file size. Called by api/ (reader, cat, digest), restore/archive.ts and later fuse/.

import { CairnError, CancelledError } from '../errors.js';
import type { Repository } from '../repository/index.js';
import { referenceCuts } from '../chunking/index.js';
import { NodeType, type TreeNode } from './tree.js';

export type FileRangeRepo = Pick<Repository, 'index' | 'readUnits' | 'hmac' | 'gear' | 'chunkerParams'>;

export interface FileRangeOptions {
  /** Stops the read between chunks; the iterator then throws CancelledError. */
  signal?: AbortSignal;
  /** Bytes of chunks requested ahead of the consumer (at least one chunk). @default 8 MiB */
  readAheadBytes?: number;
  /** Decoded small-file groups shared by the reads of many files (an archive): each
   *  group is then opened once, not once per member. */
  groups?: GroupCache;
}

/**
 * The last few decoded groups (units of small files), by pack and offset, at most
 * `maxBytes` of them (least recently used dropped). Holds the read in flight too, so
 * members read ahead at once share it. A member taken from here is re-HMACed.
 */
export class GroupCache {
  private readonly units = new Map<string, { read: Promise<Buffer>; bytes: number }>();
  private bytes = 0;
  constructor(private readonly maxBytes = 4 << 20) {}

  get(key: string): Promise<Buffer> | undefined {
    const e = this.units.get(key);
    if (!e) return undefined;
    this.units.delete(key);
    this.units.set(key, e);
    return e.read;
  }

  set(key: string, read: Promise<Buffer>, bytes: number): void {
    this.units.set(key, { read, bytes });
    this.bytes += bytes;
    read.catch(() => this.drop(key));
    for (const k of this.units.keys()) {
      if (this.bytes <= this.maxBytes || k === key) break;
      this.drop(k);
    }
  }

  private drop(key: string): void {
    const e = this.units.get(key);
    if (!e) return;
    this.units.delete(key);
    this.bytes -= e.bytes;
  }
}

const DEFAULT_READ_AHEAD = 8 << 20;
/** Zeros are yielded in pieces of at most this many bytes (one shared, never-written buffer). */
const ZERO_PIECE = 1 << 20;
const ZEROS = Buffer.alloc(ZERO_PIECE);

interface ZeroChunk { id: Buffer; len: number }
const zeroChunks = new WeakMap<Uint8Array, ZeroChunk>();

/** The id and length of the chunk a run of zeros is cut into, for this repository's chunker
 *  (its gear table is keyed, so the answer is per repository). Computed once (~10 ms). */
export function zeroChunkOf(repo: Pick<FileRangeRepo, 'hmac' | 'gear' | 'chunkerParams'>): ZeroChunk {
  let z = zeroChunks.get(repo.gear);
  if (!z) {
    const p = repo.chunkerParams;
    const zeros = Buffer.alloc(p.max);
    const len = referenceCuts(zeros, repo.gear, p, true)[0] ?? p.max;
    z = { id: repo.hmac(zeros.subarray(0, len)), len };
    zeroChunks.set(repo.gear, z);
  }
  return z;
}

/** One chunk read, authenticated and checked against its id (in a worker). A prune may
 *  repack the chunk between lookup and read: then it is looked up once more. */
async function readChunkVerified(repo: FileRangeRepo, id: Buffer, groups: GroupCache | undefined): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    const loc = repo.index.getChunk(id);
    if (!loc) throw new CairnError('not-found', `chunk ${id.toString('hex')} is not in the index`, { chunk: id.toString('hex') });
    const member = loc.kind === 1;
    try {
      if (member && groups) {
        const key = `${loc.pack}:${loc.offset}`;
        let unit = groups.get(key);
        if (!unit) {
          // The whole group, authenticated (its members are checked one by one below).
          unit = repo.readUnits(loc.pack, [loc], { members: [[]] }, [Buffer.alloc(32)]).then(([u]) => u!);
          groups.set(key, unit, loc.rawLen);
        }
        const bytes = (await unit).subarray(loc.memberOffset, loc.memberOffset + loc.memberLen);
        if (bytes.length !== loc.memberLen || !repo.hmac(bytes).equals(id)) {
          throw new CairnError('internal-error', `group member ${id.toString('hex')} does not match its id`, { chunk: id.toString('hex') });
        }
        return bytes;
      }
      const [plain] = await repo.readUnits(loc.pack, [loc],
        { members: [member ? [[loc.memberOffset, loc.memberLen, id]] : []] }, [member ? Buffer.alloc(32) : id]);
      return plain!.subarray(loc.memberOffset, loc.memberOffset + loc.memberLen);
    } catch (e) {
      if (attempt === 0 && e instanceof CairnError && e.code === 'not-found') continue;
      throw e;
    }
  }
}

interface Pending { read: Promise<Buffer> | null; from: number; to: number; weight: number }

function* zeros(n: number): Generator<Buffer> {
  for (let left = n; left > 0; left -= ZERO_PIECE) yield ZEROS.subarray(0, Math.min(ZERO_PIECE, left));
}

/**
 * Yields exactly the bytes [start, end) of `node` (a regular file), 0 ≤ start ≤ end ≤ size.
 * Every byte was authenticated. Throws CairnError when the file cannot be read (a chunk
 * missing from the index, a unit that fails authentication, content shorter than size).
 */
export async function* openFileRange(repo: FileRangeRepo, node: TreeNode, start: number, end: number,
  o: FileRangeOptions = {}): AsyncGenerator<Buffer, void, undefined> {
  if (node.type !== NodeType.file) throw new CairnError('invalid_params', 'not a regular file', { path: { code: 'invalid_argument', message: 'not a regular file' } });
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end > node.size) {
    throw new RangeError(`openFileRange: bad range [${start}, ${end}) of a ${node.size}-byte file`);
  }
  if (start === end) return;
  if (node.error !== null) throw new CairnError('unprocessable', `the file could not be read during the backup: ${node.error}`);
  const zero = zeroChunkOf(repo);
  const limit = Math.max(1, o.readAheadBytes ?? DEFAULT_READ_AHEAD);
  const queue: Pending[] = [];
  let weight = 0;

  async function* drainHead(): AsyncGenerator<Buffer> {
    const p = queue.shift()!;
    weight -= p.weight;
    if (p.read === null) {
      yield* zeros(p.to - p.from);
      return;
    }
    const bytes = await p.read;
    yield bytes.subarray(p.from, p.to);
  }

  try {
    let offset = 0;
    for (const id of node.content ?? []) {
      if (offset >= end) break;
      if (o.signal?.aborted) throw new CancelledError();
      const isZero = id.equals(zero.id);
      let len: number;
      if (isZero) len = zero.len;
      else {
        const loc = repo.index.getChunk(id);
        if (!loc) throw new CairnError('not-found', `chunk ${id.toString('hex')} is not in the index`, { chunk: id.toString('hex') });
        len = loc.memberLen;
      }
      const chunkStart = offset;
      offset += len;
      if (offset <= start) continue;
      const from = Math.max(start, chunkStart) - chunkStart;
      const to = Math.min(end, offset) - chunkStart;
      if (isZero) queue.push({ read: null, from, to, weight: 0 });
      else {
        const read = readChunkVerified(repo, id, o.groups);
        read.catch(() => undefined); // awaited in order below; never an unhandled rejection
        queue.push({ read, from, to, weight: len });
        weight += len;
      }
      while (queue.length > 0 && (weight >= limit || queue[0]!.read === null)) yield* drainHead();
    }
    if (offset < end) {
      throw new CairnError('internal-error', `the file's chunks hold ${offset} bytes, less than its size ${node.size}`);
    }
    while (queue.length > 0) {
      if (o.signal?.aborted) throw new CancelledError();
      yield* drainHead();
    }
  } finally {
    queue.length = 0;
  }
}
