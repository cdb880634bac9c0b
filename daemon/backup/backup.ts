// daemon/backup/backup.ts — one backup, as a pipeline:
//   scan (worker thread, sync lstat/readdir) → events in tree order
//   → per file: files-cache hit, or read (small: whole, into ordered groups; big: 8 MiB
//     segments → chunk + ids in workers → new chunks sealed into packs)
//   → per directory, once its entries are settled: canonical tree → tree pack
//   → commit: flush packs, snapshot object (the commit point), index row.
// A file that cannot be read stays in its tree with `error` set and is reported; it is
// never fatal. Cancel (AbortSignal) flushes finished packs and leaves no snapshot.

import { hostname, userInfo } from 'node:os';
import xxhash from 'xxhash-wasm';
import { CairnError, CancelledError } from '../errors.js';
import { logger } from '../log.js';
import { compileExcludes, consumeScan, createScanControl, type ScanNode } from '../walk/index.js';
import { Session, nowTime, type Repository, type SnapshotRecord } from '../repository/index.js';
import { encodeCanonical } from '../msgpack.js';
import { latestSnapshot, writeDir, type TreeNode } from '../snapshot/index.js';
import { Limiter } from './limiter.js';
import { ProgressTracker, type BackupProgress } from './progress.js';
import { readLarge, SEGMENT } from './read-file.js';
import { SegmentBuffers } from './segment-buffers.js';
import { SmallFiles, SmallReadError } from './small-files.js';

const log = logger('backup');

export interface BackupOptions {
  /** Absolute source paths (bytes); normalised here. */
  sources: Buffer[];
  tags?: string[];
  excludes?: string[];
  excludeCaches?: boolean;
  oneFileSystem?: boolean;
  host?: string;
  user?: string;
  jobId?: string | null;
  signal?: AbortSignal;
  onProgress?: (p: BackupProgress) => void;
  /** Files between the scan and their tree entry (read, queued, being stored); bounds
   *  the backup's memory whatever the source holds. @default 2048 */
  filesInFlight?: number;
  /** Files read at once; @default 64 */
  readConcurrency?: number;
  /** Big files streamed at once; @default 3 */
  largeConcurrency?: number;
  /** Bytes of big-file segments in flight (read, chunked, being sealed); @default 48 MiB */
  segmentBudget?: number;
  /** Files changed this recently are not cached, ms; @default 3000 */
  filesCacheWindowMs?: number;
  /** Progress interval, ms; @default 250 */
  progressIntervalMs?: number;
  now?: () => number;
}

export interface BackupError { path: Buffer; message: string }

export interface BackupResult {
  id: Buffer;
  record: SnapshotRecord;
  errors: BackupError[];
  notes: BackupError[];
  durationMs: number;
}

/** Sorted, deduplicated, none inside another (DESIGN §3). */
export function normaliseSources(sources: Buffer[]): Buffer[] {
  const cleaned = sources.map((s) => {
    let p = Buffer.from(s);
    while (p.length > 1 && p[p.length - 1] === 0x2f) p = p.subarray(0, p.length - 1);
    return p;
  }).sort(Buffer.compare);
  const out: Buffer[] = [];
  for (const p of cleaned) {
    const prev = out[out.length - 1];
    if (prev && (prev.equals(p) || (prev.length === 1 && prev[0] === 0x2f)
      || (p.length > prev.length && p.subarray(0, prev.length).equals(prev) && p[prev.length] === 0x2f))) continue;
    out.push(p);
  }
  return out;
}

/**
 * A scan node as a tree entry. A directory's atime is stored as its mtime: listing a
 * directory moves its atime (relatime), so keeping it would make every unchanged
 * directory a new tree on the next backup; directory atimes are not restorable anyway.
 */
