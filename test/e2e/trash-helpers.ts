// test/e2e/trash-helpers.ts — what the trash suites share: the trash routes as typed
// calls over cairnd's socket, where a snapshot's object is on disk, a small source with
// frozen copies of each version, and "restores its contents".
import type { Test } from 'tap';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BackupResult, JobAccepted, RestoreResult, SnapshotList, SnapshotRemoveResult, SnapshotUndeleteResult, TrashList,
} from '../../shared/schemas/index.js';
import type { Cairnd } from '../helpers/cairnd.js';
import { compareTrees } from '../helpers/tree.js';
import { get, post } from './api.js';

export const remove = (d: Cairnd, body: unknown, query = '') => post<SnapshotRemoveResult & JobAccepted>(d, `/api/snapshots/remove${query}`, body, 'DELETE');
export const undelete = (d: Cairnd, ids: string[], query = '') => post<SnapshotUndeleteResult>(d, `/api/snapshots/undelete${query}`, { snapshot_ids: ids });
export const listed = async (d: Cairnd): Promise<string[]> => (await get<SnapshotList>(d, '/api/repository/snapshots')).json.items.map((s) => s.id);
export const trash = (d: Cairnd) => get<TrashList>(d, '/api/repository/trash');
export const live = (d: Cairnd, id: string): boolean => existsSync(join(d.repo, 'snapshots', id));
export const trashed = (d: Cairnd, id: string): boolean => existsSync(join(d.repo, 'trash', 'snapshots', id));

/** Two versions of a small source, frozen copies kept to compare restores with. */
export function source(work: string): { src: string; version(n: number): string } {
  const src = join(work, 'src');
  const frozen = (n: number): string => join(work, `v${n}`);
  return {
    src,
    version(n) {
      for (const dir of [src, frozen(n)]) {
        mkdirSync(join(dir, 'sub'), { recursive: true });
        writeFileSync(join(dir, 'a.txt'), `version ${n}\n`);
        writeFileSync(join(dir, 'sub', 'b.bin'), Buffer.alloc(100_000 + n, n));
      }
      return frozen(n);
    },
  };
}

export async function backup(t: Test, d: Cairnd, src: string): Promise<string> {
  const b = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(b.status, 200, b.text.slice(0, 300));
  return b.json.snapshot_id;
}

export async function restoresAs(t: Test, d: Cairnd, id: string, src: string, frozen: string, dest: string): Promise<void> {
  const r = await post<RestoreResult>(d, `/api/snapshots/${id}/restore`, { destination: dest });
  t.equal(r.status, 200, r.text.slice(0, 300));
  t.same(compareTrees(frozen, join(dest, src)).filter((x) => !/mtime|ctime|atime/.test(JSON.stringify(x))), [], `${id.slice(0, 8)} restores its contents`);
}
