// daemon/storage/sweep.ts — the two halves of a local Storage.sweep (maintenance
// `cleanup`): files in tmp/ that no open upload or put owns, and empty packs/xx/
// directories. local.ts runs the second only while no file is being renamed into place.
import { readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './durable.js';
import { listTree } from './list-tree.js';

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Removes the files under `<root>/tmp/` whose absolute path `owned` rejects. */
export async function sweepTmp(root: string, owned: (path: string) => boolean): Promise<{ files: number; bytes: number }> {
  const out = { files: 0, bytes: 0 };
  for await (const e of listTree(root, 'tmp/')) {
    const path = join(root, e.name);
    if (owned(path)) continue;
    try {
      await unlink(path);
      out.files++;
      out.bytes += e.size;
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
    }
  }
  return out;
}

/** Removes the empty directories directly under `<root>/packs/`; returns how many. */
export async function removeEmptyPackDirs(root: string): Promise<number> {
  const packs = join(root, 'packs');
  const subdirs = await readdir(packs, { withFileTypes: true }).catch((e: unknown) => {
    if (errnoOf(e) === 'ENOENT') return [];
    throw e;
  });
  let removed = 0;
  for (const d of subdirs) {
    if (!d.isDirectory()) continue;
    try {
      await rmdir(join(packs, d.name));
      removed++;
    } catch (e) {
      const code = errnoOf(e);
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw e;
    }
  }
  if (removed > 0) await fsyncDir(packs);
  return removed;
}
