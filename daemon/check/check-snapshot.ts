// daemon/check/check-snapshot.ts — checking one snapshot (POST /api/snapshots/{id}/check):
// its trees (or those under `paths`) read from storage and authenticated; unless `fast`,
// every chunk its files reference read, authenticated and re-hashed, pack by pack.

import { throwIfAborted } from '../errors.js';
import type { Repository, UnitRef } from '../repository/index.js';
import { decodeTree, loadTreeBytes, lookupPath, NodeType, type TreeNode } from '../snapshot/index.js';

export interface SnapshotCheckOptions {
  fast: boolean;
  paths: Buffer[];
  signal?: AbortSignal;
  onProgress?: (p: { files: number; bytes: number }) => void;
}

export interface SnapshotCheckResult {
  status: 'success' | 'failure';
  checkedFiles: number;
  errors: Array<{ path: string; message: string }>;
}

type Repo = Pick<Repository, 'index' | 'readChunk' | 'readUnits'>;

export async function checkSnapshot(repo: Repo, root: Buffer, o: SnapshotCheckOptions): Promise<SnapshotCheckResult> {
  const res: SnapshotCheckResult = { status: 'success', checkedFiles: 0, errors: [] };
  // chunk → files that need it, grouped by pack for one read per unit
  const needs = new Map<number, Map<number, { ref: UnitRef; id: Buffer; members: Array<[number, number, Buffer]>; files: Set<string> }>>();
  let bytes = 0;
  const walk = async (tree: Buffer, path: string): Promise<void> => {
    throwIfAborted(o.signal);
    let nodes: TreeNode[];
    try {
      const t = decodeTree(await loadTreeBytes(repo, tree, true));
      if (t.kind === 'index') {
        for (const p of t.pages) await walk(p.id, path);
        return;
      }
      nodes = t.nodes;
    } catch (e) {
      res.errors.push({ path: path || '/', message: `tree ${tree.toString('hex')}: ${(e as Error).message}` });
      return;
    }
    for (const n of nodes) await visit(n, `${path}/${n.name.toString('utf8')}`);
  };
  const visit = async (n: TreeNode, path: string): Promise<void> => {
    if (n.type === NodeType.dir) {
      if (n.subtree) await walk(n.subtree, path);
      return;
    }
    if (n.type !== NodeType.file) return;
    res.checkedFiles++;
    for (const id of n.content ?? []) {
      const loc = repo.index.getChunk(id);
      if (!loc) {
        res.errors.push({ path, message: `chunk ${id.toString('hex')} is missing from the index` });
        continue;
      }
      if (o.fast) continue;
      let units = needs.get(loc.pack);
      if (!units) needs.set(loc.pack, (units = new Map()));
      let u = units.get(loc.offset);
      if (!u) units.set(loc.offset, (u = { ref: loc, id: loc.kind === 1 ? Buffer.alloc(32) : id, members: [], files: new Set() }));
      if (loc.kind === 1 && !u.members.some(([off]) => off === loc.memberOffset)) u.members.push([loc.memberOffset, loc.memberLen, id]);
      u.files.add(path);
    }
    o.onProgress?.({ files: res.checkedFiles, bytes });
  };
  const starts = o.paths.length === 0 ? [Buffer.from('/')] : o.paths;
  for (const p of starts) {
    try {
      const l = await lookupPath(repo, root, p);
      if (l.node === null) await walk(root, '');
      else await visit(l.node, l.path.toString('utf8'));
    } catch (e) {
      res.errors.push({ path: p.toString('utf8'), message: (e as Error).message });
    }
  }
  for (const [pack, units] of needs) {
    throwIfAborted(o.signal);
    const list = [...units.values()].sort((a, b) => a.ref.offset - b.ref.offset);
    try {
      await repo.readUnits(pack, list.map((u) => u.ref), { members: list.map((u) => u.members) }, list.map((u) => u.id));
      for (const u of list) bytes += u.ref.rawLen;
    } catch (e) {
      const files = new Set<string>();
      for (const u of list) for (const f of u.files) files.add(f);
      for (const f of [...files].slice(0, 1000)) res.errors.push({ path: f, message: (e as Error).message });
    }
    o.onProgress?.({ files: res.checkedFiles, bytes });
  }
  res.status = res.errors.length === 0 ? 'success' : 'failure';
  return res;
}
