// daemon/api/routes/snapshots.ts — the snapshot routes of API.md's first slice: create (a
// backup job), one snapshot, browsing (vfs entry, children), restore and check (jobs).
// Input is checked before any job exists: absolute sources that exist, valid excludes,
// the snapshot reference, an absolute restore destination outside the backed-up paths.
import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import type {
  BackupResult, ChildrenList, RestoreResult, SnapshotCheckResult, VfsResult, Entry,
} from '../../../shared/schemas/index.js';
import { clampLimit } from '../../../shared/schemas/index.js';
import type { SnapshotSelector } from '../../../shared/snapshot-ref.js';
import { CairnError, invalidParam } from '../../errors.js';
import { backup } from '../../backup/index.js';
import { restore } from '../../restore/index.js';
import { checkSnapshot } from '../../check/index.js';
import { compileExcludes } from '../../walk/index.js';
import type { Registry, Repository } from '../../repository/index.js';
import { loadDir, lookupPath, resolveSnapshot, NodeType, type SnapshotInfo, type TreeNode } from '../../snapshot/index.js';
import { checkBackupSources, checkRestore } from '../../access/index.js';
import { principalOf } from '../create-api.js';
import { runAsJob } from '../run-as-job.js';
import { snapshotRefOf } from '../snapshot-url.js';
import type { Handlers } from '../types.js';
import { presentEntry, presentSnapshot, rfc3339, rootNode } from './present.js';
import { repoOf } from './repositories.js';

export interface SnapshotDeps {
  registry: Registry;
  /** Non-admins restore only below this; a destination below it may be inside a backed-up path. */
  restoreRoot: string;
}

function selectorText(s: SnapshotSelector): string {
  return s.kind === 'latest' ? 'latest' : s.kind === 'id' ? s.id : s.prefix;
}

/** An absolute path, cleaned lexically (no symlink is followed), as bytes. */
function absolute(field: string, p: string): Buffer {
  if (typeof p !== 'string' || !p.startsWith('/')) throw invalidParam(field, `${JSON.stringify(p)} is not an absolute path`);
  if (p.includes('\0')) throw invalidParam(field, 'a path may not contain NUL');
  return Buffer.from(posix.normalize(p).replace(/(.)\/+$/, '$1'), 'utf8');
}

const inside = (child: Buffer, parent: Buffer): boolean =>
  child.equals(parent) || (parent.length === 1 && parent[0] === 0x2f)
  || (child.length > parent.length && child.subarray(0, parent.length).equals(parent) && child[parent.length] === 0x2f);

function sortChildren(nodes: TreeNode[], sort: string): TreeNode[] {
  const desc = sort.startsWith('-');
  const key = sort.replace(/^-/, '');
  const cmp = (a: TreeNode, b: TreeNode): number => {
    if (key === 'Size') return a.size - b.size || Buffer.compare(a.name, b.name);
    if (key === 'ModTime') return a.mtime[0] - b.mtime[0] || a.mtime[1] - b.mtime[1] || Buffer.compare(a.name, b.name);
    return Buffer.compare(a.name, b.name);
  };
  const out = key === 'Name' ? nodes.slice() : nodes.slice().sort(cmp);
  if (key === 'Name' && desc) out.reverse();
  else if (desc) out.reverse();
  return out;
}

const joinPath = (dir: Buffer, name: Buffer): Buffer => Buffer.concat(dir.length === 1 ? [dir, name] : [dir, Buffer.from('/'), name]);

/** A snapshot whose record is known; one whose object could not be read is 422. */
function readable(snap: SnapshotInfo): SnapshotInfo {
  if (snap.row.damaged && !snap.row.root) throw new CairnError('unprocessable', 'the snapshot object is damaged', { id: snap.hex });
  return snap;
}

