// daemon/check/check.ts — verifying a repository from storage, never from the LMDB trees
// cache (DESIGN §3):
//   plain: every pack's footer and authenticated trailer (ranged reads) against the
//          index; every snapshot object (hash + authentication) against its index row;
//          every tree reachable from a snapshot read and authenticated from its pack, and
//          every chunk a tree names present in the index;
//   --read-data (or a subset of packs): each pack's SHA-256 against its name, and every
//          unit and group member re-read, authenticated and re-hashed.
// Errors name the object and, for damaged packs, the snapshots and files they hurt.

import { CairnError, throwIfAborted } from '../errors.js';
import { packName, readTrailer } from '../pack/index.js';
import type { Repository } from '../repository/index.js';

import { decodeTree, NodeType, listSnapshots, type TreeNode } from '../snapshot/index.js';
import { loadTreeBytes } from '../snapshot/index.js';

export interface CheckOptions {
  readData: boolean;
  /** fraction of packs to read (0 < x ≤ 1) when readData; null = all */
  subset: number | null;
  signal?: AbortSignal;
  onProgress?: (p: { stage: string; done: number; total: number; bytes: number }) => void;
}

export interface CheckError { object: string; message: string; snapshots: string[]; files: Array<{ snapshot: string; path: string }> }
export interface CheckResult {
  status: 'success' | 'failure';
  checkedPacks: number;
  checkedSnapshots: number;
  readBytes: number;
  errors: CheckError[];
  notes: string[];
}

type CheckRepo = Pick<Repository, 'storage' | 'index' | 'keys' | 'readChunk' | 'readUnits' | 'readSnapshotObject' | 'lookup' | 'verifyPackData'>;