function toTreeNode(n: ScanNode): TreeNode {
  // Copies: scan names are views into whole event batches, which would stay alive as long
  // as any of their nodes do.
  return {
    name: Buffer.from(n.name), type: n.type, mode: n.mode, uid: n.uid, gid: n.gid, user: n.user, group: n.group,
    size: n.type === 0 ? n.size : 0, mtime: n.mtime, atime: n.type === 1 ? n.mtime : n.atime, ctime: n.ctime, ino: n.ino,
    nlink: n.nlink, rdev: n.rdev, xattrs: n.xattrs.map(([k, v]) => [Buffer.from(k), Buffer.from(v)]),
    target: n.target ? Buffer.from(n.target) : null, content: null, subtree: null,
    error: n.error,
  };
}

const ns = (t: [number, number]): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

interface Frame {
  node: TreeNode;
  path: Buffer;
  dirHash: Buffer | null;
  slots: Array<Promise<TreeNode | null>>;
  resolve(n: TreeNode | null): void;
}

export async function backup(repo: Repository, o: BackupOptions): Promise<BackupResult> {
  const now = o.now ?? Date.now;
  const started = now();
  const sources = normaliseSources(o.sources);
  if (sources.length === 0) throw new CairnError('invalid_params', 'nothing to back up', { source: { code: 'missing_argument', message: 'no source' } });
  const excludes = o.excludes ?? [];
  compileExcludes(excludes); // invalid patterns fail before anything is written
  const host = o.host ?? hostname();
  const user = o.user ?? userInfo().username;
  const { h64Raw } = await xxhash();
  const dirHashOf = (p: Buffer): Buffer => {
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64BE(h64Raw(p));
    return b;
  };

  const inner = new AbortController();
  const onAbort = (): void => inner.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = inner.signal;
  let failure: unknown = null;
  const fail = (e: unknown): void => {
    if (!failure) failure = e;
    inner.abort();
  };

  const session = new Session(repo, started);
  await session.begin();
  const progress = new ProgressTracker(o.onProgress, o.progressIntervalMs ?? 250, now);
  const errors: BackupError[] = [];
  const notes: BackupError[] = [];
  const memberMax = Math.min(repo.chunkerParams.min, 256 * 1024);
  const small = new SmallFiles({ repo, session }, memberMax);
  const admitted = new Limiter(o.filesInFlight ?? 2048);
  const reads = new Limiter(o.readConcurrency ?? 64);
  const larges = new Limiter(o.largeConcurrency ?? 3);
  // Segment buffers: 8 MiB and 2 MiB before it for the tail carried from the segment
  // before (longer tails, from runs of one byte value, take a one-off buffer).
  const buffers = new SegmentBuffers(SEGMENT + (2 << 20), Math.max(2, Math.floor((o.segmentBudget ?? 48 << 20) / SEGMENT)));
  const cacheBefore = BigInt(started - (o.filesCacheWindowMs ?? 3000)) * 1_000_000n;
  const stats = { files: 0, dirs: 0, symlinks: 0, others: 0, bytes: 0 };
  let cacheRows: Array<{ dirHash: Buffer; name: Buffer; row: Parameters<Repository['index']['putFiles']>[0][number]['row'] }> = [];
  const cacheWrites: Array<Promise<void>> = [];
  const flushCache = (): void => {
    if (cacheRows.length === 0) return;
    const rows = cacheRows;
    cacheRows = [];
    cacheWrites.push(repo.index.putFiles(rows).catch((e: unknown) => log.warn('files cache write failed', { error: (e as Error).message })));
  };
  const bytesDone = (n: number): void => {
    progress.bytesDone += n;
    progress.emit();
  };

  const fileNode = async (n: ScanNode, frame: Frame): Promise<TreeNode | null> => {
    const node = toTreeNode(n);
    stats.files++;
    if (n.error) {
      errors.push({ path: n.path, message: n.error });
      return node;
    }
    frame.dirHash ??= dirHashOf(frame.path);
    const dirHash = frame.dirHash;
    const cached = repo.index.getFile(dirHash, n.name);
    if (cached && cached.size === n.size && cached.mtimeNs === ns(n.mtime) && cached.ctimeNs === ns(n.ctime)
      && cached.ino === n.ino && cached.chunks.every(([id, pack]) => repo.lookup(id)?.pack === pack)) {
      node.content = cached.chunks.map(([id]) => id);
      stats.bytes += n.size;
      progress.filesDone++;
      bytesDone(n.size);
      return node;
    }
    if (n.size === 0) {
      node.content = [];
      progress.filesDone++;
      return node;
    }
    let isSmall = n.size < memberMax;
    const seq = isSmall ? small.reserve() : -1;
    // Small files are read in IO threads (bounded by SmallFiles); big ones here.
    if (!isSmall) {
      await reads.acquire();
      await larges.acquire();
    }
    try {
      if (signal.aborted) throw new CancelledError();
      progress.currentFile = n.path;
      let r: { ids: Buffer[]; size: number; stable: boolean } | null = null;
      if (isSmall) {
        try {
          const s = await small.read(seq, n.path, n.size);
          r = { ids: s.id ? [s.id] : [], size: s.size, stable: s.stable };
          bytesDone(s.size);
        } catch (e) {
          if (!(e instanceof SmallReadError && e.grew)) throw e;
          isSmall = false; // it grew past the group limit since the scan: stream it
          await reads.acquire();
          await larges.acquire();
        }
      }
      if (!r) r = await readLarge({ repo, session, buffers, signal, onBytes: bytesDone }, n.path);
      const { ids, size, stable } = r;
      node.content = ids;
      node.size = size;
      stats.bytes += size;
      const changed = ns(n.mtime) > ns(n.ctime) ? ns(n.mtime) : ns(n.ctime);
      if (stable && changed < cacheBefore) {
        session.afterIndexed(ids, () => {
          const chunks = ids.map((id) => [id, repo.index.getChunk(id)?.pack ?? -1] as [Buffer, number]);
          if (chunks.some(([, p]) => p < 0)) return;
          cacheRows.push({ dirHash, name: n.name, row: { size, mtimeNs: ns(n.mtime), ctimeNs: ns(n.ctime), ino: n.ino, chunks } });
          if (cacheRows.length >= 1000) flushCache();
        });
      }
    } catch (e) {
      if (signal.aborted) throw e instanceof CancelledError ? e : new CancelledError();
      if (e instanceof CairnError && e.code !== 'not-found') throw e; // repository trouble is fatal
      const code = (e as NodeJS.ErrnoException).code;
      if (code === undefined && !(e instanceof CairnError)) throw e; // a bug, not the file
      const message = code
        ? `${code}: ${(e as Error).message.replace(/^[A-Z]+: /, '').replace(/, open '.*'$|, read$/, '')}`
        : (e as Error).message;
      if (e instanceof SmallReadError && e.code === 'ENOENT') {
        // vanished between the scan and the read: not part of this snapshot
        errors.push({ path: n.path, message: 'ENOENT: vanished during the backup' });
        return null;
      }
      node.error = message;
      node.content = null;
      errors.push({ path: n.path, message });
    } finally {
      if (!isSmall) {
        reads.release();
        larges.release();
      }
      progress.filesDone++;
      progress.emit();
    }
    return node;
  };

  const settle = (p: Promise<TreeNode | null>): Promise<TreeNode | null> => p.catch((e: unknown) => {
    fail(e);
    return null;
  });

  const finishDir = async (f: Frame): Promise<void> => {
    const nodes = await Promise.all(f.slots);
    if (failure || signal.aborted) {
      f.resolve(null);
      return;
    }
    const kept = nodes.filter((x): x is TreeNode => x !== null);
    f.node.subtree = await writeDir(session, kept, repo.config.dirPage);
    f.resolve(f.node);
  };

  const stack: Frame[] = [];
  let root: Promise<TreeNode | null> | null = null;
  const control = createScanControl();
  // A re-backup of the same paths is mostly the metadata walk (the files cache answers for
  // unchanged files): warm the kernel's caches ahead of it. On a first backup data reads
  // dominate and the extra metadata reads only compete with them (measured: ~4 % slower).
  const prefetch = latestSnapshot(repo, { host, paths: sources }) !== null;
  const scan = repo.pool.scan({ roots: sources, excludes, excludeCaches: o.excludeCaches ?? false, oneFileSystem: o.oneFileSystem ?? false, prefetch, control });
  try {
    progress.stage = 'backing up';
    for await (const batch of consumeScan(scan.port, control, signal)) {
      for (const ev of batch) {
        if (ev.t === 'dir') {
          let resolve!: (n: TreeNode | null) => void;
          const done = new Promise<TreeNode | null>((r) => { resolve = r; });
          const frame: Frame = { node: toTreeNode(ev.node), path: Buffer.from(ev.node.path), dirHash: null, slots: [], resolve };
          stats.dirs++;
          if (ev.node.error) errors.push({ path: ev.node.path, message: ev.node.error });
          const parent = stack[stack.length - 1];
          if (parent) parent.slots.push(done);
          else root = done;
          stack.push(frame);
        } else if (ev.t === 'entry') {
          const parent = stack[stack.length - 1];
          if (!parent) throw new CairnError('internal-error', 'scan entry outside a directory');
          const n = ev.node;
          if (n.type === 0) {
            progress.filesTotal++;
            progress.bytesTotal += n.size;
            // The scan waits here while too many files are on their way: without this,
            // every file of the source became a pending promise (measured: 180k promises
            // and 140 MiB of heap on the small-files corpus).
            if (!admitted.tryAcquire()) await admitted.acquire();
            const p = settle(fileNode(n, parent));
            void p.then(() => admitted.release());
            parent.slots.push(p);
          } else {
            if (n.type === 2) stats.symlinks++;
            else stats.others++;
            if (n.error) errors.push({ path: n.path, message: n.error });
            parent.slots.push(Promise.resolve(toTreeNode(n)));
          }
        } else if (ev.t === 'end') {
          const f = stack.pop();
          if (!f) throw new CairnError('internal-error', 'unbalanced scan');
          void finishDir(f).catch((e: unknown) => {
            fail(e);
            f.resolve(null);
          });
        } else if (ev.t === 'error') {
          errors.push({ path: ev.path, message: ev.message });
        } else {
          notes.push({ path: ev.path, message: ev.message });
        }
        if (failure) break;
      }
      if (failure) break;
      progress.emit();
    }
    progress.scanDone = true;
    await scan.done.catch((e: unknown) => fail(e));
    if (signal.aborted || failure) throw failure ?? new CancelledError();
    if (!root) throw new CairnError('internal-error', 'the scan produced no root');
    const rootNode = await (root as Promise<TreeNode | null>);
    if (failure || signal.aborted || !rootNode?.subtree) throw failure ?? new CancelledError();
    progress.stage = 'committing';
    progress.emit(true);
    let errorsId: Buffer | null = null;
    if (errors.length > 0) {
      errorsId = await session.storeTree(encodeCanonical([1, errors.slice(0, 100_000).map((e) => [e.path, e.message])]), 3);
    }
    await session.flush();
    const parent = latestSnapshot(repo, { host, paths: sources });
    const end = now();
    const record: SnapshotRecord = {
      v: 1, time: nowTime(started), endTime: nowTime(end), host, user, paths: sources,
      tags: [...(o.tags ?? [])].sort(), excludes, root: rootNode.subtree, parent: parent?.id ?? null,
      status: 'complete',
      stats: { ...stats, storedBytes: session.stats.storedBytes, errors: errors.length },
      errors: errorsId, program: 'cairn 0.1.0', jobId: o.jobId ?? null,
    };
    flushCache();
    const id = await session.commit(record);
    await Promise.all(cacheWrites);
    flushCache();
    await Promise.all(cacheWrites);
    progress.emit(true);
    return { id, record, errors, notes, durationMs: end - started };
  } catch (e) {
    inner.abort();
    await scan.done.catch(() => undefined);
    await session.abort().catch((err: unknown) => log.warn('session abort failed', { error: (err as Error).message }));
    if (o.signal?.aborted) throw new CancelledError('backup cancelled');
    throw failure ?? e;
  } finally {
    scan.port.close();
    o.signal?.removeEventListener('abort', onAbort);
  }
}