export function snapshotHandlers(d: SnapshotDeps): Handlers {
  const { registry } = d;
  const snapshotOf = (request: Parameters<typeof snapshotRefOf>[0]): { repo: Repository; snap: SnapshotInfo; path: Buffer } => {
    const ref = snapshotRefOf(request);
    const { repo } = repoOf(registry, request.query);
    const snap = readable(resolveSnapshot(repo, selectorText(ref.snapshot)));
    return { repo, snap, path: ref.path };
  };
  const entryAt = async (repo: Repository, snap: SnapshotInfo, path: Buffer): Promise<{ node: TreeNode; path: Buffer }> => {
    const l = await lookupPath(repo, Buffer.from(snap.row.root), path);
    return { node: l.node ?? rootNode(Buffer.from(snap.row.root), snap.row.time), path: l.path };
  };

  return {
    'snapshots.create': async (request, reply) => {
      const b = request.body;
      const { repo, name } = repoOf(registry, request.query);
      const sources = (Array.isArray(b.source) ? b.source : [b.source]).map((s) => absolute('source', s));
      await checkBackupSources(principalOf(request), sources.map((s) => s.toString('utf8')));
      for (const s of sources) {
        await lstat(s).catch((e: NodeJS.ErrnoException) => {
          throw invalidParam('source', `${s.toString('utf8')}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`);
        });
      }
      const excludes = b.excludes ?? [];
      compileExcludes(excludes);
      const tags = b.tags ?? [];
      const key = sources.map((s) => s.toString('utf8')).sort().join('\n');
      return runAsJob(request, reply, {
        kind: 'backup', params: { ...b, source: sources.map((s) => s.toString('utf8')) }, repository: name, key,
        run: async (ctx): Promise<BackupResult> => {
          const r = await backup(repo, {
            sources, tags, excludes, excludeCaches: b.exclude_caches === true, oneFileSystem: b.one_file_system === true,
            jobId: ctx.jobId, signal: ctx.signal,
            onProgress: (p) => ctx.onProgress({
              stage: p.stage, current_file: p.currentFile, files_done: p.filesDone,
              files_total: p.scanDone ? p.filesTotal : null, bytes_done: p.bytesDone, bytes_total: p.scanDone ? p.bytesTotal : null,
            }),
          });
          for (const e of r.errors.slice(0, 1000)) ctx.log('warn', `${e.path.toString('utf8')}: ${e.message}`);
          for (const n of r.notes.slice(0, 1000)) ctx.log('info', `${n.path.toString('utf8')}: ${n.message}`);
          const s = r.record.stats;
          return {
            snapshot_id: r.id.toString('hex'),
            timestamp: rfc3339(r.record.time)!,
            summary: { files: s.files, directories: s.dirs, symlinks: s.symlinks, size: s.bytes, stored_size: s.storedBytes, errors: s.errors, duration_ms: r.durationMs },
            errors: r.errors.map((e) => ({ path: e.path.toString('utf8'), message: e.message })),
          };
        },
      });
    },
    'snapshot.get': async (request) => {
      const { repo } = repoOf(registry, request.query);
      const snap = resolveSnapshot(repo, request.params.id);
      return { item: presentSnapshot(snap.id, snap.row) };
    },
    'snapshot.vfs': async (request): Promise<VfsResult> => {
      const { repo, snap, path } = snapshotOf(request);
      const { node, path: p } = await entryAt(repo, snap, path);
      const out: VfsResult = { item: presentEntry(node, p) };
      if (node.type === NodeType.dir && node.subtree) {
        const kids = await loadDir(repo, node.subtree);
        out.children = kids.slice(0, 100).map((k) => presentEntry(k, joinPath(p, k.name)));
        out.children_total = kids.length;
      }
      return out;
    },
    'snapshot.children': async (request): Promise<ChildrenList> => {
      const { repo, snap, path } = snapshotOf(request);
      const { node, path: p } = await entryAt(repo, snap, path);
      if (node.type !== NodeType.dir || !node.subtree) throw invalidParam('path', 'not a directory');
      const kids = sortChildren(await loadDir(repo, node.subtree), request.query.sort ?? 'Name');
      const offset = request.query.offset ?? 0;
      const limit = clampLimit(request.query.limit);
      return { total: kids.length, items: kids.slice(offset, offset + limit).map((k): Entry => presentEntry(k, joinPath(p, k.name))) };
    },
    'snapshots.restore': async (request, reply) => {
      const b = request.body;
      await checkRestore(principalOf(request), { destination: b.destination, paths: b.paths ?? [], restoreRoot: d.restoreRoot });
      const { repo, name } = repoOf(registry, request.query);
      const snap = readable(resolveSnapshot(repo, request.params.id));
      const destination = absolute('destination', b.destination);
      const paths = (b.paths ?? []).map((p) => absolute('paths', p.startsWith('/') ? p : `/${p}`));
      const root = Buffer.from(d.restoreRoot);
      const selected = paths.length > 0 ? paths : [Buffer.from('/')];
      for (const sp of snap.row.paths.map((x) => Buffer.from(x))) {
        if (sp.length === 1) continue; // a backup of `/` does not forbid restoring into it
        if (inside(destination, sp) && !inside(destination, root) && selected.some((s) => inside(s, sp) || inside(sp, s))) {
          throw new CairnError('unprocessable', `the destination is inside the backed-up path ${sp.toString('utf8')}`, { destination: { code: 'invalid_argument', message: 'inside a backed-up path' } });
        }
      }
      for (const p of paths) await lookupPath(repo, Buffer.from(snap.row.root), p);
      return runAsJob(request, reply, {
        kind: 'restore', params: { ...b, snapshot: snap.hex }, repository: name,
        run: async (ctx): Promise<RestoreResult> => {
          const r = await restore(repo, Buffer.from(snap.row.root), {
            destination, paths, rebase: b.rebase === true, overwrite: b.overwrite ?? 'never', skipPermissions: b.skip_permissions === true,
            signal: ctx.signal,
            onProgress: (p) => ctx.onProgress({ stage: 'restoring', files_done: p.filesDone, files_total: p.filesTotal, bytes_done: p.bytesDone, bytes_total: p.bytesTotal }),
          });
          for (const e of r.errors.slice(0, 1000)) ctx.log('warn', `${e.path}: ${e.message}`);
          return { restored_files: r.restoredFiles, restored_bytes: r.restoredBytes, skipped: r.skipped, errors: r.errors };
        },
      });
    },
    'snapshots.check': async (request, reply) => {
      const b = request.body;
      const { repo, name } = repoOf(registry, request.query);
      const snap = readable(resolveSnapshot(repo, request.params.id));
      const paths = (b.paths ?? []).map((p) => absolute('paths', p.startsWith('/') ? p : `/${p}`));
      return runAsJob(request, reply, {
        kind: 'check', params: { ...b, snapshot: snap.hex }, repository: name,
        run: async (ctx): Promise<SnapshotCheckResult> => {
          const r = await checkSnapshot(repo, Buffer.from(snap.row.root), {
            fast: b.fast === true, paths, signal: ctx.signal,
            onProgress: (p) => ctx.onProgress({ stage: 'checking', files_done: p.files, bytes_done: p.bytes }),
          });
          return { status: r.status, checked_files: r.checkedFiles, errors: r.errors };
        },
      });
    },
  };
}