export async function check(repo: CheckRepo, o: CheckOptions): Promise<CheckResult> {
  const res: CheckResult = { status: 'success', checkedPacks: 0, checkedSnapshots: 0, readBytes: 0, errors: [], notes: [] };
  const err = (object: string, message: string): CheckError => {
    const e = { object, message, snapshots: [], files: [] };
    res.errors.push(e);
    return e;
  };
  const packErrors = new Map<string, CheckError>();

  // 1. packs: footer + trailer, against the index
  const onStorage = new Set<string>();
  const names: string[] = [];
  for await (const e of repo.storage.list('packs/')) names.push(e.name);
  let done = 0;
  for (const name of names) {
    throwIfAborted(o.signal);
    const hex = name.slice(name.lastIndexOf('/') + 1);
    onStorage.add(hex);
    const row = repo.index.getPackByName(hex);
    if (!row) {
      res.notes.push(`pack ${hex} is not referenced by the index (an interrupted backup's; a prune removes it)`);
      continue;
    }
    try {
      const t = await readTrailer(repo.storage, name, repo.keys.enc);
      res.readBytes += t.size - t.trailerOffset;
      if (!Buffer.from(t.salt).equals(Buffer.from(row.row.salt)) || t.entries.length !== row.row.units) {
        throw new CairnError('internal-error', 'trailer does not match the index');
      }
      for (const en of t.entries) {
        const ids = en.kind === 1 ? (en.members ?? []).map((m) => m[0]) : [en.id!];
        for (const id of ids) {
          const loc = repo.index.getChunk(id);
          if (!loc) throw new CairnError('internal-error', `unit ${en.unit}: chunk ${id.toString('hex')} missing from the index`);
          if (loc.pack === row.number && (loc.offset !== en.offset || loc.storedLen !== en.storedLen)) {
            throw new CairnError('internal-error', `unit ${en.unit}: index location differs from the trailer`);
          }
        }
      }
    } catch (e) {
      packErrors.set(hex, err(name, (e as Error).message));
    }
    res.checkedPacks++;
    o.onProgress?.({ stage: 'packs', done: ++done, total: names.length, bytes: res.readBytes });
  }
  for await (const [n, row] of repo.index.listPacks()) {
    const hex = row.id.toString('hex');
    if (!onStorage.has(hex)) packErrors.set(hex, err(packName(row.id), `pack ${n} is in the index but missing from storage`));
  }

  // 2. snapshot objects against the index
  const snaps = listSnapshots(repo);
  const seenObjects = new Set<string>();
  for await (const e of repo.storage.list('snapshots/')) seenObjects.add(e.name.slice('snapshots/'.length));
  const readable: Array<{ hex: string; root: Buffer }> = [];
  for (const s of snaps) {
    throwIfAborted(o.signal);
    res.checkedSnapshots++;
    if (!seenObjects.has(s.hex)) {
      err(`snapshots/${s.hex}`, 'snapshot object missing from storage');
      continue;
    }
    try {
      const rec = await repo.readSnapshotObject(s.id);
      if (!rec.root.equals(Buffer.from(s.row.root))) throw new CairnError('internal-error', 'snapshot object does not match its index row');
      readable.push({ hex: s.hex, root: rec.root });
    } catch (e) {
      err(`snapshots/${s.hex}`, (e as Error).message);
    }
  }

  // 3. trees from storage; every referenced chunk indexed
  const seenTrees = new Set<string>();
  const walkTree = async (id: Buffer, snap: string, path: string): Promise<void> => {
    const k = id.toString('latin1');
    if (seenTrees.has(k)) return;
    seenTrees.add(k);
    let nodes: TreeNode[];
    try {
      const t = decodeTree(await loadTreeBytes(repo, id, true));
      if (t.kind === 'index') {
        for (const p of t.pages) {
          seenTrees.delete(p.id.toString('latin1'));
          await walkTree(p.id, snap, path);
        }
        return;
      }
      nodes = t.nodes;
    } catch (e) {
      const ce = err(`tree ${id.toString('hex')}`, (e as Error).message);
      ce.snapshots.push(snap);
      ce.files.push({ snapshot: snap, path: path || '/' });
      return;
    }
    for (const n of nodes) {
      const p = `${path}/${n.name.toString('utf8')}`;
      if (n.type === NodeType.dir && n.subtree) await walkTree(n.subtree, snap, p);
      else if (n.type === NodeType.file) {
        for (const c of n.content ?? []) {
          if (!repo.index.getChunk(c)) {
            const ce = err(`chunk ${c.toString('hex')}`, 'chunk referenced by a tree is missing from the index');
            ce.snapshots.push(snap);
            ce.files.push({ snapshot: snap, path: p });
          }
        }
      }
    }
  };
  for (const s of readable) {
    throwIfAborted(o.signal);
    await walkTree(s.root, s.hex, '');
  }

  // 4. data
  if (o.readData) {
    const rows: Array<{ number: number; name: string; hex: string }> = [];
    for await (const [n, row] of repo.index.listPacks()) {
      const hex = row.id.toString('hex');
      if (onStorage.has(hex) && !packErrors.has(hex)) rows.push({ number: n, name: packName(row.id), hex });
    }
    let chosen = rows;
    if (o.subset !== null && o.subset < 1) {
      const want = Math.max(1, Math.ceil(rows.length * o.subset));
      chosen = rows.map((r) => ({ r, k: Math.random() })).sort((a, b) => a.k - b.k).slice(0, want).map((x) => x.r);
    }
    // Two packs at a time: each is read once, hashed and opened in a worker.
    let d = 0;
    const queue = chosen.slice();
    await Promise.all([0, 1].map(async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        throwIfAborted(o.signal);
        try {
          const r = await repo.verifyPackData(p.name);
          res.readBytes += r.bytes;
          if (r.errors.length > 0) packErrors.set(p.hex, err(p.name, r.errors.slice(0, 20).join('; ')));
        } catch (e) {
          packErrors.set(p.hex, err(p.name, (e as Error).message));
        }
        o.onProgress?.({ stage: 'data', done: ++d, total: chosen.length, bytes: res.readBytes });
      }
    }));
  }

  // Which snapshots and files do damaged packs hurt?
  if (packErrors.size > 0) {
    const bad = new Set<number>();
    for (const hex of packErrors.keys()) {
      const r = repo.index.getPackByName(hex);
      if (r) bad.add(r.number);
    }
    const visit = async (id: Buffer, snap: string, path: string): Promise<void> => {
      let nodes: TreeNode[] = [];
      try {
        const t = decodeTree(await loadTreeBytes(repo, id));
        if (t.kind === 'index') {
          for (const p of t.pages) await visit(p.id, snap, path);
          return;
        }
        nodes = t.nodes;
      } catch {
        return;
      }
      for (const n of nodes) {
        const p = `${path}/${n.name.toString('utf8')}`;
        if (n.type === NodeType.dir && n.subtree) await visit(n.subtree, snap, p);
        for (const c of n.content ?? []) {
          const loc = repo.index.getChunk(c);
          if (loc && bad.has(loc.pack)) {
            const hex = repo.index.getPack(loc.pack)?.id.toString('hex');
            const ce = hex ? packErrors.get(hex) : undefined;
            if (ce) {
              if (!ce.snapshots.includes(snap)) ce.snapshots.push(snap);
              if (ce.files.length < 1000) ce.files.push({ snapshot: snap, path: p });
            }
            break;
          }
        }
      }
    };
    for (const s of readable) await visit(s.root, s.hex, '');
  }
  res.status = res.errors.length === 0 ? 'success' : 'failure';
  return res;
}
