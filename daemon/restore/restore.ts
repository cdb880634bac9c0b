// daemon/restore/restore.ts — restoring a snapshot (or paths in it) to disk:
//   1. walk the selected trees: create directories (0700 for now), symlinks, fifos and
//      devices; create each regular file and plan its pieces: chunk → (pack, unit);
//   2. read the planned units pack by pack in offset order (each pack read once, adjacent
//      units in one ranged read), authenticate and decode them in workers, write each piece
//      where it belongs (sparse-aware); a file complete → truncate to size, metadata;
//   3. hard links; then directories' metadata in post-order.
// Nothing unauthenticated is ever written: a unit that fails names its pack and fails the
// files that needed it.

import { lstat, mkdir, symlink, unlink, rm, link } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { mkfifo, mknod } from '../../native/index.js';
import { CairnError, CancelledError, throwIfAborted } from '../errors.js';
import type { Repository, UnitRef } from '../repository/index.js';
import { iterDir, NodeType, type TreeNode } from '../snapshot/index.js';
import { applyMetadata, metaOf } from './metadata.js';
import { uninitialised } from '../workers/index.js';
import { createFile, writeSparse } from './disk-writer.js';
import { selectPath } from './selection.js';

export type Overwrite = 'never' | 'if-newer' | 'always';

