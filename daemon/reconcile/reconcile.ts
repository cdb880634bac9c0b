// daemon/reconcile/reconcile.ts — the startup reconcile (DESIGN §3), idempotent, run before
// a repository is served:
//   empty tmp/; packs on storage the index lacks → authenticate their trailers and add
//   them (an interrupted backup's chunks become dedup sources); packs the index has but
//   storage lacks → drop their rows, mark the snapshots using them damaged; the trash
//   (reconcile-trash.ts: an id in both snapshots/ and trash/ is trashed); snapshot
//   objects the index lacks → add them (unreadable ones listed as damaged), those it has →
//   authenticated again (failing ones marked damaged); rows whose object is gone → drop;
//   sessions of dead processes → aborted.
// rebuildIndex() is the same from scratch: every trailer, every snapshot object.

import { logger } from '../log.js';
import { readTrailer } from '../pack/index.js';
import { chunkRowsOf, type Repository, type SnapshotRow } from '../repository/index.js';

import { decodeTree, NodeType } from '../snapshot/index.js';
import { loadTreeBytes } from '../snapshot/index.js';
import { reconcileTrash, type TrashReport } from './reconcile-trash.js';

const log = logger('reconcile');

export interface ReconcileReport extends TrashReport {
  tmpRemoved: number;
  packsAdded: number;
  packsDropped: number;
  snapshotsAdded: number;
  snapshotsDropped: number;
  snapshotsDamaged: number;
  sessionsAborted: number;
}

/** Adds one pack from its authenticated trailer. */
export async function indexPackFromTrailer(repo: Repository, name: string): Promise<number> {
  const t = await readTrailer(repo.storage, name, repo.keys.enc);
  const rows = chunkRowsOf(t.entries);
  const hex = name.slice(name.lastIndexOf('/') + 1);
  return repo.index.addPack({
    id: Buffer.from(hex, 'hex'), kind: t.kind === 'tree' ? 1 : 0, size: t.size, units: t.entries.length,
    salt: Buffer.from(t.salt), condemned: false, generation: 0, addedAt: Date.now(),
  }, rows);
}

export async function reconcile(repo: Repository): Promise<ReconcileReport> {
  const r: ReconcileReport = {
    tmpRemoved: 0, packsAdded: 0, packsDropped: 0, snapshotsAdded: 0, snapshotsDropped: 0, snapshotsDamaged: 0, sessionsAborted: 0,
    forgetsCompleted: 0, trashAdded: 0, trashDropped: 0, trashDamaged: 0,
  };
  for await (const e of repo.storage.list('tmp/')) {
    await repo.storage.remove(e.name);
    r.tmpRemoved++;
  }
  // packs
  const onStorage = new Set<string>();
  for await (const e of repo.storage.list('packs/')) {
    const hex = e.name.slice(e.name.lastIndexOf('/') + 1);
    if (!/^[0-9a-f]{64}$/.test(hex)) continue;
    onStorage.add(hex);
    if (repo.index.getPackByName(hex)) continue;
    try {
      await indexPackFromTrailer(repo, e.name);
      r.packsAdded++;
    } catch (err) {
      log.error('pack cannot be indexed: its trailer does not authenticate', { pack: e.name, error: (err as Error).message });
    }
  }
  const missing: number[] = [];
  for await (const [n, row] of repo.index.listPacks()) {
    if (!onStorage.has(row.id.toString('hex'))) missing.push(n);
  }
  if (missing.length > 0) {
    log.error('packs listed in the index are missing from storage', { packs: missing.length });
    const lost = new Set<string>();
    for (const n of missing) {
      for (const id of await repo.index.removePack(n)) lost.add(id.toString('latin1'));
      repo.forgetPack(n);
      r.packsDropped++;
    }
    r.snapshotsDamaged += await markDamaged(repo, lost);
  }
  // the trash first: an id also under snapshots/ leaves it
  Object.assign(r, await reconcileTrash(repo));
  // snapshot objects
  const objects = new Set<string>();
  for await (const e of repo.storage.list('snapshots/')) {
    const hex = e.name.slice('snapshots/'.length);
    if (!/^[0-9a-f]{64}$/.test(hex)) continue;
    objects.add(hex);
    const id = Buffer.from(hex, 'hex');
    const known = repo.index.getSnapshot(id);
    if (known) {
      // Indexed: authenticate the object again; one that fails keeps its row, marked damaged.
      if (known.damaged) continue;
      try {
        await repo.readSnapshotObject(id);
      } catch (err) {
        log.error('snapshot object cannot be authenticated', { snapshot: hex, error: (err as Error).message });
        await repo.index.putSnapshot(id, { ...known, damaged: true });
        r.snapshotsDamaged++;
      }
      continue;
    }
    try {
      const rec = await repo.readSnapshotObject(id);
      await repo.index.putSnapshot(id, { ...rec, generation: await repo.index.nextGeneration(), damaged: false } satisfies SnapshotRow);
      r.snapshotsAdded++;
    } catch (err) {
      log.error('snapshot object cannot be read', { snapshot: hex, error: (err as Error).message });
      await repo.index.putSnapshot(id, { damaged: true, unreadable: true, generation: await repo.index.nextGeneration() });
      r.snapshotsDamaged++;
    }
  }
  for (const [id] of repo.index.listSnapshots()) {
    if (!objects.has(id.toString('hex'))) {
      log.warn('snapshot row without its object dropped', { snapshot: id.toString('hex') });
      await repo.index.deleteSnapshot(id);
      r.snapshotsDropped++;
    }
  }
  // One daemon owns a repository (the lock): every session found at start is a dead one's.
  for (const [sid] of repo.index.listSessions()) {
    await repo.index.deleteSession(sid);
    r.sessionsAborted++;
  }
  await repo.index.flushed();
  if (Object.values(r).some((n) => n > 0)) {
    log.info('reconciled', { repository: repo.name, ...r });
  }
  return r;
}

/** Marks every snapshot whose trees name a lost chunk as damaged. */
async function markDamaged(repo: Repository, lost: Set<string>): Promise<number> {
  let count = 0;
  for (const [id, row] of repo.index.listSnapshots()) {
    const s = row as unknown as SnapshotRow;
    if (s.damaged || !s.root) continue;
    const hit = await treeUses(repo, Buffer.from(s.root), lost, new Set());
    if (hit) {
      await repo.index.putSnapshot(id, { ...s, damaged: true });
      log.error('snapshot damaged: it needs data from a missing pack', { snapshot: id.toString('hex') });
      count++;
    }
  }
  return count;
}

async function treeUses(repo: Repository, tree: Buffer, lost: Set<string>, seen: Set<string>): Promise<boolean> {
  const k = tree.toString('latin1');
  if (lost.has(k)) return true;
  if (seen.has(k)) return false;
  seen.add(k);
  let t;
  try {
    t = decodeTree(await loadTreeBytes(repo, tree));
  } catch {
    return true;
  }
  if (t.kind === 'index') {
    for (const p of t.pages) if (await treeUses(repo, p.id, lost, seen)) return true;
    return false;
  }
  for (const n of t.nodes) {
    if (n.type === NodeType.dir && n.subtree && (await treeUses(repo, n.subtree, lost, seen))) return true;
    for (const c of n.content ?? []) if (lost.has(c.toString('latin1'))) return true;
  }
  return false;
}

/** Moves the index aside and rebuilds it from pack trailers and snapshot objects. */
export async function rebuildIndex(repo: Repository): Promise<ReconcileReport> {
  await repo.resetIndex();
  return reconcile(repo);
}

