// daemon/snapshot/snapshots.ts — the snapshot set as the index knows it (reconciled at
// startup): listing, `latest`, `parent`, and resolving a reference (64-hex id, a unique
// prefix of 4+ hex digits, or `latest`) to one snapshot.

import { CairnError, invalidParam } from '../errors.js';
import type { Repository, SnapshotRow } from '../repository/index.js';
import { timeToMs } from '../repository/index.js';

export interface SnapshotInfo {
  id: Buffer;
  hex: string;
  row: SnapshotRow;
}

type SnapRepo = Pick<Repository, 'index'>;

/** Every snapshot row, oldest first. Memory: one row per snapshot (not per chunk). */
export function listSnapshots(repo: SnapRepo): SnapshotInfo[] {
  const out: SnapshotInfo[] = [];
  for (const [id, row] of repo.index.listSnapshots()) {
    out.push({ id, hex: id.toString('hex'), row: row as unknown as SnapshotRow });
  }
  // A row whose object could not be read at reconcile has no time: those sort first.
  const ns = (s: SnapshotInfo): [number, number] | null => (s.row.time as SnapshotRow['time'] | undefined) ?? null;
  out.sort((a, b) => {
    const ta = ns(a);
    const tb = ns(b);
    if (!ta || !tb) return (ta ? 1 : 0) - (tb ? 1 : 0) || a.hex.localeCompare(b.hex);
    return timeToMs(ta) - timeToMs(tb) || ta[1] - tb[1] || a.hex.localeCompare(b.hex);
  });
  return out;
}

/** The newest complete, undamaged snapshot (optionally with the same host and paths). */
export function latestSnapshot(repo: SnapRepo, match?: { host: string; paths: Buffer[] }): SnapshotInfo | null {
  const all = listSnapshots(repo);
  for (let i = all.length - 1; i >= 0; i--) {
    const s = all[i]!;
    if (s.row.status !== 'complete' || s.row.damaged) continue;
    if (match) {
      if (s.row.host !== match.host || s.row.paths.length !== match.paths.length) continue;
      if (!s.row.paths.every((p, k) => Buffer.from(p).equals(match.paths[k]!))) continue;
    }
    return s;
  }
  return null;
}

const HEX = /^[0-9a-f]+$/;

/** Resolves `latest`, a full id or a unique prefix; 400/404 as API.md says. */
export function resolveSnapshot(repo: SnapRepo, ref: string, field = 'id'): SnapshotInfo {
  const r = ref.toLowerCase();
  if (r === 'latest') {
    const s = latestSnapshot(repo);
    if (!s) throw new CairnError('not-found', 'the repository has no complete snapshot', { [field]: ref });
    return s;
  }
  if (!HEX.test(r) || r.length < 4 || r.length > 64) {
    throw invalidParam(field, 'a snapshot is a 64-hex id, a prefix of 4 or more hex digits, or "latest"');
  }
  const matches = listSnapshots(repo).filter((s) => s.hex.startsWith(r));
  if (matches.length === 0) throw new CairnError('not-found', 'Snapshot not found', { [field]: ref });
  if (matches.length > 1) {
    throw new CairnError('invalid_params', `snapshot prefix ${ref} is ambiguous (${matches.length} snapshots)`,
      { [field]: { code: 'invalid_argument', message: 'ambiguous prefix', matches: matches.slice(0, 10).map((m) => m.hex) } });
  }
  return matches[0]!;
}