export interface RestoreOptions {
  destination: Buffer;
  /** absolute paths inside the snapshot; empty = everything */
  paths: Buffer[];
  rebase: boolean;
  overwrite: Overwrite;
  skipPermissions: boolean;
  signal?: AbortSignal;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreProgress { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number }
export interface RestoreError { path: string; message: string }
export interface RestoreResult { restoredFiles: number; restoredBytes: number; skipped: number; errors: RestoreError[] }

type RestoreRepo = Pick<Repository, 'index' | 'readChunk' | 'readUnits' | 'pool'>;

interface FileJob {
  path: Buffer;
  node: TreeNode;
  remaining: number;
  fh: FileHandle | null;
  opening: Promise<FileHandle> | null;
  failed: boolean;
}
interface Piece { file: FileJob; fileOffset: number; memberOffset: number; len: number }
interface PlannedUnit { ref: UnitRef; id: Buffer; members: Array<[number, number, Buffer]>; pieces: Piece[] }

const SLASH = Buffer.from('/');
/** Stored bytes of a pack read and decoded at once, and at most PLAIN bytes decoded. */
const SLICE = 4 << 20;
const PLAIN = 16 << 20;
/** Decoded slices land in buffers of PLAIN bytes reused from slice to slice (fresh ones
 *  each time cost page faults and garbage collections: 1 GiB restored, 1 GiB of new pages). */
const SPARES = 4;
const join = (a: Buffer, b: Buffer): Buffer => Buffer.concat(a[a.length - 1] === 0x2f ? [a, b] : [a, SLASH, b]);
const show = (p: Buffer): string => p.toString('utf8');

export async function restore(repo: RestoreRepo, root: Buffer, o: RestoreOptions): Promise<RestoreResult> {
  const errors: RestoreError[] = [];
  const result: RestoreResult = { restoredFiles: 0, restoredBytes: 0, skipped: 0, errors };
  const progress: RestoreProgress = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  let lastEmit = 0;
  const emit = (): void => {
    const t = Date.now();
    if (o.onProgress && t - lastEmit >= 250) {
      lastEmit = t;
      o.onProgress({ ...progress });
    }
  };
  const dirs: Array<{ path: Buffer; node: TreeNode; depth: number }> = [];
  const plan = new Map<number, Map<number, PlannedUnit>>();
  const links = new Map<string, Buffer>();        // ino:size:mtime → first path
  const pendingLinks: Array<{ path: Buffer; node: TreeNode; key: string }> = [];
  const meta = { skipPermissions: o.skipPermissions };

  const report = (path: Buffer, message: string): void => {
    errors.push({ path: show(path), message });
  };

  /** Decides what to do with an existing target; true = go on and (re)create it. */
  const prepareTarget = async (target: Buffer, node: TreeNode, fresh: boolean): Promise<boolean> => {
    if (fresh) return true; // its directory was just created: nothing can be there
    const st = await lstat(target, { bigint: true }).catch(() => null);
    if (!st) return true;
    if (node.type === NodeType.dir && st.isDirectory()) return true;
    if (o.overwrite === 'never') {
      result.skipped++;
      return false;
    }
    if (o.overwrite === 'if-newer') {
      const mine = BigInt(node.mtime[0]) * 1_000_000_000n + BigInt(node.mtime[1]);
      if (st.mtimeNs >= mine) {
        result.skipped++;
        return false;
      }
    }
    if (st.isDirectory()) await rm(target, { recursive: true, force: true });
    else await unlink(target);
    return true;
  };

  const planFile = (job: FileJob): void => {
    let off = 0;
    for (const id of job.node.content ?? []) {
      const loc = repo.index.getChunk(id);
      if (!loc) {
        job.failed = true;
        report(job.path, `chunk ${id.toString('hex')} is not in the repository index`);
        return;
      }
      let units = plan.get(loc.pack);
      if (!units) plan.set(loc.pack, (units = new Map()));
      let u = units.get(loc.offset);
      if (!u) {
        u = { ref: loc, id: loc.kind === 1 ? Buffer.alloc(32) : id, members: [], pieces: [] };
        units.set(loc.offset, u);
      }
      if (loc.kind === 1 && !u.members.some(([mo]) => mo === loc.memberOffset)) u.members.push([loc.memberOffset, loc.memberLen, id]);
      u.pieces.push({ file: job, fileOffset: off, memberOffset: loc.memberOffset, len: loc.memberLen });
      job.remaining++;
      off += loc.memberLen;
    }
  };

  const finishFile = async (job: FileJob): Promise<void> => {
    const fh = job.fh ?? (job.opening ? await job.opening : null);
    try {
      if (fh) {
        await fh.truncate(job.node.size);
        await fh.close();
      }
    } finally {
      job.fh = null;
    }
    if (job.failed) {
      // Never leave a file that looks restored but holds zeros where data failed.
      if (fh || job.opening) await unlink(job.path).catch(() => undefined);
      return;
    }
    for (const p of await applyMetadata(job.path, job.node, meta)) report(job.path, p);
    result.restoredFiles++;
    result.restoredBytes += job.node.size;
    progress.filesDone++;
    emit();
  };

  const restoreNode = async (node: TreeNode, target: Buffer, depth: number, fresh = false): Promise<void> => {
    throwIfAborted(o.signal);
    if (node.error !== null) {
      report(target, `not restored: it could not be read during the backup (${node.error})`);
      return;
    }
    if (!(await prepareTarget(target, node, fresh))) return;
    switch (node.type) {
      case NodeType.dir: {
        const made = await mkdir(target, { mode: 0o700 }).then(() => true, (e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
          return false;
        });
        dirs.push({ path: target, node, depth });
        if (node.subtree) {
          for await (const child of iterDir(repo, node.subtree)) await restoreNode(child, join(target, child.name), depth + 1, made);
        }
        return;
      }
      case NodeType.file: {
        progress.filesTotal++;
        progress.bytesTotal += node.size;
        if (node.nlink > 1) {
          const key = `${node.ino}:${node.size}:${node.mtime[0]}.${node.mtime[1]}`;
          if (links.has(key)) {
            pendingLinks.push({ path: target, node, key });
            return;
          }
          links.set(key, target);
        }
        const job: FileJob = { path: target, node, remaining: 0, fh: null, opening: null, failed: false };
        planFile(job);
        // Created when its first unit arrives (one open per file); empty ones now.
        if (job.remaining === 0) {
          job.fh = await createFile(target);
          await finishFile(job);
        }
        return;
      }
      case NodeType.symlink:
        await symlink(node.target ?? Buffer.alloc(0), target);
        break;
      case NodeType.fifo:
        mkfifo(target, node.mode & 0o7777);
        break;
      case NodeType.char:
      case NodeType.block:
        mknod(target, (node.type === NodeType.char ? 0o020000 : 0o060000) | (node.mode & 0o7777), BigInt(node.rdev));
        break;
      default:
        report(target, 'sockets are not restored');
        return;
    }
    for (const p of await applyMetadata(target, node, meta)) report(target, p);
  };

  // 1. structure
  const selected = o.paths.length === 0 ? [SLASH] : o.paths;
  for (const p of selected) {
    // `/` or a rebased directory: its entries straight into the destination; a rebased
    // entry: DEST/<name>; otherwise DEST/<absolute path>, ancestors with their metadata.
    const sel = await selectPath(repo, root, p, o.rebase);
    try {
      let target = o.destination;
      await mkdir(target, { recursive: true });
      for (const [i, anc] of sel.ancestors.entries()) {
        target = join(target, anc.name);
        await mkdir(target, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
        dirs.push({ path: target, node: anc.node, depth: i + 1 });
      }
      if (sel.node) await restoreNode(sel.node, join(target, sel.node.name), sel.ancestors.length + 1);
      else if (sel.tree) {
        for await (const child of iterDir(repo, sel.tree)) await restoreNode(child, join(target, child.name), 1);
      }
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      if (e instanceof CairnError) throw e;
      report(p, (e as Error).message);
    }
  }

  // 2. data, pack by pack
  const packs = [...plan.keys()].sort((a, b) => a - b);
  const doPack = async (pack: number): Promise<void> => {
    throwIfAborted(o.signal);
    const units = [...plan.get(pack)!.values()].sort((a, b) => a.ref.offset - b.ref.offset);
    plan.delete(pack);
    // A pack is read front to back in slices of about SLICE stored bytes: each pack is
    // still read once, in order, but only a slice's plaintext is held at a time (whole
    // packs, three at once, were most of restore's peak memory).
    for (let s = 0; s < units.length;) {
      let e = s + 1;
      let bytes = units[s]!.ref.storedLen;
      let raw = units[s]!.ref.rawLen;
      while (e < units.length && bytes + units[e]!.ref.storedLen <= SLICE && raw + units[e]!.ref.rawLen <= PLAIN) {
        bytes += units[e]!.ref.storedLen;
        raw += units[e++]!.ref.rawLen;
      }
      await doSlice(pack, units.slice(s, e));
      s = e;
    }
  };
  const spare: ArrayBuffer[] = [];
  const doSlice = async (pack: number, units: PlannedUnit[]): Promise<void> => {
    throwIfAborted(o.signal);
    const room = spare.pop() ?? uninitialised(PLAIN);
    const plains = await readSlice(pack, units, room);
    if (plains.length > 0) await writeSlice(units, plains);
    // `room` is detached once it went to a worker and came back as the slice's buffer;
    // either serves the next slice, now that every write of this one is done. (Not after
    // a failure: a write still under way may be reading it.)
    const keep = room.byteLength > 0 ? room : plains[0]?.buffer as ArrayBuffer | undefined;
    if (keep?.byteLength === PLAIN && spare.length < SPARES) spare.push(keep);
  };
  /** The slice's units decoded, or [] when they could not be read (files failed, reported). */
  const readSlice = async (pack: number, units: PlannedUnit[], room: ArrayBuffer): Promise<Buffer[]> => {
    try {
      return await repo.readUnits(pack, units.map((u) => u.ref), { members: units.map((u) => u.members) }, units.map((u) => u.id), room);
    } catch (e) {
      for (const u of units) {
        for (const pc of u.pieces) {
          if (!pc.file.failed) report(pc.file.path, (e as Error).message);
          pc.file.failed = true;
        }
      }
      for (const u of units) for (const pc of u.pieces) if (--pc.file.remaining === 0) await finishFile(pc.file);
      if (e instanceof CairnError && e.code !== 'not-found' && !/authentication|does not match/.test(e.message)) throw e;
      return [];
    }
  };
  const writeSlice = async (units: PlannedUnit[], plains: Buffer[]): Promise<void> => {
    // Whole files (one piece covering the file) go to IO threads in batches: create,
    // write, truncate, metadata, all synchronous there. The rest are written here.
    const whole: Array<{ pc: Piece; plain: Buffer }> = [];
    for (let k = 0; k < units.length; k++) {
      const plain = plains[k]!;
      const partial: Piece[] = [];
      for (const pc of units[k]!.pieces) {
        const f = pc.file;
        if (!f.failed && f.remaining === 1 && !f.fh && !f.opening && pc.fileOffset === 0 && pc.len === f.node.size) whole.push({ pc, plain });
        else partial.push(pc);
      }
      await Promise.all(partial.map(async (pc) => {
        const f = pc.file;
        if (!f.failed) {
          if (!f.fh) {
            f.opening ??= createFile(f.path);
            f.fh = await f.opening;
          }
          await writeSparse(f.fh, plain.subarray(pc.memberOffset, pc.memberOffset + pc.len), pc.fileOffset);
          progress.bytesDone += pc.len;
        }
        if (--f.remaining === 0) await finishFile(f);
      }));
      emit();
    }
    const batches: Array<typeof whole> = [];
    let cur: typeof whole = [];
    let bytes = 0;
    for (const w of whole) {
      cur.push(w);
      bytes += w.pc.len;
      if (cur.length >= 128 || bytes >= 4 << 20) {
        batches.push(cur);
        cur = [];
        bytes = 0;
      }
    }
    if (cur.length > 0) batches.push(cur);
    for (const batch of batches) {
      const total = batch.reduce((n, w) => n + w.pc.len, 0);
      const ab = uninitialised(total);
      const view = new Uint8Array(ab);
      let off = 0;
      const files = batch.map(({ pc, plain }) => {
        view.set(plain.subarray(pc.memberOffset, pc.memberOffset + pc.len), off);
        const f = { path: pc.file.path, off, len: pc.len, size: pc.file.node.size, meta: metaOf(pc.file.node) };
        off += pc.len;
        return f;
      });
      const res = await repo.pool.writeFiles({ buf: ab, files, skipPermissions: o.skipPermissions });
      res.files.forEach((r, i) => {
        const f = batch[i]!.pc.file;
        f.remaining = 0;
        if (!r.ok) {
          report(f.path, r.message);
          return;
        }
        for (const p of r.problems) report(f.path, p);
        result.restoredFiles++;
        result.restoredBytes += f.node.size;
        progress.filesDone++;
        progress.bytesDone += f.node.size;
      });
      emit();
    }
  };
  const queue = packs.slice();
  await Promise.all([0, 1, 2].map(async () => {
    while (queue.length > 0) await doPack(queue.shift()!);
  }));

  // 3. hard links, then directories deepest first
  for (const l of pendingLinks) {
    try {
      await link(links.get(l.key)!, l.path);
      result.restoredFiles++;
    } catch (e) {
      report(l.path, `hard link: ${(e as Error).message}`);
    }
  }
  dirs.sort((a, b) => b.depth - a.depth);
  for (const d of dirs) for (const p of await applyMetadata(d.path, d.node, meta)) report(d.path, p);
  progress.filesDone = progress.filesTotal;
  o.onProgress?.({ ...progress });
  return result;
}
